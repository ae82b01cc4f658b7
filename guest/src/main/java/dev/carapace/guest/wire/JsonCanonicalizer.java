package dev.carapace.guest.wire;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * RFC 8785 (JCS) canonical JSON for the documents the guest hashes: objects with keys sorted by
 * UTF-16 code units, no whitespace, strings escaped as ECMAScript's {@code JSON.stringify}
 * does. Numbers are limited to integers (the runtime data holds none); other numbers are
 * rejected rather than risk ES6 formatting differences. Stateless.
 */
public final class JsonCanonicalizer {
  private JsonCanonicalizer() {}

  /** The canonical form of {@code value}. */
  public static String canonicalize(JsonNode value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(JsonNode n, StringBuilder out) {
    if (n.isObject()) {
      List<String> keys = new ArrayList<>();
      n.fieldNames().forEachRemaining(keys::add);
      Collections.sort(keys); // String.compareTo compares UTF-16 code units, as RFC 8785 wants
      out.append('{');
      for (int i = 0; i < keys.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        string(keys.get(i), out);
        out.append(':');
        write(n.get(keys.get(i)), out);
      }
      out.append('}');
    } else if (n.isArray()) {
      out.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) {
          out.append(',');
        }
        write(n.get(i), out);
      }
      out.append(']');
    } else if (n.isTextual()) {
      string(n.asText(), out);
    } else if (n.isBoolean()) {
      out.append(n.booleanValue());
    } else if (n.isNull()) {
      out.append("null");
    } else if (n.isIntegralNumber() && n.canConvertToLong()
        && Math.abs(n.longValue()) <= (1L << 53)) {
      out.append(n.longValue());
    } else {
      throw new IllegalArgumentException("only strings, integers, booleans, null, arrays and "
          + "objects are canonicalized, got " + n.getNodeType());
    }
  }

  private static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }
}
