package dev.carapace.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.carapace.policy.DocumentNode.Field;
import dev.carapace.policy.DocumentNode.ListNode;
import dev.carapace.policy.DocumentNode.MapNode;
import dev.carapace.policy.DocumentNode.ScalarNode;
import dev.carapace.policy.PolicyValidationException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a YAML or JSON policy document into a {@link DocumentNode} tree with line numbers. A
 * document whose first non-blank character is <code>{</code> is read as JSON, any other as YAML
 * (one document; aliases, duplicate keys and trailing documents are rejected).
 */
final class DocumentReader {
  private static final int MAX_DEPTH = 32;

  private static final StreamReadConstraints CONSTRAINTS =
      StreamReadConstraints.builder()
          .maxNestingDepth(MAX_DEPTH)
          .maxStringLength(PolicyParser.MAX_DOCUMENT_CHARS)
          .maxNumberLength(40)
          .build();

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(CONSTRAINTS)
          .build();

  private static final YAMLFactory YAML =
      YAMLFactory.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .streamReadConstraints(CONSTRAINTS)
          .build();

  private final String document;

  private DocumentReader(String document) {
    this.document = document;
  }

  /** Parses {@code document}; the root must be a mapping. */
  static MapNode read(String document) throws PolicyValidationException {
    if (document.length() > PolicyParser.MAX_DOCUMENT_CHARS) {
      throw new PolicyValidationException(
          Reason.DOCUMENT_TOO_LARGE,
          0,
          "",
          "a policy document may have at most "
              + PolicyParser.MAX_DOCUMENT_CHARS
              + " characters, found "
              + document.length());
    }
    String trimmed = document.stripLeading();
    JsonFactory factory = trimmed.startsWith("{") ? JSON : YAML;
    try (JsonParser parser = factory.createParser(document)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        throw new PolicyValidationException(
            Reason.MALFORMED_DOCUMENT, 0, "", "the document is empty");
      }
      DocumentReader reader = new DocumentReader(document);
      DocumentNode root = reader.node(parser, 0);
      if (parser.nextToken() != null) {
        throw new PolicyValidationException(
            Reason.MALFORMED_DOCUMENT,
            line(parser.currentTokenLocation()),
            "",
            "a policy file must hold exactly one document");
      }
      if (!(root instanceof MapNode map)) {
        throw new PolicyValidationException(
            Reason.WRONG_TYPE,
            root.line(),
            "",
            "the document must be an object, found " + root.typeName());
      }
      return map;
    } catch (JsonProcessingException e) {
      JsonLocation location = e.getLocation();
      throw new PolicyValidationException(
          Reason.MALFORMED_DOCUMENT,
          location == null ? 0 : line(location),
          "",
          e.getOriginalMessage());
    } catch (IOException e) {
      // Reading from a String performs no I/O; any other IOException is a parser failure.
      throw new PolicyValidationException(Reason.MALFORMED_DOCUMENT, 0, "", e.getMessage());
    }
  }

  private DocumentNode node(JsonParser parser, int depth)
      throws IOException, PolicyValidationException {
    JsonToken token = parser.currentToken();
    int line = line(parser.currentTokenLocation());
    if (depth > MAX_DEPTH) {
      throw new PolicyValidationException(
          Reason.MALFORMED_DOCUMENT, line, "", "nesting deeper than " + MAX_DEPTH + " levels");
    }
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      throw new PolicyValidationException(
          Reason.MALFORMED_DOCUMENT, line, "", "YAML aliases are not supported in policies");
    }
    switch (token) {
      case START_OBJECT -> {
        Map<String, Field> fields = new LinkedHashMap<>();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
          String key = parser.currentName();
          int keyLine = line(parser.currentTokenLocation());
          parser.nextToken();
          fields.put(key, new Field(key, keyLine, node(parser, depth + 1)));
        }
        return new MapNode(line, fields);
      }
      case START_ARRAY -> {
        List<DocumentNode> items = new ArrayList<>();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          items.add(node(parser, depth + 1));
        }
        return new ListNode(line, items);
      }
      case VALUE_STRING -> {
        return scalar(parser, line, parser.getText(), parser.getText());
      }
      case VALUE_NUMBER_INT -> {
        Number n = parser.getNumberValue();
        Object value = n instanceof BigInteger big ? big : Long.valueOf(n.longValue());
        return scalar(parser, line, parser.getText(), value);
      }
      case VALUE_NUMBER_FLOAT -> {
        return scalar(parser, line, parser.getText(), parser.getDoubleValue());
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return scalar(parser, line, parser.getText(), token == JsonToken.VALUE_TRUE);
      }
      case VALUE_NULL -> {
        return new ScalarNode(line, line, false, "null", null);
      }
      default ->
          throw new PolicyValidationException(
              Reason.MALFORMED_DOCUMENT, line, "", "unsupported value " + token);
    }
  }

  private ScalarNode scalar(JsonParser parser, int line, String text, Object value) {
    long offset = parser.currentTokenLocation().getCharOffset();
    boolean literal = false;
    boolean block = false;
    if (parser instanceof YAMLParser && offset >= 0 && offset < document.length()) {
      char indicator = document.charAt((int) offset);
      literal = indicator == '|';
      block = literal || indicator == '>';
    }
    return new ScalarNode(line, block ? line + 1 : line, literal, text, value);
  }

  private static int line(JsonLocation location) {
    return Math.max(location.getLineNr(), 0);
  }
}
