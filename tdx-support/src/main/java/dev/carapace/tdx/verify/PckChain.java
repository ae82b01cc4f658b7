package dev.carapace.tdx.verify;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.PckCa;
import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A PCK certificate chain whose signatures, names and anchor have been checked (validity dates
 * are checked per verification, since they depend on the time).
 *
 * @param leafKey the PCK certificate's public key, in the verifier's provider's key type
 * @param verifiedQeReports QE report ‖ signature encodings already verified under leafKey
 */
record PckChain(
    X509Certificate leaf,
    PublicKey leafKey,
    X509Certificate intermediate,
    X509Certificate root,
    PckCertExtensions extensions,
    PckCa ca,
    Set<Bytes> verifiedQeReports) {
  private static final int QE_REPORT_CACHE_LIMIT = 64;

  /**
   * Remembers that {@code qeReportAndSignature} verified under {@link #leafKey}; a platform's QE
   * report rarely changes, so later quotes skip that signature check. Exact-bytes keyed.
   */
  void rememberVerifiedQeReport(Bytes qeReportAndSignature) {
    if (verifiedQeReports.size() >= QE_REPORT_CACHE_LIMIT) {
      verifiedQeReports.clear();
    }
    verifiedQeReports.add(qeReportAndSignature);
  }

  boolean isVerifiedQeReport(Bytes qeReportAndSignature) {
    return verifiedQeReports.contains(qeReportAndSignature);
  }

  static PckChain validate(Bytes pemBytes, TrustAnchors anchors, Provider provider)
      throws QuoteVerificationException {
    byte[] raw = pemBytes.toByteArray();
    int len = raw.length;
    if (len > 0 && raw[len - 1] == 0) {
      len--; // Intel's QE terminates the PEM with one NUL
    }
    String pem = new String(raw, 0, len, StandardCharsets.US_ASCII);
    if (!pem.stripTrailing().endsWith("-----END CERTIFICATE-----")) {
      throw new QuoteVerificationException(
          Reason.PCK_CHAIN_MALFORMED, "PCK chain has bytes after its last PEM certificate");
    }
    List<X509Certificate> certs;
    try {
      certs = CollateralDocuments.parseCertificateChain(pem);
    } catch (CollateralException e) {
      throw new QuoteVerificationException(Reason.PCK_CHAIN_MALFORMED, e.getMessage(), e);
    }
    if (certs.size() != 3) {
      throw new QuoteVerificationException(Reason.PCK_CHAIN_MALFORMED,
          "PCK chain must hold 3 certificates (PCK, PCK CA, root), found " + certs.size());
    }
    X509Certificate leaf = certs.get(0);
    X509Certificate ca = certs.get(1);
    X509Certificate root = certs.get(2);
    Certificates.requireName(leaf, "SGX PCK Certificate", Reason.PCK_CHAIN_MALFORMED);
    Certificates.requireName(ca, "CA", Reason.PCK_CHAIN_MALFORMED);
    Certificates.requireName(root, "SGX Root CA", Reason.PCK_CHAIN_MALFORMED);
    Certificates.requireSignedBy(root, root, provider, "root CA (self-signed)");
    Certificates.requireSignedBy(ca, root, provider, "PCK CA");
    Certificates.requireSignedBy(leaf, ca, provider, "PCK certificate");
    if (!anchors.contains(root)) {
      throw new QuoteVerificationException(
          Reason.UNTRUSTED_ROOT, "PCK chain root is not a configured trust anchor");
    }
    PckCertExtensions ext;
    try {
      ext = PckCertExtensions.of(leaf);
    } catch (CollateralException e) {
      throw new QuoteVerificationException(Reason.PCK_EXTENSIONS_MALFORMED, e.getMessage(), e);
    }
    String caName = Certificates.commonName(ca);
    PckCa which = caName.contains("Processor") ? PckCa.PROCESSOR : PckCa.PLATFORM;
    PublicKey leafKey;
    try {
      // Converted once into the provider's own key type, so each QE report check skips it.
      leafKey = KeyFactory.getInstance("EC", provider)
          .generatePublic(new X509EncodedKeySpec(leaf.getPublicKey().getEncoded()));
    } catch (GeneralSecurityException e) {
      throw new QuoteVerificationException(
          Reason.PCK_CHAIN_MALFORMED, "PCK certificate key is not an EC key", e);
    }
    return new PckChain(leaf, leafKey, ca, root, ext, which, ConcurrentHashMap.newKeySet());
  }
}
