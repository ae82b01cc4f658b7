package dev.carapace.snp.verify;

import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/**
 * A report whose signature verified at {@link #verifiedAt()} under a VCEK or VLEK that chains to a
 * trusted ARK through the product's ASK or ASVK, with REPORTED_TCB equal to the certificate's TCB
 * and CHIP_ID equal to the VCEK's hwID (unless masked). Whether its contents are acceptable is
 * decided separately by {@link ReportValidator}. Only {@link ReportVerifier} creates instances.
 * Immutable.
 */
public final class VerifiedReport {
  private final AttestationReport report;
  private final SigningKey signingKey;
  private final TcbVersion certifiedTcb;
  private final VcekExtensions extensions;
  private final X509Certificate endorsementCertificate;
  private final boolean amdRoot;
  private final boolean revocationChecked;
  private final Instant expiry;
  private final Instant verifiedAt;

  VerifiedReport(AttestationReport report, SigningKey signingKey, TcbVersion certifiedTcb,
      VcekExtensions extensions, X509Certificate endorsementCertificate, boolean amdRoot,
      boolean revocationChecked, Instant expiry, Instant verifiedAt) {
    this.report = Objects.requireNonNull(report, "report");
    this.signingKey = Objects.requireNonNull(signingKey, "signingKey");
    this.certifiedTcb = Objects.requireNonNull(certifiedTcb, "certifiedTcb");
    this.extensions = Objects.requireNonNull(extensions, "extensions");
    this.endorsementCertificate =
        Objects.requireNonNull(endorsementCertificate, "endorsementCertificate");
    this.amdRoot = amdRoot;
    this.revocationChecked = revocationChecked;
    this.expiry = Objects.requireNonNull(expiry, "expiry");
    this.verifiedAt = Objects.requireNonNull(verifiedAt, "verifiedAt");
  }

  /** The report, its TCB values decoded for {@link #product()}. */
  public AttestationReport report() {
    return report;
  }

  /** VCEK or VLEK. */
  public SigningKey signingKey() {
    return signingKey;
  }

  /** The product of the certificate chain (equal to the report's CPUID product for v3+). */
  public Product product() {
    return report.product();
  }

  /** The TCB in the VCEK/VLEK; equal to the report's REPORTED_TCB. */
  public TcbVersion certifiedTcb() {
    return certifiedTcb;
  }

  public VcekExtensions extensions() {
    return extensions;
  }

  /** The VCEK or VLEK certificate. */
  public X509Certificate endorsementCertificate() {
    return endorsementCertificate;
  }

  /** True when the chain ends in one of AMD's production ARKs bundled with this library. */
  public boolean amdRoot() {
    return amdRoot;
  }

  /** True when an ARK-signed CRL was checked for the ASK/ASVK. */
  public boolean revocationChecked() {
    return revocationChecked;
  }

  /** Earliest notAfter in the chain: re-verify before this instant. */
  public Instant expiry() {
    return expiry;
  }

  public Instant verifiedAt() {
    return verifiedAt;
  }

  @Override
  public String toString() {
    return "VerifiedReport[version=" + report.version() + ", product=" + product() + ", signer="
        + signingKey + ", tcb=" + certifiedTcb + ", amdRoot=" + amdRoot + ", verifiedAt="
        + verifiedAt + "]";
  }
}
