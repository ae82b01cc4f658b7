package dev.carapace.policy;

import org.jspecify.annotations.Nullable;

/**
 * A broken invariant inside this module (for example a shipped default policy that no longer
 * parses): always a bug in Carapace, never caused by input.
 */
final class PolicyBugException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  PolicyBugException(String message, @Nullable Throwable cause) {
    super(message, cause);
  }
}
