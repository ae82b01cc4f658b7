package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Certification data: a type and opaque bytes. Type 5 is a PEM PCK certificate chain.
 *
 * @param type 1..7 as defined by Intel DCAP (5 = PCK chain, 6 = QE report certification data)
 */
public record CertificationData(int type, Bytes data) {
  public static final int TYPE_PCK_CERT_CHAIN = 5;
  public static final int TYPE_QE_REPORT = 6;

  public CertificationData {
    Fields.u16(type, "type");
    Objects.requireNonNull(data, "data");
  }

  /** The data as text (meaningful for type 5, a PEM chain). */
  public String asText() {
    return new String(data.toByteArray(), StandardCharsets.US_ASCII);
  }
}
