package dev.carapace.snp.verify;

import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.Product;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CRLConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v2CRLBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development PKI shaped like AMD's (names, CRL points, RSASSA-PSS SHA-384, P-384 leaves) with
 * RSA-2048 keys for speed, and a report signer. Test code only: keys are random, and every
 * assertion is on verification outcomes.
 */
final class DevPki {
  static final BouncyCastleProvider BC = new BouncyCastleProvider();
  static final String PSS = "SHA384WITHRSAANDMGF1";
  static final Instant NOT_BEFORE = Instant.parse("2024-01-01T00:00:00Z");
  static final Instant NOT_AFTER = Instant.parse("2049-01-01T00:00:00Z");
  private static final Map<Product, DevPki> CACHE = new EnumMap<>(Product.class);
  private static final SecureRandom RANDOM = new SecureRandom();

  final Product product;
  final KeyPair arkKey;
  final KeyPair askKey;
  final KeyPair asvkKey;
  final X509Certificate ark;
  final X509Certificate ask;
  final X509Certificate asvk;

  private DevPki(Product product) throws Exception {
    this.product = product;
    String p = product.kdsName();
    arkKey = rsa();
    askKey = rsa();
    asvkKey = rsa();
    String vcekCrl = "https://kdsintf.amd.com/vcek/v1/" + p + "/crl";
    ark = ca(amdName("ARK-" + p), arkKey.getPublic(), amdName("ARK-" + p), arkKey.getPrivate(),
        0x10000, vcekCrl, PSS);
    ask = ca(amdName("SEV-" + p), askKey.getPublic(), amdName("ARK-" + p), arkKey.getPrivate(),
        0x10001, vcekCrl, PSS);
    asvk = ca(amdName("SEV-VLEK-" + p), asvkKey.getPublic(), amdName("ARK-" + p),
        arkKey.getPrivate(), 0x10101, "https://kdsintf.amd.com/vlek/v1/" + p + "/crl", PSS);
  }

  static synchronized DevPki of(Product product) {
    return CACHE.computeIfAbsent(product, p -> {
      try {
        return new DevPki(p);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  ProductRoots roots() {
    return new ProductRoots(product, ark, ask, asvk);
  }

  TrustedRoots trusted() {
    return TrustedRoots.of(java.util.List.of(roots()));
  }

  static KeyPair rsa() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA", BC);
    g.initialize(2048, RANDOM);
    return g.generateKeyPair();
  }

  static KeyPair ec(String curve) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
    g.initialize(new ECGenParameterSpec(curve), RANDOM);
    return g.generateKeyPair();
  }

  static X500Name amdName(String cn) {
    return amdName(cn, "Advanced Micro Devices");
  }

  static X500Name amdName(String cn, String organization) {
    return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.OU, "Engineering")
        .addRDN(BCStyle.C, "US").addRDN(BCStyle.L, "Santa Clara").addRDN(BCStyle.ST, "CA")
        .addRDN(BCStyle.O, organization).addRDN(BCStyle.CN, cn).build();
  }

  static X509Certificate ca(X500Name subject, PublicKey key, X500Name issuer, PrivateKey signer,
      long serial, String crlUrl, String sigAlg) throws Exception {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer,
        BigInteger.valueOf(serial), Date.from(NOT_BEFORE), Date.from(NOT_AFTER), subject, key);
    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    b.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(
        new DistributionPoint[] {new DistributionPoint(new DistributionPointName(
            new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl))),
            null, null)}));
    return new JcaX509CertificateConverter().setProvider(BC).getCertificate(
        b.build(new JcaContentSignerBuilder(sigAlg).setProvider(BC).build(signer)));
  }

  /** What to put in a VCEK/VLEK; public fields so tests can bend one thing at a time. */
  static final class LeafSpec {
    String cn = "SEV-VCEK";
    X500Name issuer;
    PrivateKey signer;
    KeyPair key;
    String sigAlg = PSS;
    int structVersion;
    String productName;
    int bl = 3;
    int tee = 0;
    int snp = 8;
    int ucode = 115;
    Integer fmc;
    int spl4;
    byte[] hwId;
    String cspId;
    boolean ca;
    Instant notBefore = NOT_BEFORE;
    Instant notAfter = NOT_AFTER;
  }

  /** A VCEK for {@code chipId} (64 bytes, or 8 on Turin) with the default TCB. */
  LeafSpec vcek(byte[] hwId) throws Exception {
    LeafSpec s = new LeafSpec();
    s.issuer = amdName("SEV-" + product.kdsName());
    s.signer = askKey.getPrivate();
    s.key = ec("secp384r1");
    s.productName = product == Product.MILAN ? "Milan-B0" : product.kdsName();
    s.structVersion = product.turinTcbLayout() ? 1 : 0;
    s.fmc = product.turinTcbLayout() ? 2 : null;
    s.hwId = hwId;
    return s;
  }

  LeafSpec vlek(String cspId) throws Exception {
    LeafSpec s = vcek(null);
    s.cn = "SEV-VLEK";
    s.issuer = amdName("SEV-VLEK-" + product.kdsName());
    s.signer = asvkKey.getPrivate();
    s.productName = product.kdsName();
    s.cspId = cspId;
    return s;
  }

  static X509Certificate issue(LeafSpec s) throws Exception {
    X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(s.issuer, BigInteger.ZERO,
        Date.from(s.notBefore), Date.from(s.notAfter), amdName(s.cn), s.key.getPublic());
    String arc = VcekExtensions.ARC;
    ext(b, arc + ".1", new ASN1Integer(s.structVersion));
    ext(b, arc + ".2", new DERIA5String(s.productName));
    ext(b, arc + ".3.1", new ASN1Integer(s.bl));
    ext(b, arc + ".3.2", new ASN1Integer(s.tee));
    ext(b, arc + ".3.3", new ASN1Integer(s.snp));
    ext(b, arc + ".3.4", new ASN1Integer(s.spl4));
    ext(b, arc + ".3.8", new ASN1Integer(s.ucode));
    if (s.fmc != null) {
      ext(b, arc + ".3.9", new ASN1Integer(s.fmc));
    }
    if (s.hwId != null) {
      b.addExtension(new ASN1ObjectIdentifier(arc + ".4"), false, s.hwId); // raw, as AMD does
    }
    if (s.cspId != null) {
      ext(b, arc + ".5", new DERIA5String(s.cspId));
    }
    if (s.ca) {
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
    }
    return new JcaX509CertificateConverter().setProvider(BC).getCertificate(
        b.build(new JcaContentSignerBuilder(s.sigAlg).setProvider(BC).build(s.signer)));
  }

  private static void ext(X509v3CertificateBuilder b, String oid, ASN1Encodable value)
      throws Exception {
    b.addExtension(new ASN1ObjectIdentifier(oid), false, value);
  }

  /** A CRL issued under the ARK's name, signed by {@code signer}, revoking {@code serials}. */
  X509CRL crl(PrivateKey signer, String sigAlg, Instant thisUpdate, Instant nextUpdate,
      BigInteger... serials) throws Exception {
    JcaX509v2CRLBuilder b = new JcaX509v2CRLBuilder(ark.getSubjectX500Principal(),
        Date.from(thisUpdate));
    b.setNextUpdate(Date.from(nextUpdate));
    for (BigInteger s : serials) {
      b.addCRLEntry(s, Date.from(thisUpdate), CRLReason.keyCompromise);
    }
    return new JcaX509CRLConverter().setProvider(BC).getCRL(
        b.build(new JcaContentSignerBuilder(sigAlg).setProvider(BC).build(signer)));
  }

  /** Writes the ECDSA P-384 signature of bytes [0, 0x2A0) into r and s (little-endian). */
  static byte[] sign(byte[] report, PrivateKey key) throws Exception {
    Signature s = Signature.getInstance("SHA384withECDSA", BC);
    s.initSign(key);
    s.update(report, 0, AttestationReport.SIGNED_SIZE);
    ASN1Sequence seq = ASN1Sequence.getInstance(s.sign());
    byte[] out = report.clone();
    java.util.Arrays.fill(out, 0x2A0, 0x330, (byte) 0);
    putLittleEndian(out, 0x2A0, ASN1Integer.getInstance(seq.getObjectAt(0)).getValue());
    putLittleEndian(out, 0x2E8, ASN1Integer.getInstance(seq.getObjectAt(1)).getValue());
    return out;
  }

  private static void putLittleEndian(byte[] out, int off, BigInteger v) {
    byte[] be = v.toByteArray();
    for (int i = 0; i < be.length && i < 72; i++) {
      out[off + i] = be[be.length - 1 - i];
    }
  }
}
