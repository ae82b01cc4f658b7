package dev.carapace.attestation.service.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.service.evidence.EvidenceException.Reason;
import java.io.IOException;
import java.util.Base64;

/** Reading the attesters' JSON evidence documents and their base64 fields. Stateless. */
final class EvidenceJson {
  private EvidenceJson() {}

  static ObjectNode object(ObjectMapper mapper, byte[] evidence, String tee)
      throws EvidenceException {
    JsonNode node;
    try {
      node = mapper.readTree(evidence);
    } catch (IOException e) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, null,
          tee + " evidence is not JSON", e);
    }
    if (!(node instanceof ObjectNode o)) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE,
          tee + " evidence must be a JSON object");
    }
    return o;
  }

  static String text(ObjectNode o, String field, String tee) throws EvidenceException {
    JsonNode n = o.get(field);
    if (n == null || !n.isTextual()) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE,
          tee + " evidence must have a string \"" + field + "\"");
    }
    return n.asText();
  }

  /** Standard or URL-safe base64, padded or not. */
  static byte[] base64(String text, String what) throws EvidenceException {
    try {
      return decodeBase64(text);
    } catch (IllegalArgumentException e) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, null, what + " is not base64", e);
    }
  }

  /** Standard or URL-safe base64, padded or not; IllegalArgumentException otherwise. */
  static byte[] decodeBase64(String text) {
    String t = text.strip();
    boolean url = t.indexOf('-') >= 0 || t.indexOf('_') >= 0;
    int pad = t.indexOf('=');
    String body = pad >= 0 ? t.substring(0, pad) : t;
    for (int i = body.length(); i < t.length(); i++) {
      if (t.charAt(i) != '=') {
        throw new IllegalArgumentException("data after base64 padding");
      }
    }
    return (url ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(body);
  }
}
