package dev.carapace.policy;

import java.util.List;

/** The outcome of a {@link ResourcePolicy}: release the resource or not. */
public sealed interface PolicyDecision permits PolicyDecision.Allow, PolicyDecision.Deny {

  /** Whether this is an {@link Allow}. */
  default boolean allowed() {
    return this instanceof Allow;
  }

  /** Release the resource. */
  record Allow() implements PolicyDecision {}

  /**
   * Do not release the resource.
   *
   * @param reasons why, one line per rule that applied and did not allow (or a single line saying
   *     that no rule applies); for logs and error details, never parsed
   */
  record Deny(List<String> reasons) implements PolicyDecision {
    /** Copies {@code reasons}. */
    public Deny {
      reasons = List.copyOf(reasons);
    }
  }
}
