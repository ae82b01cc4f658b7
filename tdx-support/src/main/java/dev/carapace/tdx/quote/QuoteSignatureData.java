package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * ECDSA-256 quote signature data ("Quote v4 Auth Data").
 *
 * @param quoteSignature r‖s, 32 bytes each, big-endian, over the header and body
 * @param attestationKey the P-256 attestation public key X‖Y (64 bytes)
 * @param certification certification data of type 6
 */
public record QuoteSignatureData(
    Bytes quoteSignature, Bytes attestationKey, QeReportCertificationData certification) {

  public QuoteSignatureData {
    Bytes.requireSize(quoteSignature, 64, "quoteSignature");
    Bytes.requireSize(attestationKey, 64, "attestationKey");
    Objects.requireNonNull(certification, "certification");
  }

  public int encodedSize() {
    return 64 + 64 + 2 + 4 + certification.encodedSize();
  }
}
