package dev.carapace.policy;

import java.util.Objects;

/**
 * Thrown when a compiled policy cannot be evaluated on the given input. Callers must treat it as a
 * failed appraisal (fail closed), never as "no opinion".
 *
 * <p>A claim or list element that is simply absent is <em>not</em> an error: the condition that
 * reads it is false (see {@link AppraisalPolicy}). This exception is for input that is not a claims
 * tree at all, and for run-time errors of a CEL expression (e.g. {@code claims.tdx.tcb_status > 3}
 * when the claim is a string, division by zero, too many comprehension iterations).
 */
public final class PolicyEvaluationException extends PolicyException {
  private static final long serialVersionUID = 1L;

  /** Why evaluation failed. Stable: callers switch on it. */
  public enum Reason {
    /** The claims contain a value that is not a string, boolean, number, null, list or map. */
    INVALID_CLAIMS,
    /** A CEL expression failed at run time for a reason other than an absent claim. */
    EXPRESSION_ERROR,
    /** A condition evaluated to something other than a boolean. */
    NOT_A_BOOLEAN,
  }

  private final Reason reason;

  PolicyEvaluationException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  PolicyEvaluationException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** Why evaluation failed. */
  public Reason reason() {
    return reason;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
