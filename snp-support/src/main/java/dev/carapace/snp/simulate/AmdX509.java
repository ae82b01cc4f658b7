package dev.carapace.snp.simulate;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.SignatureException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
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
import org.bouncycastle.operator.ContentSigner;

/**
 * Keys, certificates and CRLs in the profile AMD's KDS issues: RSASSA-PSS (SHA-384, MGF1-SHA-384,
 * salt 48, trailer field 1 written out as AMD does), names at AMD's location, ARK/ASK/ASVK
 * extensions in AMD's order. Stateless apart from the provider.
 */
final class AmdX509 {
  /** The five AMD location attributes, in the order AMD's names carry them, before the CN. */
  static final String ORGANIZATIONAL_UNIT = "Engineering";
  static final String COUNTRY = "US";
  static final String LOCALITY = "Santa Clara";
  static final String STATE = "CA";
  static final String ORGANIZATION = "Advanced Micro Devices";
  static final PSSParameterSpec PSS_SHA384 =
      new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1);
  /** RSASSA-PSS with every parameter explicit (AMD's ARK/ASK and Milan VCEKs encode it so). */
  static final AlgorithmIdentifier PSS_ALGORITHM = pssAlgorithm();

  private final Provider provider;

  AmdX509(Provider provider) {
    this.provider = provider;
  }

  /** AMD's name for {@code commonName}, followed by the development qualifier. */
  static X500Name name(String commonName, String dnQualifier) {
    return new X500NameBuilder(BCStyle.INSTANCE)
        .addRDN(BCStyle.OU, ORGANIZATIONAL_UNIT)
        .addRDN(BCStyle.C, COUNTRY)
        .addRDN(BCStyle.L, LOCALITY)
        .addRDN(BCStyle.ST, STATE)
        .addRDN(BCStyle.O, ORGANIZATION)
        .addRDN(BCStyle.CN, commonName)
        .addRDN(BCStyle.DN_QUALIFIER, dnQualifier)
        .build();
  }

  static X500Name name(X509Certificate cert) {
    return X500Name.getInstance(cert.getSubjectX500Principal().getEncoded());
  }

  static BigInteger newSerial(SecureRandom random) {
    return new BigInteger(127, random).setBit(126);
  }

  KeyPair newRsaKeyPair(int bits, SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", provider);
    g.initialize(new RSAKeyGenParameterSpec(bits, RSAKeyGenParameterSpec.F4), random);
    return g.generateKeyPair();
  }

  KeyPair newP384KeyPair(SecureRandom random) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", provider);
    g.initialize(new ECGenParameterSpec("secp384r1"), random);
    return g.generateKeyPair();
  }

  /** A self-signed ARK: KeyUsage (critical; keyCertSign, cRLSign), SKI, CA (critical), CRL-DP. */
  X509Certificate ark(X500Name name, KeyPair pair, BigInteger serial, Instant notBefore,
      Instant notAfter, String crlUrl, SecureRandom random) throws GeneralSecurityException {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(name, serial, notBefore, notAfter, name,
          pair.getPublic());
      b.addExtension(Extension.keyUsage, true,
          new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      b.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(pair.getPublic()));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
      b.addExtension(Extension.cRLDistributionPoints, false, distributionPoint(crlUrl));
      return certificate(b, pair.getPrivate(), random);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode ARK extensions", e);
    }
  }

  /** An ASK or ASVK: SKI, AKI, CA pathLen 0 (critical), KeyUsage keyCertSign (critical), CRL-DP. */
  X509Certificate intermediate(X500Name name, PublicKey key, BigInteger serial,
      X509Certificate ark, PrivateKey arkKey, Instant notBefore, Instant notAfter,
      String crlUrl, SecureRandom random) throws GeneralSecurityException {
    try {
      JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder b = builder(name(ark), serial, notBefore, notAfter, name, key);
      b.addExtension(Extension.subjectKeyIdentifier, false,
          utils.createSubjectKeyIdentifier(key));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          utils.createAuthorityKeyIdentifier(ark.getPublicKey()));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign));
      b.addExtension(Extension.cRLDistributionPoints, false, distributionPoint(crlUrl));
      return certificate(b, arkKey, random);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode ASK/ASVK extensions", e);
    }
  }

  /**
   * A VCEK or VLEK: serial 0, no key usage or basic constraints, only {@code extensions} (each
   * non-critical, in the given order), signed by {@code issuer}.
   */
  X509Certificate endorsementKey(X500Name name, PublicKey key, X509Certificate issuer,
      PrivateKey issuerKey, Instant notBefore, Instant notAfter, List<Extension> extensions,
      SecureRandom random) throws GeneralSecurityException {
    try {
      X509v3CertificateBuilder b =
          builder(name(issuer), BigInteger.ZERO, notBefore, notAfter, name, key);
      for (Extension e : extensions) {
        b.addExtension(e);
      }
      return certificate(b, issuerKey, random);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode VCEK/VLEK extensions", e);
    }
  }

  /** A CRL by the ARK with CRL-number and AKI extensions, revoking {@code serials}. */
  X509CRL crl(X509Certificate ark, PrivateKey arkKey, Instant thisUpdate, Instant nextUpdate,
      Collection<BigInteger> serials, SecureRandom random) throws GeneralSecurityException {
    X509v2CRLBuilder b = new JcaX509v2CRLBuilder(ark, Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    for (BigInteger serial : serials) {
      b.addCRLEntry(serial, Date.from(thisUpdate), CRLReason.keyCompromise);
    }
    try {
      b.addExtension(Extension.cRLNumber, false,
          new CRLNumber(BigInteger.valueOf(Math.max(1, thisUpdate.getEpochSecond()))));
      b.addExtension(Extension.authorityKeyIdentifier, false,
          new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ark.getPublicKey()));
      return new JcaX509CRLConverter().setProvider(provider)
          .getCRL(b.build(new PssSigner(arkKey, random)));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode CRL extensions", e);
    }
  }

  private static X509v3CertificateBuilder builder(X500Name issuer, BigInteger serial,
      Instant notBefore, Instant notAfter, X500Name subject, PublicKey key) {
    return new X509v3CertificateBuilder(issuer, serial, Date.from(notBefore), Date.from(notAfter),
        subject, org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()));
  }

  private X509Certificate certificate(X509v3CertificateBuilder b, PrivateKey signingKey,
      SecureRandom random) throws GeneralSecurityException {
    return new JcaX509CertificateConverter().setProvider(provider)
        .getCertificate(b.build(new PssSigner(signingKey, random)));
  }

  private static ASN1Encodable distributionPoint(String url) {
    GeneralNames uri =
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, url));
    return new CRLDistPoint(new DistributionPoint[] {
        new DistributionPoint(new DistributionPointName(uri), null, null)});
  }

  private static AlgorithmIdentifier pssAlgorithm() {
    AlgorithmIdentifier sha384 =
        new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha384, DERNull.INSTANCE);
    DERSequence params = new DERSequence(new ASN1Encodable[] {
        new DERTaggedObject(true, 0, sha384),
        new DERTaggedObject(true, 1,
            new AlgorithmIdentifier(PKCSObjectIdentifiers.id_mgf1, sha384)),
        new DERTaggedObject(true, 2, new ASN1Integer(48)),
        new DERTaggedObject(true, 3, new ASN1Integer(1))});
    return new AlgorithmIdentifier(PKCSObjectIdentifiers.id_RSASSA_PSS, params);
  }

  /** Signs with RSASSA-PSS SHA-384 and names the algorithm as {@link #PSS_ALGORITHM}. */
  private final class PssSigner implements ContentSigner {
    private final Signature signature;
    private final OutputStream out;

    PssSigner(PrivateKey key, SecureRandom random) throws GeneralSecurityException {
      signature = Signature.getInstance("SHA384withRSAandMGF1", provider);
      signature.setParameter(PSS_SHA384);
      signature.initSign(key, random);
      out = new OutputStream() {
        @Override
        public void write(int b) throws IOException {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
          try {
            signature.update(b, off, len);
          } catch (SignatureException e) {
            throw new IOException(e);
          }
        }
      };
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
      return PSS_ALGORITHM;
    }

    @Override
    public OutputStream getOutputStream() {
      return out;
    }

    @Override
    public byte[] getSignature() {
      try {
        return signature.sign();
      } catch (SignatureException e) {
        throw new IllegalStateException("RSASSA-PSS signing failed", e);
      }
    }
  }
}
