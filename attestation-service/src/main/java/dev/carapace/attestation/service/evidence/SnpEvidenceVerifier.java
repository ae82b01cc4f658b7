package dev.carapace.attestation.service.evidence;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.service.evidence.EvidenceException.Reason;
import dev.carapace.snp.kds.KdsCertificateSource;
import dev.carapace.snp.kds.KdsException;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.verify.ReportVerificationException;
import dev.carapace.snp.verify.ReportVerifier;
import dev.carapace.snp.verify.VerifiedReport;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The {@code snp} verifier ({@link SnpEvidence} for the accepted forms). The report is verified
 * with {@link ReportVerifier} against AMD's roots and, in dev mode only, against the development
 * hierarchies; the VCEK/VLEK comes from the evidence or, for a VCEK, from the configured KDS
 * source. As Trustee does, the report must come from VMPL 0. Thread-safe.
 */
public final class SnpEvidenceVerifier implements EvidenceVerifier {
  private final ReportVerifier production;
  private final @Nullable ReportVerifier development;
  private final @Nullable KdsCertificateSource kds;
  private final ObjectMapper mapper;

  SnpEvidenceVerifier(ReportVerifier production, @Nullable ReportVerifier development,
      @Nullable KdsCertificateSource kds, ObjectMapper mapper) {
    this.production = Objects.requireNonNull(production, "production");
    this.development = development;
    this.kds = kds;
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public String tee() {
    return "snp";
  }

  @Override
  public VerifiedEvidence verify(byte[] evidence) throws EvidenceException {
    SnpEvidence e = SnpEvidence.parse(EvidenceJson.object(mapper, evidence, "snp"));
    AttestationReport report = e.report();
    X509Certificate endorsement = endorsement(e);
    VerifiedReport verified;
    try {
      verified = verifyWithRoots(report, endorsement);
    } catch (ReportVerificationException ex) {
      throw new EvidenceException(map(ex.reason()), ex.reason().name(), ex.getMessage(), ex);
    }
    if (verified.report().vmpl() != 0) {
      throw new EvidenceException(Reason.VMPL_NOT_ZERO,
          "the report must come from VMPL 0, found VMPL " + verified.report().vmpl());
    }
    return new VerifiedEvidence("snp", SnpClaims.of(verified), verified.report().reportData(),
        verified.report().hostData(), false);
  }

  private VerifiedReport verifyWithRoots(AttestationReport report, X509Certificate endorsement)
      throws ReportVerificationException {
    try {
      return production.verify(report, endorsement);
    } catch (ReportVerificationException e) {
      if (development == null || e.reason() != ReportVerificationException.Reason.UNTRUSTED_ROOT) {
        throw e;
      }
      return development.verify(report, endorsement);
    }
  }

  private X509Certificate endorsement(SnpEvidence e) throws EvidenceException {
    AttestationReport report = e.report();
    String type = report.signingKey() == SigningKey.VLEK ? "VLEK" : "VCEK";
    byte[] given = e.certificates().get(type);
    try {
      if (given != null) {
        return production.parseCertificate(given);
      }
    } catch (ReportVerificationException ex) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, ex.reason().name(),
          "the evidence's " + type + " is not a certificate", ex);
    }
    if (report.signingKey() != SigningKey.VCEK || kds == null) {
      throw new EvidenceException(Reason.COLLATERAL_UNAVAILABLE, "the evidence carries no " + type
          + (report.signingKey() == SigningKey.VCEK ? " and no KDS source is configured" : ""));
    }
    try {
      return kds.vcek(report.product(), report.chipId(), report.reportedTcb());
    } catch (KdsException ex) {
      throw new EvidenceException(Reason.COLLATERAL_UNAVAILABLE, ex.reason().name(),
          "VCEK: " + ex.getMessage(), ex);
    } catch (IllegalArgumentException ex) {
      throw new EvidenceException(Reason.MALFORMED_EVIDENCE, null, "VCEK lookup: "
          + ex.getMessage(), ex);
    }
  }

  static Reason map(ReportVerificationException.Reason r) {
    return switch (r) {
      case UNTRUSTED_ROOT -> Reason.UNTRUSTED_ROOT;
      case SIGNATURE_INVALID, SIGNER_MISMATCH, PRODUCT_MISMATCH ->
          Reason.SIGNATURE_INVALID;
      case CRL_INVALID, CRL_EXPIRED -> Reason.COLLATERAL_INVALID;
      case UNSUPPORTED_SIGNING_KEY -> Reason.MALFORMED_EVIDENCE;
      default -> Reason.CERTIFICATE_INVALID;
    };
  }

  @Override
  public String toString() {
    return "SnpEvidenceVerifier[development=" + (development != null) + ", kds=" + (kds != null)
        + "]";
  }
}
