package dev.carapace.guest.attester;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;

/**
 * A source of TEE evidence: the JSON document CoCo's attester for {@link #tee()} sends as the
 * KBS {@code primary_evidence}, carrying the given report data in its hardware-signed field.
 *
 * <p>Implementations are thread-safe unless they say otherwise.
 */
public interface Attester {
  /** Size of the hardware report-data field of TDX and SEV-SNP. */
  int REPORT_DATA_SIZE = 64;

  /** The KBS {@code tee} name: {@code tdx}, {@code snp}, {@code sample}, ... */
  String tee();

  /**
   * The evidence for {@code reportData} (exactly as {@link #reportData} returns it). A new node
   * per call, owned by the caller.
   *
   * @throws AttesterException if the TEE cannot produce evidence
   */
  ObjectNode evidence(Bytes reportData) throws AttesterException;

  /**
   * The report data for a runtime-data digest, as the CoCo attester derives it: by default the
   * digest padded with zero bytes to {@value #REPORT_DATA_SIZE} bytes ({@code sample} uses the
   * digest unchanged).
   *
   * @throws IllegalArgumentException if the digest is longer than the report-data field
   */
  default Bytes reportData(Bytes runtimeDataDigest) {
    if (runtimeDataDigest.size() > REPORT_DATA_SIZE) {
      throw new IllegalArgumentException("report data is at most " + REPORT_DATA_SIZE
          + " bytes, got " + runtimeDataDigest.size());
    }
    byte[] out = new byte[REPORT_DATA_SIZE];
    runtimeDataDigest.copyTo(out, 0);
    return Bytes.copyOf(out);
  }
}
