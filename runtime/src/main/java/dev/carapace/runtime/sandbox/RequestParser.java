package dev.carapace.runtime.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.sandbox.SandboxException.Reason;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Turns one request line into a {@link SandboxRequest}: a JSON object with a string {@code op}
 * and the operation's fields, nothing else (unknown fields are rejected, as Firecracker's
 * {@code deny_unknown_fields}). Stateless and thread-safe.
 */
public final class RequestParser {
  /** Command line used when a create request gives none. */
  public static final String DEFAULT_APPEND = "console=ttyS0 reboot=k panic=-1 pci=off "
      + "i8042.noaux i8042.nomux i8042.dumbkbd";
  /** Guest memory when a create request gives none: 256 MiB. */
  public static final long DEFAULT_MEMORY = 256L << 20;
  /** Size of the report data a quote request carries. */
  public static final int REPORT_DATA_SIZE = 64;

  private static final Set<String> NAME_ONLY = Set.of("op", "name");
  private static final Set<String> CREATE =
      Set.of("op", "name", "kernel", "initrd", "append", "memory", "vcpus");

  private final ObjectMapper mapper;

  public RequestParser(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** Parses and validates one request line. */
  public SandboxRequest parse(String line) throws SandboxException {
    JsonNode n;
    try {
      n = mapper.readTree(line);
    } catch (JsonProcessingException e) {
      throw new SandboxException(Reason.MALFORMED_REQUEST,
          "the request is not JSON: " + e.getOriginalMessage());
    }
    if (n == null || !n.isObject()) {
      throw new SandboxException(Reason.MALFORMED_REQUEST, "the request must be a JSON object");
    }
    JsonNode op = n.get("op");
    if (op == null || !op.isTextual()) {
      throw new SandboxException(Reason.MALFORMED_REQUEST,
          "the request must have a string field \"op\"");
    }
    return switch (op.asText()) {
      case "create" -> {
        allowOnly(n, CREATE);
        JsonNode initrd = n.get("initrd");
        yield new SandboxRequest.Create(name(n), text(n, "kernel"),
            initrd == null || initrd.isNull() ? null : text(n, "initrd"),
            n.has("append") ? text(n, "append") : DEFAULT_APPEND,
            n.has("memory") ? integer(n, "memory", 1L << 20, Long.MAX_VALUE) : DEFAULT_MEMORY,
            (int) (n.has("vcpus") ? integer(n, "vcpus", 1, 254) : 1));
      }
      case "start" -> new SandboxRequest.Start(nameOnly(n));
      case "stop" -> new SandboxRequest.Stop(nameOnly(n));
      case "delete" -> new SandboxRequest.Delete(nameOnly(n));
      case "console" -> new SandboxRequest.Console(nameOnly(n));
      case "list" -> {
        allowOnly(n, Set.of("op"));
        yield new SandboxRequest.ListVms();
      }
      case "quote" -> {
        allowOnly(n, Set.of("op", "name", "reportData"));
        yield new SandboxRequest.Quote(name(n), reportData(text(n, "reportData")));
      }
      default -> throw new SandboxException(Reason.UNKNOWN_OPERATION, "unknown op \""
          + abbreviate(op.asText()) + "\"; expected create, start, stop, delete, list, console"
          + " or quote");
    };
  }

  private static String nameOnly(JsonNode n) throws SandboxException {
    allowOnly(n, NAME_ONLY);
    return name(n);
  }

  private static String name(JsonNode n) throws SandboxException {
    return text(n, "name");
  }

  private static void allowOnly(JsonNode n, Set<String> allowed) throws SandboxException {
    List<String> unknown = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!allowed.contains(f)) {
        unknown.add(abbreviate(f));
      }
    }
    if (!unknown.isEmpty()) {
      throw new SandboxException(Reason.INVALID_ARGUMENT, "unknown field(s) " + unknown
          + " for op " + n.get("op").asText() + "; allowed: " + allowed);
    }
  }

  private static String text(JsonNode n, String field) throws SandboxException {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new SandboxException(Reason.INVALID_ARGUMENT,
          "field \"" + field + "\" must be a non-empty string");
    }
    return v.asText();
  }

  private static long integer(JsonNode n, String field, long min, long max)
      throws SandboxException {
    JsonNode v = n.get(field);
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min
        || v.asLong() > max) {
      throw new SandboxException(Reason.INVALID_ARGUMENT, "field \"" + field
          + "\" must be an integer between " + min + " and " + max + ", got " + v);
    }
    return v.asLong();
  }

  private static Bytes reportData(String hex) throws SandboxException {
    if (hex.length() != 2 * REPORT_DATA_SIZE) {
      throw new SandboxException(Reason.INVALID_ARGUMENT, "field \"reportData\" must be "
          + REPORT_DATA_SIZE + " bytes (" + 2 * REPORT_DATA_SIZE + " hex digits), got "
          + hex.length() + " digits");
    }
    try {
      return Bytes.fromHex(hex);
    } catch (IllegalArgumentException e) {
      throw new SandboxException(Reason.INVALID_ARGUMENT, "field \"reportData\" is not hex");
    }
  }

  static String abbreviate(@Nullable String s) {
    if (s == null) {
      return "null";
    }
    return s.length() <= 40 ? s : s.substring(0, 40) + "...";
  }
}
