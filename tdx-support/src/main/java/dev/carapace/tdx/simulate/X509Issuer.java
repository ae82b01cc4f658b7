package dev.carapace.tdx.simulate;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Builds P-256 keys, certificates and CRLs shaped like Intel's SGX PKI (ecdsa-with-SHA256; AKI,
 * CRL-DP, SKI, critical KeyUsage and BasicConstraints). Stateless apart from the provider.
 */
final class X509Issuer {
  static final String ORGANIZATION = "Carapace Development";
  /** Reserved TLD: these distribution points can never resolve. */
  static final String CRL_BASE = "https://carapace-development.invalid/sgx/";

  private final Provider provider;

  X509Issuer(Provider provider) {
    this.provider = provider;
  }

  /** What a certificate is for: decides KeyUsage and BasicConstraints. */
  enum Role {
    ROOT(1), INTERMEDIATE(0), END_ENTITY(-1);

    final int pathLen;

    Role(int pathLen) {
      this.pathLen = pathLen;
    }
  }

  static X500Name name(String commonName) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.CN, commonName)
        .addRDN(BCStyle.O, ORGANIZATION)
        .build();
  }

  KeyPair newP256KeyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
    g.initialize(new ECGenParameterSpec("secp256r1"), random);
    return g.generateKeyPair();
  }

  static BigInteger newSerial(SecureRandom random) {
    return new BigInteger(128, random).add(BigInteger.ONE);
  }

  /**
   * Issues a certificate. {@code issuer} null means self-signed with {@code subjectName}; then
   * {@code issuerKey} must be the subject's own private key.
   */
  X509Certificate issue(X500Name subjectName, PublicKey subjectKey, Role role,
      @Nullable X509Certificate issuer, PrivateKey issuerKey, Instant notBefore, Instant notAfter,
      String crlFile, SecureRandom random, Extension... extra) throws GeneralSecurityException {
    X500Name issuerName = issuer == null
        ? subjectName : X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
    PublicKey authorityKey = issuer == null ? subjectKey : issuer.getPublicKey();
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName, newSerial(random),
        Date.from(notBefore), Date.from(notAfter), subjectName, subjectKey);
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      b.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(authorityKey));
      b.addExtension(Extension.cRLDistributionPoints, false, distributionPoint(crlFile));
      b.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(subjectKey));
      boolean ca = role != Role.END_ENTITY;
      b.addExtension(Extension.keyUsage, true, new KeyUsage(ca
          ? KeyUsage.keyCertSign | KeyUsage.cRLSign
          : KeyUsage.digitalSignature | KeyUsage.nonRepudiation));
      b.addExtension(Extension.basicConstraints, true,
          ca ? new BasicConstraints(role.pathLen) : new BasicConstraints(false));
      for (Extension e : extra) {
        b.addExtension(e);
      }
      return new JcaX509CertificateConverter().setProvider(provider)
          .getCertificate(b.build(signer(issuerKey, random)));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode certificate extensions", e);
    }
  }

  /** A CRL by {@code issuer} with CRL-number and AKI extensions, revoking {@code serials}. */
  X509CRL crl(X509Certificate issuer, PrivateKey issuerKey, Instant thisUpdate,
      Instant nextUpdate, Collection<BigInteger> serials, SecureRandom random)
      throws GeneralSecurityException {
    X509v2CRLBuilder b = new JcaX509v2CRLBuilder(issuer, Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    for (BigInteger serial : serials) {
      b.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
    }
    try {
      b.addExtension(Extension.cRLNumber, false,
          new CRLNumber(BigInteger.valueOf(Math.max(1, thisUpdate.getEpochSecond()))));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(issuer.getPublicKey()));
      return new JcaX509CRLConverter().setProvider(provider)
          .getCRL(b.build(signer(issuerKey, random)));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode CRL extensions", e);
    }
  }

  private ContentSigner signer(PrivateKey key, SecureRandom random)
      throws GeneralSecurityException {
    try {
      return new JcaContentSignerBuilder("SHA256withECDSA").setProvider(provider)
          .setSecureRandom(random).build(key);
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("cannot create ECDSA signer", e);
    }
  }

  private static ASN1Encodable distributionPoint(String file) {
    GeneralNames uri = new GeneralNames(
        new GeneralName(GeneralName.uniformResourceIdentifier, CRL_BASE + file));
    return new CRLDistPoint(new DistributionPoint[] {
        new DistributionPoint(new DistributionPointName(uri), null, null)});
  }
}
