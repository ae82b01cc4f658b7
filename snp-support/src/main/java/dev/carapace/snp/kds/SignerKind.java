package dev.carapace.snp.kds;

import java.util.Locale;

/**
 * Which AMD key signs an attestation report: the chip-unique VCEK (endorsed by the ASK) or the
 * cloud-provider VLEK (endorsed by the ASVK). Both chains end in the same per-product ARK.
 */
public enum SignerKind {
  /** Versioned Chip Endorsement Key; chain ASK → ARK; fetchable from KDS by chip id and TCB. */
  VCEK,
  /**
   * Versioned Loaded Endorsement Key; chain ASVK → ARK. KDS serves VLEKs only to the cloud provider
   * (with its credentials), so a VLEK always comes with the evidence (extended-report certificate
   * table); only its chain and CRL are public.
   */
  VLEK;

  /** The first path segment of the KDS URLs for this kind: {@code vcek} or {@code vlek}. */
  public String kdsPath() {
    return name().toLowerCase(Locale.ROOT);
  }
}
