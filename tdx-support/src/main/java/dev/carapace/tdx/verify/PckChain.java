package dev.carapace.tdx.verify;

import dev.carapace.tdx.Bytes;
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.PckCa;
import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A PCK certificate chain whose signatures, names and anchor have been checked (validity dates
 * are checked per verification, since they depend on the time).
 */
record PckChain(
    X509Certificate leaf,
    X509Certificate intermediate,
    X509Certificate root,
    PckCertExtensions extensions,
    PckCa ca) {

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
    return new PckChain(leaf, ca, root, ext, which);
  }
}
