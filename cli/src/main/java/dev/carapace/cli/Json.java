package dev.carapace.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON output helpers for {@code --json}. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /**
   * Records a rejection in a command's result as {@code "error": {"reason", "message"}}: every
   * command reports failures in this one shape.
   */
  static void putError(ObjectNode result, String reason, String message) {
    ObjectNode error = result.putObject("error");
    error.put("reason", reason);
    error.put("message", message);
  }

  static String pretty(ObjectNode node) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
