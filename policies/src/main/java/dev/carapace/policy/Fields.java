package dev.carapace.policy;

import dev.carapace.policy.DocumentNode.Field;
import dev.carapace.policy.DocumentNode.ListNode;
import dev.carapace.policy.DocumentNode.MapNode;
import dev.carapace.policy.DocumentNode.ScalarNode;
import dev.carapace.policy.PolicyValidationException.Reason;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Typed, line-aware access to the fields of one mapping of a policy document. Construction rejects
 * keys outside the schema, so that a misspelt field is an error rather than silently ignored.
 */
final class Fields {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final MapNode node;
  private final String path;

  private Fields(MapNode node, String path) {
    this.node = node;
    this.path = path;
  }

  /**
   * Wraps {@code node}, which must be a mapping whose keys are all in {@code allowed}.
   *
   * @param path where {@code node} is, e.g. {@code rules[0]}; empty for the root
   */
  static Fields of(DocumentNode node, String path, Set<String> allowed)
      throws PolicyValidationException {
    if (!(node instanceof MapNode map)) {
      throw wrongType(node, path, "an object");
    }
    for (Field field : map.fields().values()) {
      if (!allowed.contains(field.key())) {
        throw new PolicyValidationException(
            Reason.UNKNOWN_FIELD,
            field.line(),
            child(path, field.key()),
            "unknown field '" + field.key() + "'; expected one of " + sorted(allowed));
      }
    }
    return new Fields(map, path);
  }

  int line() {
    return node.line();
  }

  String path() {
    return path;
  }

  String path(String key) {
    return child(path, key);
  }

  Optional<DocumentNode> get(String key) {
    Field field = node.fields().get(key);
    return field == null ? Optional.empty() : Optional.of(field.value());
  }

  DocumentNode required(String key) throws PolicyValidationException {
    Field field = node.fields().get(key);
    if (field == null) {
      throw new PolicyValidationException(
          Reason.MISSING_FIELD,
          node.line(),
          child(path, key),
          "missing required field '" + key + "'");
    }
    return field.value();
  }

  Optional<ScalarNode> optionalString(String key) throws PolicyValidationException {
    Optional<DocumentNode> value = get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(string(value.get(), path(key)));
  }

  ScalarNode requiredString(String key) throws PolicyValidationException {
    return string(required(key), path(key));
  }

  /**
   * A required CEL condition: a string, or a YAML/JSON boolean, which stands for the CEL constant
   * {@code true} or {@code false} (so {@code allow: true} means what it says).
   */
  ScalarNode requiredCondition(String key) throws PolicyValidationException {
    DocumentNode node = required(key);
    if (node instanceof ScalarNode scalar && scalar.value() instanceof Boolean b) {
      return new ScalarNode(scalar.line(), scalar.contentLine(), false, b.toString(), b.toString());
    }
    return string(node, path(key));
  }

  /** A required policy id: 1 to 128 characters of {@code [A-Za-z0-9._-]}, starting alphanumeric. */
  String requiredId(String key) throws PolicyValidationException {
    ScalarNode id = requiredString(key);
    if (!ID.matcher(id.text()).matches()) {
      throw new PolicyValidationException(
          Reason.INVALID_VALUE,
          id.line(),
          path(key),
          "an id must be 1 to 128 characters of letters, digits, '.', '_' or '-', starting with a"
              + " letter or digit");
    }
    return id.text();
  }

  /** A required version: a string or a number, taken as written (e.g. {@code 1.0}). */
  String requiredVersion(String key) throws PolicyValidationException {
    DocumentNode node = required(key);
    if (node instanceof ScalarNode scalar
        && scalar.value() != null
        && !(scalar.value() instanceof Boolean)
        && !scalar.text().isBlank()) {
      return scalar.text();
    }
    throw wrongType(node, path(key), "a non-empty string");
  }

  /** An integer in {@code min..max}. */
  int requiredInt(String key, int min, int max) throws PolicyValidationException {
    DocumentNode node = required(key);
    if (!(node instanceof ScalarNode scalar)
        || !(scalar.value() instanceof Long || scalar.value() instanceof BigInteger)) {
      throw wrongType(node, path(key), "an integer");
    }
    Number n = (Number) scalar.value();
    if (n instanceof BigInteger || n.longValue() < min || n.longValue() > max) {
      throw new PolicyValidationException(
          Reason.INVALID_VALUE,
          scalar.line(),
          path(key),
          "must be in " + min + ".." + max + ", found " + scalar.text());
    }
    return (int) n.longValue();
  }

  Optional<ListNode> optionalList(String key) throws PolicyValidationException {
    Optional<DocumentNode> value = get(key);
    if (value.isEmpty()) {
      return Optional.empty();
    }
    if (!(value.get() instanceof ListNode list)) {
      throw wrongType(value.get(), path(key), "a list");
    }
    return Optional.of(list);
  }

  ListNode requiredList(String key) throws PolicyValidationException {
    DocumentNode node = required(key);
    if (!(node instanceof ListNode list)) {
      throw wrongType(node, path(key), "a list");
    }
    return list;
  }

  List<Field> entries() {
    return List.copyOf(node.fields().values());
  }

  static ScalarNode string(DocumentNode node, String path) throws PolicyValidationException {
    if (node instanceof ScalarNode scalar && scalar.value() instanceof String) {
      return scalar;
    }
    throw wrongType(node, path, "a string");
  }

  static PolicyValidationException wrongType(DocumentNode node, String path, String expected) {
    return new PolicyValidationException(
        Reason.WRONG_TYPE,
        node.line(),
        path,
        "expected " + expected + ", found " + node.typeName());
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String sorted(Set<String> allowed) {
    return allowed.stream().sorted().toList().toString();
  }
}
