package dev.carapace.policy;

import dev.carapace.policy.PolicyEvaluationException.Reason;
import dev.cel.common.CelErrorCode;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.Program;
import java.util.Map;
import java.util.Set;

/**
 * One compiled CEL condition of a policy. Immutable and thread-safe.
 *
 * <p><b>Absent claims make a condition false.</b> Reading a map key that is not there ({@code
 * claims.tdx} on SNP claims) or a list index past the end fails the CEL evaluation with {@code
 * ATTRIBUTE_NOT_FOUND} or {@code INDEX_OUT_OF_BOUNDS}; such a condition is false (fail closed).
 * CEL's logical operators absorb errors where the other operand decides ({@code false && e} is
 * false, {@code true || e} true), so {@code has(claims.tdx) && ...} guards work as usual. Any other
 * run-time error is a {@link PolicyEvaluationException}.
 */
final class Condition {
  private final String source;
  private final int line;
  private final String path;
  private final Program program;
  private final Set<String> referenceValueNames;

  Condition(
      String source, int line, String path, Program program, Set<String> referenceValueNames) {
    this.source = source;
    this.line = line;
    this.path = path;
    this.program = program;
    this.referenceValueNames = Set.copyOf(referenceValueNames);
  }

  /** The expression as written. */
  String source() {
    return source;
  }

  /** The names {@code n} of the {@code rv["n"]} this condition reads. */
  Set<String> referenceValueNames() {
    return referenceValueNames;
  }

  /** Evaluates the condition on {@code variables} (already normalized by {@link ClaimsTree}). */
  boolean test(Map<String, ?> variables) throws PolicyEvaluationException {
    Object result;
    try {
      result = program.eval(variables);
    } catch (CelEvaluationException e) {
      CelErrorCode code = e.getErrorCode();
      if (code == CelErrorCode.ATTRIBUTE_NOT_FOUND || code == CelErrorCode.INDEX_OUT_OF_BOUNDS) {
        return false;
      }
      throw new PolicyEvaluationException(
          Reason.EXPRESSION_ERROR, where() + ": " + code + ": " + e.getMessage(), e);
    }
    if (result instanceof Boolean b) {
      return b;
    }
    throw new PolicyEvaluationException(
        Reason.NOT_A_BOOLEAN,
        where()
            + ": a condition must evaluate to a bool, found "
            + result.getClass().getSimpleName());
  }

  private String where() {
    return path + " (line " + line + ")";
  }

  /** A short description for reasons: the expression, abbreviated to one line of 80 characters. */
  String summary() {
    String oneLine = source.strip().replaceAll("\\s+", " ");
    return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
  }
}
