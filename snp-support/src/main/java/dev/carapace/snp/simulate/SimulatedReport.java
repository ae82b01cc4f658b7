package dev.carapace.snp.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.evidence.io.pem.Pem;
import dev.carapace.snp.report.AttestationReport;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * A signed report from {@link SnpReportSimulator} with what a verifier needs besides trusted
 * roots: the VCEK or VLEK that signed it and the issuer chain (ASK or ASVK, then ARK), as a host
 * would hand them out. Immutable.
 *
 * @param raw the 1184-byte ATTESTATION_REPORT
 * @param report {@code raw} parsed by {@code ReportParser}
 * @param endorsementKey the VCEK or VLEK certificate
 * @param issuerChain ASK (or ASVK) then ARK, as KDS serves {@code cert_chain}
 */
public record SimulatedReport(
    Bytes raw, AttestationReport report, X509Certificate endorsementKey,
    List<X509Certificate> issuerChain) {

  public SimulatedReport {
    Objects.requireNonNull(raw, "raw");
    if (raw.size() != AttestationReport.SIZE) {
      throw new IllegalArgumentException("a report is " + AttestationReport.SIZE + " bytes");
    }
    Objects.requireNonNull(report, "report");
    Objects.requireNonNull(endorsementKey, "endorsementKey");
    issuerChain = List.copyOf(issuerChain);
  }

  /** A copy of the raw report bytes. */
  public byte[] bytes() {
    return raw.toByteArray();
  }

  /** {@link #issuerChain()} as PEM text. */
  public String issuerChainPem() {
    return Pem.certificates(issuerChain);
  }

  @Override
  public String toString() {
    return "SimulatedReport[" + report + ", endorsementKey="
        + endorsementKey.getSubjectX500Principal().getName() + "]";
  }
}
