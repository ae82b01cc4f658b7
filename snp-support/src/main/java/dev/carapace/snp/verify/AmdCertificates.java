package dev.carapace.snp.verify;

import dev.carapace.snp.verify.ReportVerificationException.Reason;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CRLException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.CertificateList;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

/** The certificate profile AMD's KDS issues, and RSASSA-PSS SHA-384 signature checks. */
final class AmdCertificates {
  /** The AMD name attributes every ARK/ASK/ASVK/VCEK/VLEK subject and issuer carry. */
  private static final Map<ASN1ObjectIdentifier, String> AMD_LOCATION = Map.of(
      BCStyle.OU, "Engineering", BCStyle.C, "US", BCStyle.L, "Santa Clara", BCStyle.ST, "CA",
      BCStyle.O, "Advanced Micro Devices");
  private static final PSSParameterSpec PSS_SHA384 =
      new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1);

  private AmdCertificates() {}

  static String commonName(X500Principal principal) {
    RDN[] cns = X500Name.getInstance(principal.getEncoded()).getRDNs(BCStyle.CN);
    return cns.length != 1 || cns[0].isMultiValued()
        ? "" : IETFUtils.valueToString(cns[0].getFirst().getValue());
  }

  /** Subject (or issuer) is AMD's location with exactly one CN, equal to {@code cn}. */
  static void requireAmdName(X500Principal principal, String cn, String what)
      throws ReportVerificationException {
    X500Name name = X500Name.getInstance(principal.getEncoded());
    for (Map.Entry<ASN1ObjectIdentifier, String> e : AMD_LOCATION.entrySet()) {
      RDN[] rdns = name.getRDNs(e.getKey());
      if (rdns.length != 1 || rdns[0].isMultiValued()
          || !e.getValue().equals(IETFUtils.valueToString(rdns[0].getFirst().getValue()))) {
        throw new ReportVerificationException(Reason.CERTIFICATE_NAME_INVALID,
            what + " \"" + principal.getName() + "\" is not at AMD's location");
      }
    }
    String found = commonName(principal);
    if (!found.equals(cn)) {
      throw new ReportVerificationException(Reason.CERTIFICATE_NAME_INVALID,
          what + " CN must be \"" + cn + "\", found \"" + found + "\"");
    }
  }

  static void requireVersion3(X509Certificate cert, String what)
      throws ReportVerificationException {
    if (cert.getVersion() != 3) {
      throw new ReportVerificationException(Reason.CERTIFICATE_MALFORMED,
          what + " must be X.509 version 3, found " + cert.getVersion());
    }
  }

  /** A CA certificate with exactly one CRL distribution point, {@code crlUrl}. */
  static void requireCa(X509Certificate cert, String crlUrl, String what)
      throws ReportVerificationException {
    requireVersion3(cert, what);
    boolean[] usage = cert.getKeyUsage();
    if (cert.getBasicConstraints() < 0 || usage == null || usage.length < 6 || !usage[5]) {
      throw new ReportVerificationException(Reason.CERTIFICATE_MALFORMED,
          what + " must be a CA certificate with keyCertSign");
    }
    List<String> urls = crlUrls(cert);
    if (!urls.equals(List.of(crlUrl))) {
      throw new ReportVerificationException(Reason.CERTIFICATE_NAME_INVALID,
          what + " CRL distribution points must be [" + crlUrl + "], found " + urls);
    }
  }

  private static List<String> crlUrls(X509Certificate cert) throws ReportVerificationException {
    byte[] ext = cert.getExtensionValue(Extension.cRLDistributionPoints.getId());
    List<String> urls = new ArrayList<>();
    if (ext == null) {
      return urls;
    }
    try {
      byte[] inner = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(ext)).getOctets();
      for (DistributionPoint dp : CRLDistPoint.getInstance(inner).getDistributionPoints()) {
        DistributionPointName n = dp.getDistributionPoint();
        if (n == null || n.getType() != DistributionPointName.FULL_NAME) {
          urls.add("?");
          continue;
        }
        for (GeneralName g : GeneralNames.getInstance(n.getName()).getNames()) {
          urls.add(g.getTagNo() == GeneralName.uniformResourceIdentifier
              ? g.getName().toString() : "?");
        }
      }
    } catch (IOException | RuntimeException e) {
      throw new ReportVerificationException(Reason.CERTIFICATE_MALFORMED,
          "CRL distribution points extension is malformed", e);
    }
    return urls;
  }

  /** The key is an ECDSA key on P-384 (secp384r1). */
  static void requireP384Key(X509Certificate cert, String what)
      throws ReportVerificationException {
    try {
      AlgorithmIdentifier alg =
          SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded()).getAlgorithm();
      if (alg.getAlgorithm().equals(X9ObjectIdentifiers.id_ecPublicKey)
          && SECObjectIdentifiers.secp384r1.equals(alg.getParameters())) {
        return;
      }
    } catch (RuntimeException e) {
      // fall through
    }
    throw new ReportVerificationException(
        Reason.CERTIFICATE_MALFORMED, what + " key must be ECDSA P-384");
  }

  /**
   * {@code cert} is signed by {@code issuerKey} with RSASSA-PSS (SHA-384, MGF1-SHA-384, salt 48,
   * trailer 1), and the signature algorithm inside the TBS equals the outer one.
   */
  static void requireSignedBy(X509Certificate cert, PublicKey issuerKey, Provider provider,
      String what) throws ReportVerificationException {
    byte[] tbs;
    AlgorithmIdentifier outer;
    AlgorithmIdentifier inner;
    try {
      Certificate c = Certificate.getInstance(cert.getEncoded());
      outer = c.getSignatureAlgorithm();
      inner = c.getTBSCertificate().getSignature();
      tbs = cert.getTBSCertificate();
    } catch (CertificateEncodingException | RuntimeException e) {
      throw new ReportVerificationException(
          Reason.CERTIFICATE_MALFORMED, what + " cannot be decoded", e);
    }
    verifyPss(outer, inner, tbs, cert.getSignature(), issuerKey, provider, what,
        Reason.CERTIFICATE_MALFORMED, Reason.CERTIFICATE_SIGNATURE_INVALID);
  }

  /** The CRL is signed by {@code issuerKey} with RSASSA-PSS SHA-384 (as {@link #requireSignedBy}). */
  static void requireCrlSignedBy(X509CRL crl, PublicKey issuerKey, Provider provider)
      throws ReportVerificationException {
    byte[] tbs;
    AlgorithmIdentifier outer;
    AlgorithmIdentifier inner;
    try {
      CertificateList c = CertificateList.getInstance(crl.getEncoded());
      outer = c.getSignatureAlgorithm();
      inner = c.getTBSCertList().getSignature();
      tbs = crl.getTBSCertList();
    } catch (CRLException | RuntimeException e) {
      throw new ReportVerificationException(Reason.CRL_INVALID, "CRL cannot be decoded", e);
    }
    verifyPss(outer, inner, tbs, crl.getSignature(), issuerKey, provider, "CRL",
        Reason.CRL_INVALID, Reason.CRL_INVALID);
  }

  private static void verifyPss(AlgorithmIdentifier outer, AlgorithmIdentifier inner, byte[] tbs,
      byte[] signature, PublicKey key, Provider provider, String what, Reason wrongAlgorithm,
      Reason invalid) throws ReportVerificationException {
    if (!outer.equals(inner)) {
      throw new ReportVerificationException(invalid,
          what + " signature algorithm differs between the signed part and the signature");
    }
    if (!isPssSha384(outer)) {
      throw new ReportVerificationException(wrongAlgorithm,
          what + " must be signed with RSASSA-PSS (SHA-384, MGF1-SHA-384, salt 48)");
    }
    boolean ok;
    try {
      Signature s = Signature.getInstance("SHA384WITHRSAANDMGF1", provider);
      s.setParameter(PSS_SHA384);
      s.initVerify(key);
      s.update(tbs);
      ok = s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw new ReportVerificationException(invalid, what + " signature does not verify", e);
    }
    if (!ok) {
      throw new ReportVerificationException(invalid, what + " signature does not verify");
    }
  }

  private static boolean isPssSha384(AlgorithmIdentifier alg) {
    if (!PKCSObjectIdentifiers.id_RSASSA_PSS.equals(alg.getAlgorithm())
        || alg.getParameters() == null) {
      return false;
    }
    try {
      RSASSAPSSparams p = RSASSAPSSparams.getInstance(alg.getParameters());
      AlgorithmIdentifier mgf = p.getMaskGenAlgorithm();
      return NISTObjectIdentifiers.id_sha384.equals(p.getHashAlgorithm().getAlgorithm())
          && PKCSObjectIdentifiers.id_mgf1.equals(mgf.getAlgorithm())
          && NISTObjectIdentifiers.id_sha384.equals(
              AlgorithmIdentifier.getInstance(mgf.getParameters()).getAlgorithm())
          && p.getSaltLength().intValueExact() == 48
          && p.getTrailerField().intValueExact() == 1;
    } catch (RuntimeException e) {
      return false;
    }
  }

  static void requireValidAt(X509Certificate cert, Instant now, String what)
      throws ReportVerificationException {
    Instant notBefore = cert.getNotBefore().toInstant();
    Instant notAfter = cert.getNotAfter().toInstant();
    if (now.isBefore(notBefore) || now.isAfter(notAfter)) {
      throw new ReportVerificationException(Reason.CERTIFICATE_EXPIRED,
          what + " is valid " + notBefore + " to " + notAfter + ", verification time is " + now);
    }
  }

  static void requireCrlCurrent(X509CRL crl, Instant now) throws ReportVerificationException {
    Date next = crl.getNextUpdate();
    Instant thisUpdate = crl.getThisUpdate().toInstant();
    if (now.isBefore(thisUpdate) || (next != null && now.isAfter(next.toInstant()))) {
      throw new ReportVerificationException(Reason.CRL_EXPIRED, "CRL is valid " + thisUpdate
          + " to " + (next == null ? "-" : next.toInstant()) + ", verification time is " + now);
    }
  }
}
