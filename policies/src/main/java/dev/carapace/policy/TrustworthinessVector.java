package dev.carapace.policy;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An AR4SI trustworthiness vector: one signed-byte value per {@link TrustworthinessClaim}. A value
 * of {@code 0} means "no claim is being made"; values are interpreted by {@link
 * EarStatus#ofClaimValue}. Common values (draft-ietf-rats-ar4si, rust-ear): {@code 2} approved /
 * genuine, {@code 3} approved boot-time executables or no known configuration vulnerabilities,
 * {@code 32} known vulnerabilities, {@code 33} unrecognized executables, {@code 36} configuration
 * unavailable, {@code 96} contraindicated, {@code 97} unrecognized hardware or instance, {@code 99}
 * cryptographic validation failed.
 *
 * @param instanceIdentity {@code instance-identity}
 * @param configuration {@code configuration}
 * @param executables {@code executables}
 * @param fileSystem {@code file-system}
 * @param hardware {@code hardware}
 * @param runtimeOpaque {@code runtime-opaque}
 * @param storageOpaque {@code storage-opaque}
 * @param sourcedData {@code sourced-data}
 */
public record TrustworthinessVector(
    int instanceIdentity,
    int configuration,
    int executables,
    int fileSystem,
    int hardware,
    int runtimeOpaque,
    int storageOpaque,
    int sourcedData) {

  /** The vector that makes no claim at all (every value {@code 0}). */
  public static final TrustworthinessVector NO_CLAIMS =
      new TrustworthinessVector(0, 0, 0, 0, 0, 0, 0, 0);

  /**
   * Checks that every value fits the signed byte of an EAR trustworthiness claim.
   *
   * @throws IllegalArgumentException if a value is outside {@code -128..127}
   */
  public TrustworthinessVector {
    check("instance-identity", instanceIdentity);
    check("configuration", configuration);
    check("executables", executables);
    check("file-system", fileSystem);
    check("hardware", hardware);
    check("runtime-opaque", runtimeOpaque);
    check("storage-opaque", storageOpaque);
    check("sourced-data", sourcedData);
  }

  private static void check(String name, int value) {
    if (value < -128 || value > 127) {
      throw new IllegalArgumentException(name + " must be in -128..127, found " + value);
    }
  }

  /**
   * Builds a vector from claim values; claims missing from {@code values} are {@code 0}.
   *
   * @throws IllegalArgumentException if a value is outside {@code -128..127}
   */
  public static TrustworthinessVector of(Map<TrustworthinessClaim, Integer> values) {
    Objects.requireNonNull(values, "values");
    int[] v = new int[TrustworthinessClaim.values().length];
    values.forEach((claim, value) -> v[claim.ordinal()] = value);
    return new TrustworthinessVector(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]);
  }

  /** The value of one claim. */
  public int get(TrustworthinessClaim claim) {
    return switch (claim) {
      case INSTANCE_IDENTITY -> instanceIdentity;
      case CONFIGURATION -> configuration;
      case EXECUTABLES -> executables;
      case FILE_SYSTEM -> fileSystem;
      case HARDWARE -> hardware;
      case RUNTIME_OPAQUE -> runtimeOpaque;
      case STORAGE_OPAQUE -> storageOpaque;
      case SOURCED_DATA -> sourcedData;
    };
  }

  /**
   * The vector as the JSON object of {@code ear.trustworthiness-vector}: all eight AR4SI claim
   * names ({@code "instance-identity"}, {@code "configuration"}, {@code "executables"}, {@code
   * "file-system"}, {@code "hardware"}, {@code "runtime-opaque"}, {@code "storage-opaque"}, {@code
   * "sourced-data"}) in that order, mapped to their values. The map is unmodifiable.
   */
  public Map<String, Integer> toEarClaims() {
    Map<String, Integer> claims = new LinkedHashMap<>();
    for (TrustworthinessClaim claim : TrustworthinessClaim.values()) {
      claims.put(claim.earName(), get(claim));
    }
    return Collections.unmodifiableMap(claims);
  }

  /**
   * The EAR status of this vector: the worst {@link EarStatus#ofClaimValue tier} of its claims (any
   * contraindicated value makes it {@link EarStatus#CONTRAINDICATED}, else any warning value {@link
   * EarStatus#WARNING}, else any affirming value {@link EarStatus#AFFIRMING}, else {@link
   * EarStatus#NONE}), as rust-ear's {@code update_status_from_trust_vector} derives it.
   */
  public EarStatus status() {
    EarStatus status = EarStatus.NONE;
    for (TrustworthinessClaim claim : TrustworthinessClaim.values()) {
      status = status.worst(EarStatus.ofClaimValue(get(claim)));
    }
    return status;
  }
}
