package dev.carapace.tdx.verify;

import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Certificate and CRL checks shared by the chain validators. */
final class Certificates {
  private Certificates() {}

  static String commonName(X509Certificate cert) {
    return commonName(cert.getSubjectX500Principal());
  }

  static String commonName(X500Principal principal) {
    RDN[] cns = X500Name.getInstance(principal.getEncoded()).getRDNs(BCStyle.CN);
    return cns.length == 0 ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
  }

  static void requireName(X509Certificate cert, String phrase, Reason reason)
      throws QuoteVerificationException {
    String cn;
    try {
      cn = commonName(cert);
    } catch (IllegalArgumentException | IllegalStateException e) {
      // BouncyCastle rejects a subject it cannot decode (e.g. a CN UTF8String that is not
      // UTF-8). The names are checked before any signature, so this is attacker-controlled.
      throw new QuoteVerificationException(reason, "certificate subject cannot be decoded", e);
    }
    if (!cn.contains(phrase)) {
      throw new QuoteVerificationException(
          reason, "certificate CN must contain \"" + phrase + "\", found \"" + cn + "\"");
    }
  }

  static void requireSignedBy(X509Certificate cert, X509Certificate issuer, Provider provider,
      String what) throws QuoteVerificationException {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new QuoteVerificationException(Reason.CERTIFICATE_SIGNATURE_INVALID,
          what + " issuer \"" + cert.getIssuerX500Principal().getName()
              + "\" is not the subject of the next certificate in the chain");
    }
    try {
      cert.verify(issuer.getPublicKey(), provider);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new QuoteVerificationException(
          Reason.CERTIFICATE_SIGNATURE_INVALID, what + " signature does not verify", e);
    }
  }

  static void requireValidAt(X509Certificate cert, Instant now, String what)
      throws QuoteVerificationException {
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    if (now.isBefore(notBefore) || now.isAfter(notAfter)) {
      throw new QuoteVerificationException(Reason.CERTIFICATE_EXPIRED,
          what + " is valid " + notBefore + " to " + notAfter + ", verification time is " + now);
    }
  }

  static void requireCrlSignedBy(X509CRL crl, X509Certificate issuer, Provider provider,
      String what) throws QuoteVerificationException {
    if (!crl.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new QuoteVerificationException(Reason.CRL_INVALID,
          what + " issuer \"" + crl.getIssuerX500Principal().getName() + "\" is not \""
              + issuer.getSubjectX500Principal().getName() + "\"");
    }
    try {
      crl.verify(issuer.getPublicKey(), provider);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new QuoteVerificationException(
          Reason.CRL_INVALID, what + " signature does not verify", e);
    }
  }

  static void requireCrlCurrent(X509CRL crl, Instant now, String what)
      throws QuoteVerificationException {
    Date next = crl.getNextUpdate();
    if (now.isBefore(crl.getThisUpdate().toInstant())
        || (next != null && now.isAfter(next.toInstant()))) {
      throw new QuoteVerificationException(Reason.CRL_EXPIRED, what + " is valid "
          + crl.getThisUpdate().toInstant() + " to " + (next == null ? "-" : next.toInstant())
          + ", verification time is " + now);
    }
  }

  static void requireNotRevoked(X509CRL crl, X509Certificate cert, String what)
      throws QuoteVerificationException {
    if (crl.getRevokedCertificate(cert.getSerialNumber()) != null) {
      throw new QuoteVerificationException(Reason.CERTIFICATE_REVOKED, what + " serial "
          + cert.getSerialNumber().toString(16) + " is revoked");
    }
  }
}
