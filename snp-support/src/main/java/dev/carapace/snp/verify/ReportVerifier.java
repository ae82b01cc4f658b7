package dev.carapace.snp.verify;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportEncoder;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ReportVerificationException.Reason;
import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Verifies SEV-SNP reports as go-sev-guest's {@code verify} package does: ARK (self-signed) →
 * ASK or ASVK → VCEK or VLEK, each signed with RSASSA-PSS SHA-384 and checked against AMD's
 * certificate profile (version, names and location, CRL distribution points, key types);
 * optionally an ARK-signed CRL that must not list the ASK/ASVK; VCEK/VLEK extensions, whose TCB
 * must equal REPORTED_TCB and whose hwID must equal CHIP_ID unless masked (Turin: the 8-byte
 * prefix); the report's product (CPUID, v3+) must be the certificate's; finally the ECDSA P-384
 * signature over bytes [0, 0x2A0). For v2 reports the certificate's product decides the TCB
 * layout. Policy checks are a separate step: {@link ReportValidator}.
 *
 * <p>Every failure is a {@link ReportVerificationException} with a {@link Reason}. The time comes
 * from the injected {@link Clock}; signatures are checked with the injected JCA provider
 * (BouncyCastle); only the given {@link TrustedRoots} are trusted. Nothing is fetched.
 *
 * <p>Thread-safe. Caches, keyed by exact bytes and bounded: root chains already checked, and
 * VCEK/VLEK certificates whose profile and issuer signature were checked (validity, revocation
 * and the report signature are checked on every call).
 */
public final class ReportVerifier {
  private static final int CACHE_LIMIT = 1024;

  private final TrustedRoots roots;
  private final Clock clock;
  private final Provider provider;
  private final Set<Product> checkedRoots = ConcurrentHashMap.newKeySet();
  private final Map<Bytes, Endorsement> endorsements = new ConcurrentHashMap<>();

  /** A VCEK/VLEK checked against its issuer; independent of time and of any report. */
  private record Endorsement(X509Certificate cert, PublicKey key, VcekExtensions extensions,
      Product product, SigningKey kind, X509Certificate issuer, X509Certificate ark) {}

  public ReportVerifier(TrustedRoots roots, Clock clock, Provider provider) {
    this.roots = Objects.requireNonNull(roots, "roots");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.provider = Objects.requireNonNull(provider, "provider");
  }

  /** A verifier that trusts only AMD's bundled production roots. */
  public ReportVerifier(Clock clock, Provider provider) {
    this(TrustedRoots.amd(), clock, provider);
  }

  public TrustedRoots roots() {
    return roots;
  }

  /** Verifies {@code report} signed by the key of {@code endorsementKey} (VCEK or VLEK). */
  public VerifiedReport verify(AttestationReport report, X509Certificate endorsementKey)
      throws ReportVerificationException {
    return verify(report, endorsementKey, null);
  }

  /**
   * As {@link #verify(AttestationReport, X509Certificate)}, and checks that {@code crl} (AMD's
   * {@code .../crl} for the product, when not null) is signed by the ARK, is current and does
   * not list the ASK (VCEK) or ASVK (VLEK).
   */
  public VerifiedReport verify(AttestationReport report, X509Certificate endorsementKey,
      @Nullable X509CRL crl) throws ReportVerificationException {
    Instant now = clock.instant();
    SigningKey signer = report.signingKey();
    if (signer == SigningKey.NONE) {
      throw new ReportVerificationException(
          Reason.UNSUPPORTED_SIGNING_KEY, "the report is not signed (SIGNING_KEY = NONE)");
    }
    Endorsement e = endorsement(endorsementKey);
    if (signer != e.kind()) {
      throw new ReportVerificationException(Reason.SIGNER_MISMATCH,
          "the report is signed by its " + signer + " but the certificate is a " + e.kind());
    }
    AttestationReport r = report;
    if (r.version() >= 3 && r.product() != e.product()) {
      throw new ReportVerificationException(Reason.PRODUCT_MISMATCH,
          "the report is from " + r.product() + " (CPUID), the certificate from " + e.product());
    }
    r = r.withProduct(e.product());
    AmdCertificates.requireValidAt(e.ark(), now, "ARK");
    AmdCertificates.requireValidAt(e.issuer(), now, e.kind() == SigningKey.VCEK ? "ASK" : "ASVK");
    AmdCertificates.requireValidAt(e.cert(), now, e.kind().toString());
    if (crl != null) {
      checkCrl(crl, e, now);
    }
    TcbVersion certTcb = e.extensions().tcb(e.product());
    if (certTcb.raw() != r.reportedTcb().raw()) {
      throw new ReportVerificationException(Reason.TCB_MISMATCH, "REPORTED_TCB " + r.reportedTcb()
          + " differs from the " + e.kind() + " TCB " + certTcb);
    }
    if (e.kind() == SigningKey.VCEK && !r.chipId().isAllZero() && !chipIdMatches(r, e)) {
      throw new ReportVerificationException(
          Reason.CHIP_ID_MISMATCH, "CHIP_ID differs from the VCEK hwID");
    }
    if (!EcdsaP384.verify(e.key(), ReportEncoder.signedRegion(r), r.signatureR(),
        r.signatureS(), provider)) {
      throw new ReportVerificationException(Reason.SIGNATURE_INVALID,
          "report signature does not verify under the " + e.kind() + " key");
    }
    Instant expiry = e.cert().getNotAfter().toInstant();
    for (X509Certificate c : List.of(e.issuer(), e.ark())) {
      Instant notAfter = c.getNotAfter().toInstant();
      expiry = notAfter.isBefore(expiry) ? notAfter : expiry;
    }
    return new VerifiedReport(r, e.kind(), certTcb, e.extensions(), e.cert(),
        TrustedRoots.isAmdArk(e.ark()), crl != null, expiry, now);
  }

  /** Parses a DER or PEM certificate with this verifier's provider. */
  public X509Certificate parseCertificate(byte[] derOrPem) throws ReportVerificationException {
    try {
      Object c = CertificateFactory.getInstance("X.509", provider)
          .generateCertificate(new ByteArrayInputStream(derOrPem));
      if (c instanceof X509Certificate x) {
        return x;
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ReportVerificationException(
          Reason.CERTIFICATE_MALFORMED, "not a DER or PEM X.509 certificate", e);
    }
    throw new ReportVerificationException(
        Reason.CERTIFICATE_MALFORMED, "not a DER or PEM X.509 certificate");
  }

  /** Parses a DER or PEM CRL with this verifier's provider. */
  public X509CRL parseCrl(byte[] derOrPem) throws ReportVerificationException {
    try {
      Object c = CertificateFactory.getInstance("X.509", provider)
          .generateCRL(new ByteArrayInputStream(derOrPem));
      if (c instanceof X509CRL x) {
        return x;
      }
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ReportVerificationException(Reason.CRL_INVALID, "not a DER or PEM X.509 CRL", e);
    }
    throw new ReportVerificationException(Reason.CRL_INVALID, "not a DER or PEM X.509 CRL");
  }

  private static boolean chipIdMatches(AttestationReport r, Endorsement e) {
    Bytes hwId = e.extensions().hwIdValue().orElseThrow();
    if (hwId.size() == 8) {
      return r.chipId().slice(0, 8).equals(hwId) && r.chipId().slice(8, 56).isAllZero();
    }
    return r.chipId().equals(hwId);
  }

  private void checkCrl(X509CRL crl, Endorsement e, Instant now)
      throws ReportVerificationException {
    if (!crl.getIssuerX500Principal().equals(e.ark().getSubjectX500Principal())) {
      throw new ReportVerificationException(Reason.CRL_INVALID, "CRL issuer \""
          + crl.getIssuerX500Principal().getName() + "\" is not the ARK");
    }
    AmdCertificates.requireCrlSignedBy(crl, e.ark().getPublicKey(), provider);
    AmdCertificates.requireCrlCurrent(crl, now);
    if (crl.getRevokedCertificate(e.issuer().getSerialNumber()) != null) {
      throw new ReportVerificationException(Reason.CERTIFICATE_REVOKED,
          (e.kind() == SigningKey.VCEK ? "ASK" : "ASVK") + " serial "
              + e.issuer().getSerialNumber().toString(16) + " is revoked");
    }
  }

  private Endorsement endorsement(X509Certificate cert) throws ReportVerificationException {
    Bytes der;
    try {
      der = Bytes.copyOf(cert.getEncoded());
    } catch (GeneralSecurityException e) {
      throw new ReportVerificationException(
          Reason.CERTIFICATE_MALFORMED, "certificate cannot be encoded", e);
    }
    Endorsement cached = endorsements.get(der);
    if (cached != null) {
      return cached;
    }
    Endorsement e = checkEndorsement(cert);
    if (endorsements.size() >= CACHE_LIMIT) {
      endorsements.clear();
    }
    endorsements.put(der, e);
    return e;
  }

  private Endorsement checkEndorsement(X509Certificate cert) throws ReportVerificationException {
    AmdCertificates.requireVersion3(cert, "VCEK/VLEK");
    String cn = AmdCertificates.commonName(cert.getSubjectX500Principal());
    SigningKey kind = switch (cn) {
      case "SEV-VCEK" -> SigningKey.VCEK;
      case "SEV-VLEK" -> SigningKey.VLEK;
      default -> throw new ReportVerificationException(Reason.CERTIFICATE_NAME_INVALID,
          "endorsement key CN must be SEV-VCEK or SEV-VLEK, found \"" + cn + "\"");
    };
    VcekExtensions ext = VcekExtensions.of(cert);
    if (ext.signingKey() != kind) {
      throw new ReportVerificationException(Reason.EXTENSIONS_MALFORMED, kind
          + (kind == SigningKey.VCEK ? " must carry hwID" : " must carry cspId and no hwID"));
    }
    Product product = ext.product().orElseThrow(() -> new ReportVerificationException(
        Reason.UNKNOWN_PRODUCT, "productName \"" + ext.productName() + "\" is not a known product"));
    int struct = product.turinTcbLayout() ? 1 : 0;
    if (ext.structVersion() != struct) {
      throw new ReportVerificationException(Reason.EXTENSIONS_MALFORMED, product
          + " certificates have structVersion " + struct + ", found " + ext.structVersion());
    }
    int hwIdSize = product.turinTcbLayout() ? 8 : 64;
    if (ext.hwIdValue().isPresent() && ext.hwIdValue().get().size() != hwIdSize) {
      throw new ReportVerificationException(Reason.EXTENSIONS_MALFORMED,
          product + " hwID is " + hwIdSize + " bytes, found " + ext.hwIdValue().get().size());
    }
    ext.tcb(product);
    ProductRoots pr = checkedRoots(product);
    X509Certificate issuer = kind == SigningKey.VCEK ? pr.ask() : pr.asvk();
    if (issuer == null) {
      throw new ReportVerificationException(
          Reason.UNTRUSTED_ROOT, "no ASVK is trusted for " + product + ", so no VLEK is");
    }
    String issuerCn = AmdCertificates.commonName(issuer.getSubjectX500Principal());
    AmdCertificates.requireAmdName(cert.getSubjectX500Principal(), cn, kind + " subject");
    AmdCertificates.requireAmdName(cert.getIssuerX500Principal(), issuerCn, kind + " issuer");
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      // Issued by some other SEV-<P> (for example a development ASK): not chained to our roots.
      throw new ReportVerificationException(Reason.UNTRUSTED_ROOT,
          kind + " issuer is not the trusted " + issuerCn + " (names differ)");
    }
    AmdCertificates.requireP384Key(cert, kind.toString());
    if (cert.getBasicConstraints() >= 0) {
      throw new ReportVerificationException(
          Reason.CERTIFICATE_MALFORMED, kind + " must not be a CA certificate");
    }
    AmdCertificates.requireSignedBy(cert, issuer.getPublicKey(), provider, kind.toString());
    PublicKey key;
    try {
      key = KeyFactory.getInstance("EC", provider)
          .generatePublic(new X509EncodedKeySpec(cert.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ReportVerificationException(
          Reason.CERTIFICATE_MALFORMED, kind + " key cannot be decoded", e);
    }
    return new Endorsement(cert, key, ext, product, kind, issuer, pr.ark());
  }

  /** The product's roots, checked once per verifier: names, CA flags, CRL points, signatures. */
  private ProductRoots checkedRoots(Product product) throws ReportVerificationException {
    ProductRoots pr = roots.forProduct(product).orElseThrow(() -> new ReportVerificationException(
        Reason.UNTRUSTED_ROOT, "no roots are trusted for " + product));
    if (checkedRoots.contains(product)) {
      return pr;
    }
    String name = product.kdsName();
    X509Certificate ark = pr.ark();
    AmdCertificates.requireAmdName(ark.getSubjectX500Principal(), "ARK-" + name, "ARK subject");
    AmdCertificates.requireAmdName(ark.getIssuerX500Principal(), "ARK-" + name, "ARK issuer");
    AmdCertificates.requireCa(ark, pr.vcekCrlUrl(), "ARK");
    AmdCertificates.requireSignedBy(ark, ark.getPublicKey(), provider, "ARK (self-signed)");
    checkIntermediate(ark, pr.ask(), "SEV-" + name, pr.vcekCrlUrl(), "ASK");
    if (pr.asvk() != null) {
      checkIntermediate(ark, pr.asvk(), "SEV-VLEK-" + name, pr.vlekCrlUrl(), "ASVK");
    }
    checkedRoots.add(product);
    return pr;
  }

  private void checkIntermediate(X509Certificate ark, X509Certificate cert, String cn,
      String crlUrl, String what) throws ReportVerificationException {
    AmdCertificates.requireAmdName(cert.getSubjectX500Principal(), cn, what + " subject");
    if (!cert.getIssuerX500Principal().equals(ark.getSubjectX500Principal())) {
      throw new ReportVerificationException(
          Reason.CERTIFICATE_NAME_INVALID, what + " issuer is not the ARK");
    }
    AmdCertificates.requireCa(cert, crlUrl, what);
    AmdCertificates.requireSignedBy(cert, ark.getPublicKey(), provider, what);
  }
}
