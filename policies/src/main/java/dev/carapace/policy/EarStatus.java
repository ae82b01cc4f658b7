package dev.carapace.policy;

/**
 * The EAR trust tier of an appraisal ({@code ear.status} in draft-ietf-rats-ear), ordered from best
 * to worst: {@code NONE < AFFIRMING < WARNING < CONTRAINDICATED} is the order of {@link
 * #compareTo}, so the status of a vector is the maximum over its claims' tiers.
 */
public enum EarStatus {
  /** No claim is being made (every trustworthiness claim is in {@code -1..1}). */
  NONE("none"),
  /** The verifier affirms the attester's trustworthiness. */
  AFFIRMING("affirming"),
  /** The verifier makes no strong statement, but some claim warrants caution. */
  WARNING("warning"),
  /** The verifier has found a problem that rules the attester out. */
  CONTRAINDICATED("contraindicated");

  private final String earName;

  EarStatus(String earName) {
    this.earName = earName;
  }

  /** The value of {@code ear.status} in an EAR token: {@code "none"}, {@code "affirming"}, ... */
  public String earName() {
    return earName;
  }

  /**
   * The tier of one AR4SI trustworthiness claim value, as rust-ear ({@code TrustClaim::tier})
   * computes it: {@code -1..1} none, {@code -32..31} affirming, {@code -96..95} warning, anything
   * else contraindicated.
   *
   * @throws IllegalArgumentException if {@code value} is outside the signed byte range {@code
   *     -128..127} of a trustworthiness claim
   */
  public static EarStatus ofClaimValue(int value) {
    if (value < -128 || value > 127) {
      throw new IllegalArgumentException(
          "trustworthiness claim value must be in -128..127, found " + value);
    }
    if (value >= -1 && value <= 1) {
      return NONE;
    }
    if (value >= -32 && value < 32) {
      return AFFIRMING;
    }
    if (value >= -96 && value < 96) {
      return WARNING;
    }
    return CONTRAINDICATED;
  }

  /**
   * Parses an {@code ear.status} value.
   *
   * @throws IllegalArgumentException if {@code earName} is not one of the four EAR tier names
   */
  public static EarStatus fromEarName(String earName) {
    for (EarStatus status : values()) {
      if (status.earName.equals(earName)) {
        return status;
      }
    }
    throw new IllegalArgumentException(
        "ear.status must be none, affirming, warning or contraindicated, found '" + earName + "'");
  }

  /** The worse of this status and {@code other}. */
  public EarStatus worst(EarStatus other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
