package dev.carapace.policy;

/**
 * Root of the checked exceptions of this module: a policy document that cannot be accepted ({@link
 * PolicyValidationException}) or a policy that cannot be evaluated on given input ({@link
 * PolicyEvaluationException}). Messages never contain claim values or reference values.
 */
public abstract sealed class PolicyException extends Exception
    permits PolicyValidationException, PolicyEvaluationException {
  private static final long serialVersionUID = 1L;

  PolicyException(String message) {
    super(message);
  }

  PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
