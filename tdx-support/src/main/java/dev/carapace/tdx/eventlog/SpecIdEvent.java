package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The log's first entry: a legacy TCG_PCR_EVENT of type EV_NO_ACTION whose data is the
 * TCG_EfiSpecIdEvent ("Spec ID Event03") structure. It declares which digest algorithms (and
 * sizes) every following TCG_PCR_EVENT2 uses. It is event number 0 of the log; it is never
 * replayed. Immutable.
 *
 * @param mrIndex the legacy header's index field (0 by the TCG spec; 1 in GCE logs)
 * @param legacyDigest the legacy header's 20-byte digest (zeros in practice)
 * @param platformClass u32
 * @param specVersionMinor u8
 * @param specVersionMajor u8 (2 for crypto-agile logs)
 * @param specErrata u8
 * @param uintnSize u8 (1 = 32-bit UINTN, 2 = 64-bit UINTN)
 * @param algorithms the algorithms in declaration order; non-empty, distinct ids
 * @param vendorInfo the trailing vendor data (e.g. "td-shim"), possibly empty
 */
public record SpecIdEvent(
    long mrIndex,
    Bytes legacyDigest,
    long platformClass,
    int specVersionMinor,
    int specVersionMajor,
    int specErrata,
    int uintnSize,
    List<DigestAlgorithm> algorithms,
    Bytes vendorInfo) {

  /** The 16-byte signature that opens the structure, NUL-terminated. */
  public static final String SIGNATURE = "Spec ID Event03\0";
  public static final int LEGACY_DIGEST_SIZE = 20;

  public SpecIdEvent {
    Objects.requireNonNull(legacyDigest, "legacyDigest");
    Objects.requireNonNull(vendorInfo, "vendorInfo");
    if (legacyDigest.size() != LEGACY_DIGEST_SIZE) {
      throw new IllegalArgumentException("legacyDigest must be 20 bytes");
    }
    algorithms = List.copyOf(algorithms);
    if (algorithms.isEmpty()) {
      throw new IllegalArgumentException("at least one algorithm is required");
    }
    Set<Integer> ids = new HashSet<>();
    for (DigestAlgorithm a : algorithms) {
      if (!ids.add(a.id())) {
        throw new IllegalArgumentException("algorithm " + a.name() + " listed twice");
      }
    }
  }

  /** The declared algorithm with this TPM_ALG_ID, if the log uses it. */
  public Optional<DigestAlgorithm> algorithm(int id) {
    for (DigestAlgorithm a : algorithms) {
      if (a.id() == id) {
        return Optional.of(a);
      }
    }
    return Optional.empty();
  }
}
