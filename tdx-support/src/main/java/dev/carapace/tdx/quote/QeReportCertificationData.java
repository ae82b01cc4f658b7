package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * Certification data of type 6: the quoting enclave's report, its signature by the PCK key, the
 * QE authentication data and the nested certification data (type 5, the PCK chain).
 */
public record QeReportCertificationData(
    EnclaveReportBody qeReport,
    Bytes qeReportSignature,
    Bytes qeAuthData,
    CertificationData pckCertificationData) {

  public QeReportCertificationData {
    Objects.requireNonNull(qeReport, "qeReport");
    Bytes.requireSize(qeReportSignature, 64, "qeReportSignature");
    Objects.requireNonNull(qeAuthData, "qeAuthData");
    Fields.u16(qeAuthData.size(), "qeAuthData length");
    Objects.requireNonNull(pckCertificationData, "pckCertificationData");
  }

  /** Encoded length of this structure. */
  public int encodedSize() {
    return EnclaveReportBody.SIZE + 64 + 2 + qeAuthData.size() + 2 + 4
        + pckCertificationData.data().size();
  }
}
