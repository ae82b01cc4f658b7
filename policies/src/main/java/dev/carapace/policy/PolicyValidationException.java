package dev.carapace.policy;

import java.util.Objects;

/**
 * Thrown by {@link PolicyParser} when a policy document is rejected. {@link #line()} is the 1-based
 * line of the document where the problem is ({@code 0} when unknown), {@link #path()} the location
 * in the document's structure (e.g. {@code trustworthiness.hardware.rules[1].when}), and {@link
 * #reason()} a stable code to switch on.
 */
public final class PolicyValidationException extends PolicyException {
  private static final long serialVersionUID = 1L;

  /** Why a document was rejected. Stable: tests and API error types switch on it. */
  public enum Reason {
    /** Not well-formed YAML or JSON, more than one YAML document, or a duplicate key. */
    MALFORMED_DOCUMENT,
    /** The document exceeds {@link PolicyParser#MAX_DOCUMENT_CHARS}. */
    DOCUMENT_TOO_LARGE,
    /** A field the schema does not define (rejected, never ignored). */
    UNKNOWN_FIELD,
    /** A required field is absent (e.g. {@code id}). */
    MISSING_FIELD,
    /** A field has the wrong JSON type (e.g. a list where a string is expected). */
    WRONG_TYPE,
    /**
     * A field has the right type but an unacceptable value: an id that is not a slug, a
     * trustworthiness value outside {@code -128..127}, an empty rule list, a bad glob.
     */
    INVALID_VALUE,
    /** A CEL expression does not parse. */
    EXPRESSION_SYNTAX,
    /**
     * A CEL expression does not type-check (e.g. comparing a string with an int, an undeclared
     * variable) or its result type is not {@code bool}.
     */
    EXPRESSION_TYPE,
    /** A CEL expression uses {@code rv} other than as {@code rv["<name>"]} with a literal name. */
    REFERENCE_VALUE_ACCESS,
  }

  private final Reason reason;
  private final int line;
  private final String path;
  private final String detail;

  PolicyValidationException(Reason reason, int line, String path, String detail) {
    super(format(reason, line, path, detail));
    this.reason = Objects.requireNonNull(reason, "reason");
    this.line = line;
    this.path = Objects.requireNonNull(path, "path");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  private static String format(Reason reason, int line, String path, String detail) {
    StringBuilder sb = new StringBuilder(reason.name());
    if (line > 0) {
      sb.append(" at line ").append(line);
    }
    if (!path.isEmpty()) {
      sb.append(" (").append(path).append(')');
    }
    return sb.append(": ").append(detail).toString();
  }

  /** Why the document was rejected. */
  public Reason reason() {
    return reason;
  }

  /** The 1-based document line of the problem, or {@code 0} if unknown. */
  public int line() {
    return line;
  }

  /**
   * Where in the document's structure the problem is, e.g. {@code rules[0].allow}; may be empty.
   */
  public String path() {
    return path;
  }

  /** What was expected and what was found, without line or path (those are separate). */
  public String detail() {
    return detail;
  }
}
