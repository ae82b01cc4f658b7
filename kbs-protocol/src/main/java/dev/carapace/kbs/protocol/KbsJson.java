package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import java.io.IOException;
import java.util.Base64;

/**
 * JSON reading and writing for the protocol's fixed shapes: duplicate members rejected, nesting
 * and string sizes bounded, compact output. Stateless and thread-safe.
 */
public final class KbsJson {
  private KbsJson() {}

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(64)
        .maxStringLength(KbsProtocol.MAX_REQUEST_BYTES)
        .build());
  }

  /** Parses a JSON document, MALFORMED_MESSAGE when it is not one. */
  public static JsonNode parse(byte[] json) throws KbsProtocolException {
    try {
      JsonNode n = MAPPER.readTree(json);
      if (n == null || n.isMissingNode()) {
        throw new KbsProtocolException(Reason.MALFORMED_MESSAGE, "empty body");
      }
      return n;
    } catch (IOException e) {
      throw new KbsProtocolException(Reason.MALFORMED_MESSAGE,
          "not a JSON document: " + firstLine(e.getMessage()), e);
    }
  }

  /** Compact JSON text, members in insertion order. */
  public static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("JSON trees always serialize", e);
    }
  }

  /** A new, empty, insertion-ordered object. */
  public static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  static String text(JsonNode o, String member, Reason reason) throws KbsProtocolException {
    JsonNode n = o.get(member);
    if (n == null || !n.isTextual()) {
      throw new KbsProtocolException(reason, "\"" + member + "\" must be a string");
    }
    return n.asText();
  }

  static Bytes base64UrlMember(JsonNode o, String member, Reason reason)
      throws KbsProtocolException {
    String s = text(o, member, reason);
    try {
      return Bytes.copyOf(base64UrlDecode(s));
    } catch (IllegalArgumentException e) {
      throw new KbsProtocolException(reason, "\"" + member + "\" is not base64url");
    }
  }

  /** base64url without padding. */
  public static String base64Url(Bytes b) {
    return base64Url(b.toByteArray());
  }

  /** base64url without padding. */
  public static String base64Url(byte[] b) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** Decodes base64url without padding; IllegalArgumentException otherwise. */
  public static byte[] base64UrlDecode(String s) {
    if (s.indexOf('=') >= 0 || s.indexOf('+') >= 0 || s.indexOf('/') >= 0) {
      throw new IllegalArgumentException("not unpadded base64url");
    }
    return Base64.getUrlDecoder().decode(s);
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
