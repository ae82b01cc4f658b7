package dev.carapace.tdx.simulate;

import dev.carapace.evidence.io.pem.Pem;
import dev.carapace.tdx.simulate.X509Issuer.Role;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.math.ec.ECPoint;

/**
 * A development certificate hierarchy shaped like Intel's SGX provisioning PKI, on P-256 with
 * ecdsa-with-SHA256: a self-signed root ({@value #ROOT_CN}, CA, pathLen 1), a PCK platform CA
 * ({@value #PCK_CA_CN}, CA, pathLen 0) and a TCB signing certificate ({@value #TCB_SIGNING_CN}),
 * all with {@code O=Carapace Development}. It also issues the root CA and PCK CA CRLs.
 *
 * <p>Never trusted by default: a verifier accepts it only through {@link #trustAnchors()}.
 * Randomness and the JCA provider are passed in; this class never registers a provider and never
 * creates a {@link SecureRandom}. Instances are immutable and thread-safe (given a thread-safe
 * provider and {@code SecureRandom}); {@link #toString()} never shows private keys.
 */
public final class DevelopmentPki {
  public static final String ROOT_CN = "Carapace Development SGX Root CA";
  public static final String PCK_CA_CN = "Carapace Development SGX PCK Platform CA";
  public static final String TCB_SIGNING_CN = "Carapace Development SGX TCB Signing";
  /** Validity used by {@link #generate(SecureRandom, Provider, Clock)}. */
  public static final Duration DEFAULT_VALIDITY = Duration.ofDays(3650);
  /** How far {@link #generate(SecureRandom, Provider, Clock)} backdates, for clock skew. */
  public static final Duration BACKDATE = Duration.ofHours(1);

  static final String ROOT_CERT_FILE = "root-ca.pem";
  static final String ROOT_KEY_FILE = "root-ca.key.pem";
  static final String PCK_CA_CERT_FILE = "pck-platform-ca.pem";
  static final String PCK_CA_KEY_FILE = "pck-platform-ca.key.pem";
  static final String TCB_CERT_FILE = "tcb-signing.pem";
  static final String TCB_KEY_FILE = "tcb-signing.key.pem";

  private static final ECNamedCurveParameterSpec P256 = ECNamedCurveTable.getParameterSpec("P-256");

  private final X509Certificate root;
  private final PrivateKey rootKey;
  private final X509Certificate pckCa;
  private final PrivateKey pckCaKey;
  private final X509Certificate tcbSigning;
  private final PrivateKey tcbSigningKey;
  private final Provider provider;
  private final X509Issuer issuer;

  private DevelopmentPki(X509Certificate root, PrivateKey rootKey, X509Certificate pckCa,
      PrivateKey pckCaKey, X509Certificate tcbSigning, PrivateKey tcbSigningKey,
      Provider provider) {
    this.root = root;
    this.rootKey = rootKey;
    this.pckCa = pckCa;
    this.pckCaKey = pckCaKey;
    this.tcbSigning = tcbSigning;
    this.tcbSigningKey = tcbSigningKey;
    this.provider = provider;
    this.issuer = new X509Issuer(provider);
  }

  /**
   * Generates a hierarchy valid from the clock's time minus {@link #BACKDATE} for
   * {@link #DEFAULT_VALIDITY}.
   */
  public static DevelopmentPki generate(SecureRandom random, Provider provider, Clock clock)
      throws GeneralSecurityException {
    Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
    return generate(random, provider, notBefore, DEFAULT_VALIDITY);
  }

  /** Generates a hierarchy whose certificates are all valid from {@code notBefore} for {@code validity}. */
  public static DevelopmentPki generate(SecureRandom random, Provider provider, Instant notBefore,
      Duration validity) throws GeneralSecurityException {
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(provider, "provider");
    if (validity.isNegative() || validity.isZero()) {
      throw new IllegalArgumentException("validity must be positive, got " + validity);
    }
    Instant start = notBefore.truncatedTo(ChronoUnit.SECONDS);
    Instant end = start.plus(validity);
    X509Issuer x = new X509Issuer(provider);
    KeyPair rootPair = x.newP256KeyPair(random);
    X509Certificate root = x.issue(X509Issuer.name(ROOT_CN), rootPair.getPublic(), Role.ROOT,
        null, rootPair.getPrivate(), start, end, "rootcrl.der", random);
    KeyPair caPair = x.newP256KeyPair(random);
    X509Certificate ca = x.issue(X509Issuer.name(PCK_CA_CN), caPair.getPublic(),
        Role.INTERMEDIATE, root, rootPair.getPrivate(), start, end, "rootcrl.der", random);
    KeyPair tcbPair = x.newP256KeyPair(random);
    X509Certificate tcb = x.issue(X509Issuer.name(TCB_SIGNING_CN), tcbPair.getPublic(),
        Role.END_ENTITY, root, rootPair.getPrivate(), start, end, "rootcrl.der", random);
    return new DevelopmentPki(root, rootPair.getPrivate(), ca, caPair.getPrivate(), tcb,
        tcbPair.getPrivate(), provider);
  }

  /**
   * Reads a hierarchy written by {@link #writeTo(Path)}, checking that every private key matches
   * its certificate and that the root signed itself, the PCK CA and the TCB signing certificate.
   */
  public static DevelopmentPki readFrom(Path dir, Provider provider)
      throws IOException, GeneralSecurityException {
    X509Certificate root = Pem.readCertificate(dir.resolve(ROOT_CERT_FILE), provider);
    PrivateKey rootKey = Pem.readPrivateKey(dir.resolve(ROOT_KEY_FILE), "EC", provider);
    X509Certificate ca = Pem.readCertificate(dir.resolve(PCK_CA_CERT_FILE), provider);
    PrivateKey caKey = Pem.readPrivateKey(dir.resolve(PCK_CA_KEY_FILE), "EC", provider);
    X509Certificate tcb = Pem.readCertificate(dir.resolve(TCB_CERT_FILE), provider);
    PrivateKey tcbKey = Pem.readPrivateKey(dir.resolve(TCB_KEY_FILE), "EC", provider);
    requireKeyMatches(rootKey, root, ROOT_CERT_FILE);
    requireKeyMatches(caKey, ca, PCK_CA_CERT_FILE);
    requireKeyMatches(tcbKey, tcb, TCB_CERT_FILE);
    requireIssuedBy(root, root, ROOT_CERT_FILE, provider);
    requireIssuedBy(ca, root, PCK_CA_CERT_FILE, provider);
    requireIssuedBy(tcb, root, TCB_CERT_FILE, provider);
    return new DevelopmentPki(root, rootKey, ca, caKey, tcb, tcbKey, provider);
  }

  /**
   * Writes the three certificates and three PKCS#8 private keys as PEM files into {@code dir}
   * (created if missing), each file atomically; key files get mode 0600 where POSIX permissions
   * are supported. Existing files of the same names are replaced.
   */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Pem.writePrivateKey(dir.resolve(ROOT_KEY_FILE), rootKey);
    Pem.writePrivateKey(dir.resolve(PCK_CA_KEY_FILE), pckCaKey);
    Pem.writePrivateKey(dir.resolve(TCB_KEY_FILE), tcbSigningKey);
    Pem.writeCertificates(dir.resolve(ROOT_CERT_FILE), List.of(root));
    Pem.writeCertificates(dir.resolve(PCK_CA_CERT_FILE), List.of(pckCa));
    Pem.writeCertificates(dir.resolve(TCB_CERT_FILE), List.of(tcbSigning));
  }

  /** The root only: pass to {@code TrustAnchors.of(...)} to trust this development PKI. */
  public List<X509Certificate> trustAnchors() {
    return List.of(root);
  }

  public X509Certificate rootCertificate() {
    return root;
  }

  public X509Certificate pckCaCertificate() {
    return pckCa;
  }

  public X509Certificate tcbSigningCertificate() {
    return tcbSigning;
  }

  /** PCK CA and root, as collateral's {@code pckCrlIssuerChain}. */
  public List<X509Certificate> pckCrlIssuerChain() {
    return List.of(pckCa, root);
  }

  /** TCB signing certificate and root, as the TCB Info and QE Identity issuer chains. */
  public List<X509Certificate> tcbSigningChain() {
    return List.of(tcbSigning, root);
  }

  /** The root CA's CRL revoking {@code revokedSerials} (PCK CA or TCB signing serials). */
  public X509CRL issueRootCaCrl(Instant thisUpdate, Instant nextUpdate,
      Collection<BigInteger> revokedSerials, SecureRandom random)
      throws GeneralSecurityException {
    return issuer.crl(root, rootKey, seconds(thisUpdate), seconds(nextUpdate), revokedSerials,
        random);
  }

  /** The PCK CA's CRL revoking {@code revokedSerials} (PCK certificate serials). */
  public X509CRL issuePckCrl(Instant thisUpdate, Instant nextUpdate,
      Collection<BigInteger> revokedSerials, SecureRandom random)
      throws GeneralSecurityException {
    return issuer.crl(pckCa, pckCaKey, seconds(thisUpdate), seconds(nextUpdate), revokedSerials,
        random);
  }

  Provider provider() {
    return provider;
  }

  X509Issuer issuer() {
    return issuer;
  }

  PrivateKey pckCaKey() {
    return pckCaKey;
  }

  PrivateKey tcbSigningKey() {
    return tcbSigningKey;
  }

  @Override
  public String toString() {
    return "DevelopmentPki[root=" + root.getSubjectX500Principal().getName() + ", serial="
        + root.getSerialNumber().toString(16) + ", notAfter="
        + root.getNotAfter().toInstant() + "]";
  }

  private static Instant seconds(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS);
  }

  /** Throws unless {@code key} is the P-256 private key of {@code cert}'s public key. */
  private static void requireKeyMatches(PrivateKey key, X509Certificate cert, String what)
      throws GeneralSecurityException {
    if (!(key instanceof ECPrivateKey priv)
        || !(cert.getPublicKey() instanceof ECPublicKey pub)
        || !pub.getParams().getOrder().equals(P256.getN())
        || pub.getParams().getCurve().getField().getFieldSize() != 256) {
      throw new InvalidKeyException(what + ": key and certificate must be P-256 EC keys");
    }
    BigInteger s = priv.getS();
    if (s.signum() <= 0 || s.compareTo(P256.getN()) >= 0) {
      throw new InvalidKeyException(what + ": private scalar out of range");
    }
    ECPoint q = P256.getG().multiply(s).normalize();
    if (!q.getAffineXCoord().toBigInteger().equals(pub.getW().getAffineX())
        || !q.getAffineYCoord().toBigInteger().equals(pub.getW().getAffineY())) {
      throw new InvalidKeyException(what + ": private key does not match the certificate");
    }
  }

  private static void requireIssuedBy(X509Certificate cert, X509Certificate issuer, String what,
      Provider provider) throws GeneralSecurityException {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new CertificateException(what + " is not issued by " + ROOT_CERT_FILE);
    }
    cert.verify(issuer.getPublicKey(), provider);
  }
}
