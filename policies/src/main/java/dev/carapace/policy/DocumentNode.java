package dev.carapace.policy;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A parsed YAML/JSON policy document that remembers where each value was: the tree {@link
 * DocumentReader} builds so that every validation error can name its line.
 */
sealed interface DocumentNode {

  /** 1-based line where the value starts. */
  int line();

  /** A human name for the node's JSON type, for "expected X, found Y" messages. */
  String typeName();

  /** A mapping; {@code fields} keeps document order. */
  record MapNode(int line, Map<String, Field> fields) implements DocumentNode {
    @Override
    public String typeName() {
      return "an object";
    }
  }

  /** One key of a mapping and its value; {@code line} is the key's line. */
  record Field(String key, int line, DocumentNode value) {}

  /** A sequence. */
  record ListNode(int line, List<DocumentNode> items) implements DocumentNode {
    @Override
    public String typeName() {
      return "a list";
    }
  }

  /**
   * A scalar. {@code value} is a {@link String}, {@link Boolean}, {@link Long}, {@link
   * java.math.BigInteger}, {@link Double} or null; {@code text} is the scalar as written (for
   * numbers) or its string value. {@code contentLine} is the line the text starts on (the line
   * after the indicator for a YAML block scalar), and {@code linesPreserved} says whether the
   * text's line breaks are the document's (a YAML literal block scalar), so that a line inside the
   * text maps to {@code contentLine + n - 1}.
   */
  record ScalarNode(
      int line, int contentLine, boolean linesPreserved, String text, @Nullable Object value)
      implements DocumentNode {
    @Override
    public String typeName() {
      if (value == null) {
        return "null";
      }
      if (value instanceof String) {
        return "a string";
      }
      if (value instanceof Boolean) {
        return "a boolean";
      }
      return value instanceof Double ? "a decimal number" : "an integer";
    }

    /** The document line of line {@code n} (1-based) of this scalar's text. */
    int lineOf(int n) {
      return linesPreserved && n > 1 ? contentLine + n - 1 : contentLine;
    }
  }
}
