package dev.carapace.policy;

import java.util.Optional;

/**
 * The eight AR4SI trustworthiness claims (draft-ietf-rats-ar4si), in the order of their EAR CBOR
 * keys {@code 0..7}, with the JSON names an EAR token uses in {@code ear.trustworthiness-vector}.
 */
public enum TrustworthinessClaim {
  /** {@code instance-identity}: is the attesting instance recognized and not compromised? */
  INSTANCE_IDENTITY("instance-identity"),
  /** {@code configuration}: is the configuration approved and free of known vulnerabilities? */
  CONFIGURATION("configuration"),
  /** {@code executables}: were only approved executables loaded? */
  EXECUTABLES("executables"),
  /** {@code file-system}: are only approved files present? */
  FILE_SYSTEM("file-system"),
  /** {@code hardware}: is the hardware/firmware genuine and up to date? */
  HARDWARE("hardware"),
  /** {@code runtime-opaque}: is run-time memory opaque to the host? */
  RUNTIME_OPAQUE("runtime-opaque"),
  /** {@code storage-opaque}: are persisted secrets encrypted with hardware-backed keys? */
  STORAGE_OPAQUE("storage-opaque"),
  /** {@code sourced-data}: does input data come from affirmed attesters? */
  SOURCED_DATA("sourced-data");

  private final String earName;

  TrustworthinessClaim(String earName) {
    this.earName = earName;
  }

  /** The claim's JSON name in an EAR trustworthiness vector, e.g. {@code "file-system"}. */
  public String earName() {
    return earName;
  }

  /** The claim's integer key in the CBOR serialization of EAR ({@code 0..7}). */
  public int earKey() {
    return ordinal();
  }

  /** The claim whose EAR JSON name is {@code earName}, if any. */
  public static Optional<TrustworthinessClaim> fromEarName(String earName) {
    for (TrustworthinessClaim claim : values()) {
      if (claim.earName.equals(earName)) {
        return Optional.of(claim);
      }
    }
    return Optional.empty();
  }
}
