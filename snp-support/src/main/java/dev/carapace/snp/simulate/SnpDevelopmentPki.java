package dev.carapace.snp.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.evidence.io.pem.AtomicFiles;
import dev.carapace.evidence.io.pem.Pem;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ProductRoots;
import dev.carapace.snp.verify.TrustedRoots;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.jspecify.annotations.Nullable;

/**
 * A development copy of AMD's SEV-SNP key hierarchy for one {@link Product}, in AMD's certificate
 * profile so that {@code ReportVerifier} accepts it unchanged: a self-signed ARK ({@code
 * ARK-<Product>}, RSA, CA, KeyUsage keyCertSign and cRLSign), an ASK ({@code SEV-<Product>}, CA
 * pathLen 0) and optionally an ASVK ({@code SEV-VLEK-<Product>}), all signed with RSASSA-PSS
 * (SHA-384, MGF1-SHA-384, salt 48) and carrying AMD's KDS CRL distribution point; it issues VCEKs
 * and VLEKs (ECDSA P-384, serial 0, the AMD extensions) and ARK-signed CRLs.
 *
 * <p>Every name is AMD's ({@code OU=Engineering, C=US, L=Santa Clara, ST=CA, O=Advanced Micro
 * Devices, CN=...}, the verifier requires exactly that) followed by one more attribute, {@code
 * dnQualifier=carapace-development-<16 hex digits>}, random per hierarchy. So no AMD certificate
 * and no other development hierarchy has the same names: a verifier trusting only AMD's roots (the
 * default, {@code TrustedRoots.amd()}) rejects everything issued here with {@code UNTRUSTED_ROOT},
 * and {@link dev.carapace.snp.verify.VerifiedReport#amdRoot()} is false for what it accepts.
 * Development roots are trusted only through {@link #trustedRoots()} or {@link #productRoots()}.
 *
 * <p>Randomness and the JCA provider are passed in; this class never registers a provider and
 * never creates a {@link SecureRandom}. Instances are immutable and thread-safe (given a
 * thread-safe provider and {@code SecureRandom}); {@link #toString()} never shows private keys.
 */
public final class SnpDevelopmentPki {
  /** RSA modulus size AMD uses for ARK, ASK and ASVK. */
  public static final int DEFAULT_RSA_KEY_BITS = 4096;
  /** Smallest RSA modulus accepted; fine for tests, where 4096-bit key generation is slow. */
  public static final int MIN_RSA_KEY_BITS = 2048;
  /** AMD's ARKs and ASKs are valid 25 years. */
  public static final int DEFAULT_VALIDITY_YEARS = 25;
  /** How far {@link #generate(Product, SecureRandom, Provider, Clock)} backdates (clock skew). */
  public static final Duration BACKDATE = Duration.ofHours(1);
  /** Prefix of the dnQualifier that marks every development name. */
  public static final String DN_QUALIFIER_PREFIX = "carapace-development-";

  static final String ARK_CERT_FILE = "ark.pem";
  static final String ARK_KEY_FILE = "ark.key.pem";
  static final String ASK_CERT_FILE = "ask.pem";
  static final String ASK_KEY_FILE = "ask.key.pem";
  static final String ASVK_CERT_FILE = "asvk.pem";
  static final String ASVK_KEY_FILE = "asvk.key.pem";
  /** ASK then ARK, as KDS serves {@code /vcek/v1/<Product>/cert_chain}; written, never read. */
  static final String VCEK_CHAIN_FILE = "vcek_cert_chain.pem";
  /** ASVK then ARK, as KDS serves {@code /vlek/v1/<Product>/cert_chain}; written, never read. */
  static final String VLEK_CHAIN_FILE = "vlek_cert_chain.pem";

  private final Product product;
  private final String dnQualifier;
  private final X509Certificate ark;
  private final PrivateKey arkKey;
  private final X509Certificate ask;
  private final PrivateKey askKey;
  private final @Nullable X509Certificate asvk;
  private final @Nullable PrivateKey asvkKey;
  private final AmdX509 x509;

  private SnpDevelopmentPki(Product product, String dnQualifier, X509Certificate ark,
      PrivateKey arkKey, X509Certificate ask, PrivateKey askKey, @Nullable X509Certificate asvk,
      @Nullable PrivateKey asvkKey, Provider provider) {
    this.product = product;
    this.dnQualifier = dnQualifier;
    this.ark = ark;
    this.arkKey = arkKey;
    this.ask = ask;
    this.askKey = askKey;
    this.asvk = asvk;
    this.asvkKey = asvkKey;
    this.x509 = new AmdX509(provider);
  }

  /**
   * Generates ARK, ASK and ASVK with RSA-{@value #DEFAULT_RSA_KEY_BITS} keys, valid from the
   * clock's time minus {@link #BACKDATE} for {@value #DEFAULT_VALIDITY_YEARS} years.
   */
  public static SnpDevelopmentPki generate(Product product, SecureRandom random, Provider provider,
      Clock clock) throws GeneralSecurityException {
    Instant notBefore = clock.instant().truncatedTo(ChronoUnit.SECONDS).minus(BACKDATE);
    return generate(product, DEFAULT_RSA_KEY_BITS, true, notBefore,
        notBefore.atOffset(ZoneOffset.UTC).plusYears(DEFAULT_VALIDITY_YEARS).toInstant(), random,
        provider);
  }

  /**
   * Generates a hierarchy with {@code rsaKeyBits}-bit RSA keys (at least {@value
   * #MIN_RSA_KEY_BITS}), with or without an ASVK, every certificate valid from {@code notBefore}
   * to {@code notAfter} (truncated to seconds).
   */
  public static SnpDevelopmentPki generate(Product product, int rsaKeyBits, boolean withAsvk,
      Instant notBefore, Instant notAfter, SecureRandom random, Provider provider)
      throws GeneralSecurityException {
    Objects.requireNonNull(product, "product");
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(provider, "provider");
    if (rsaKeyBits < MIN_RSA_KEY_BITS) {
      throw new IllegalArgumentException(
          "RSA keys must have at least " + MIN_RSA_KEY_BITS + " bits, got " + rsaKeyBits);
    }
    Instant start = notBefore.truncatedTo(ChronoUnit.SECONDS);
    Instant end = notAfter.truncatedTo(ChronoUnit.SECONDS);
    if (!start.isBefore(end)) {
      throw new IllegalArgumentException("notBefore must precede notAfter");
    }
    byte[] id = new byte[8];
    random.nextBytes(id);
    String qualifier = DN_QUALIFIER_PREFIX + HexFormat.of().formatHex(id);
    AmdX509 x = new AmdX509(provider);
    String name = product.kdsName();

    KeyPair arkPair = x.newRsaKeyPair(rsaKeyBits, random);
    X509Certificate ark = x.ark(AmdX509.name("ARK-" + name, qualifier), arkPair,
        AmdX509.newSerial(random), start, end, vcekCrlUrl(product), random);
    KeyPair askPair = x.newRsaKeyPair(rsaKeyBits, random);
    X509Certificate ask = x.intermediate(AmdX509.name("SEV-" + name, qualifier),
        askPair.getPublic(), AmdX509.newSerial(random), ark, arkPair.getPrivate(), start, end,
        vcekCrlUrl(product), random);
    X509Certificate asvk = null;
    PrivateKey asvkKey = null;
    if (withAsvk) {
      KeyPair asvkPair = x.newRsaKeyPair(rsaKeyBits, random);
      asvk = x.intermediate(AmdX509.name("SEV-VLEK-" + name, qualifier), asvkPair.getPublic(),
          AmdX509.newSerial(random), ark, arkPair.getPrivate(), start, end, vlekCrlUrl(product),
          random);
      asvkKey = asvkPair.getPrivate();
    }
    return new SnpDevelopmentPki(product, qualifier, ark, arkPair.getPrivate(), ask,
        askPair.getPrivate(), asvk, asvkKey, provider);
  }

  /**
   * Reads a hierarchy written by {@link #writeTo(Path)} (the ASVK when {@value #ASVK_CERT_FILE}
   * exists), checking that every private key matches its certificate, that the names are
   * development names of one product with one qualifier, and that the ARK signed itself, the ASK
   * and the ASVK.
   */
  public static SnpDevelopmentPki readFrom(Path dir, Provider provider)
      throws IOException, GeneralSecurityException {
    Objects.requireNonNull(provider, "provider");
    X509Certificate ark = Pem.readCertificate(dir.resolve(ARK_CERT_FILE), provider);
    PrivateKey arkKey = Pem.readPrivateKey(dir.resolve(ARK_KEY_FILE), "RSA", provider);
    X509Certificate ask = Pem.readCertificate(dir.resolve(ASK_CERT_FILE), provider);
    PrivateKey askKey = Pem.readPrivateKey(dir.resolve(ASK_KEY_FILE), "RSA", provider);
    X509Certificate asvk = null;
    PrivateKey asvkKey = null;
    if (Files.exists(dir.resolve(ASVK_CERT_FILE))) {
      asvk = Pem.readCertificate(dir.resolve(ASVK_CERT_FILE), provider);
      asvkKey = Pem.readPrivateKey(dir.resolve(ASVK_KEY_FILE), "RSA", provider);
    }
    String arkCn = commonName(ark.getSubjectX500Principal());
    Product product = arkCn.startsWith("ARK-")
        ? Product.fromName(arkCn.substring(4)).filter(p -> arkCn.equals("ARK-" + p.kdsName()))
            .orElse(null)
        : null;
    if (product == null) {
      throw new CertificateException(ARK_CERT_FILE + " CN \"" + arkCn + "\" is not ARK-<Product>");
    }
    String qualifier = developmentQualifier(ark.getSubjectX500Principal()).orElseThrow(
        () -> new CertificateException(ARK_CERT_FILE + " is not a development certificate"));
    requireName(ask, "SEV-" + product.kdsName(), qualifier, ASK_CERT_FILE);
    requireKeyMatches(arkKey, ark, ARK_CERT_FILE);
    requireKeyMatches(askKey, ask, ASK_CERT_FILE);
    requireIssuedBy(ark, ark, ARK_CERT_FILE, provider);
    requireIssuedBy(ask, ark, ASK_CERT_FILE, provider);
    if (asvk != null && asvkKey != null) {
      requireName(asvk, "SEV-VLEK-" + product.kdsName(), qualifier, ASVK_CERT_FILE);
      requireKeyMatches(asvkKey, asvk, ASVK_CERT_FILE);
      requireIssuedBy(asvk, ark, ASVK_CERT_FILE, provider);
    }
    return new SnpDevelopmentPki(product, qualifier, ark, arkKey, ask, askKey, asvk, asvkKey,
        provider);
  }

  /**
   * Writes certificates and PKCS#8 private keys as PEM files into {@code dir} (created if
   * missing), each file atomically; key files get mode 0600 where POSIX permissions are
   * supported. Also writes the KDS-style chains {@value #VCEK_CHAIN_FILE} (ASK, ARK) and, with an
   * ASVK, {@value #VLEK_CHAIN_FILE}. Existing files of the same names are replaced; without an
   * ASVK, stale ASVK files are deleted.
   */
  public void writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Pem.writePrivateKey(dir.resolve(ARK_KEY_FILE), arkKey);
    Pem.writePrivateKey(dir.resolve(ASK_KEY_FILE), askKey);
    if (asvk != null && asvkKey != null) {
      Pem.writePrivateKey(dir.resolve(ASVK_KEY_FILE), asvkKey);
      Pem.writeCertificates(dir.resolve(ASVK_CERT_FILE), List.of(asvk));
      Pem.writeCertificates(dir.resolve(VLEK_CHAIN_FILE), List.of(asvk, ark));
    } else {
      Files.deleteIfExists(dir.resolve(ASVK_CERT_FILE));
      Files.deleteIfExists(dir.resolve(ASVK_KEY_FILE));
      Files.deleteIfExists(dir.resolve(VLEK_CHAIN_FILE));
      AtomicFiles.syncDirectory(dir);
    }
    Pem.writeCertificates(dir.resolve(ASK_CERT_FILE), List.of(ask));
    Pem.writeCertificates(dir.resolve(ARK_CERT_FILE), List.of(ark));
    Pem.writeCertificates(dir.resolve(VCEK_CHAIN_FILE), List.of(ask, ark));
  }

  public Product product() {
    return product;
  }

  /** The dnQualifier value all names of this hierarchy carry. */
  public String dnQualifier() {
    return dnQualifier;
  }

  public X509Certificate arkCertificate() {
    return ark;
  }

  public X509Certificate askCertificate() {
    return ask;
  }

  public Optional<X509Certificate> asvkCertificate() {
    return Optional.ofNullable(asvk);
  }

  /** ARK, ASK and ASVK (if any) for {@code TrustedRoots.of(...)}. */
  public ProductRoots productRoots() {
    return new ProductRoots(product, ark, ask, asvk);
  }

  /** Roots trusting this hierarchy only (for its product). */
  public TrustedRoots trustedRoots() {
    return TrustedRoots.of(List.of(productRoots()));
  }

  /** Roots trusting exactly these hierarchies (one per product). */
  public static TrustedRoots trustedRoots(Collection<SnpDevelopmentPki> pkis) {
    List<ProductRoots> roots = new ArrayList<>();
    for (SnpDevelopmentPki p : pkis) {
      roots.add(p.productRoots());
    }
    return TrustedRoots.of(roots);
  }

  /** ASK then ARK: what KDS serves as {@code /vcek/v1/<Product>/cert_chain}. */
  public List<X509Certificate> vcekChain() {
    return List.of(ask, ark);
  }

  /** ASVK then ARK, when there is an ASVK. */
  public Optional<List<X509Certificate>> vlekChain() {
    return asvk == null ? Optional.empty() : Optional.of(List.of(asvk, ark));
  }

  /** {@link #vcekChain()} as PEM text. */
  public String vcekChainPem() {
    return Pem.certificates(vcekChain());
  }

  /** True when {@code name} carries a development dnQualifier (as every name issued here). */
  public static boolean isDevelopmentName(X500Principal name) {
    return developmentQualifier(name).isPresent();
  }

  /**
   * Issues a VCEK for {@code key} (ECDSA P-384) certifying {@code tcb} (this product's layout)
   * and the chip: hwID is CHIP_ID, all 64 bytes for Milan and Genoa, the first 8 for Turin
   * ({@code chipId} may then be 8 bytes, or 64 with bytes 8 to 63 zero). The productName is what
   * KDS writes: "Milan-B0", "Genoa", "Turin".
   */
  public X509Certificate issueVcek(PublicKey key, Bytes chipId, TcbVersion tcb, Instant notBefore,
      Instant notAfter, SecureRandom random) throws GeneralSecurityException {
    Bytes hwId = hwId(chipId);
    return issueEndorsement("SEV-VCEK", key, tcb, AmdExtensions.vcekProductName(product), hwId,
        null, ask, askKey, notBefore, notAfter, random);
  }

  /**
   * Issues a VLEK for {@code key} (ECDSA P-384) certifying {@code tcb}, with cspId {@code cspId};
   * the productName is the plain product name, as on AMD's VLEKs.
   *
   * @throws IllegalStateException if this hierarchy has no ASVK
   */
  public X509Certificate issueVlek(PublicKey key, String cspId, TcbVersion tcb, Instant notBefore,
      Instant notAfter, SecureRandom random) throws GeneralSecurityException {
    Objects.requireNonNull(cspId, "cspId");
    if (asvk == null || asvkKey == null) {
      throw new IllegalStateException("this development hierarchy has no ASVK");
    }
    return issueEndorsement("SEV-VLEK", key, tcb, product.kdsName(), null, cspId, asvk, asvkKey,
        notBefore, notAfter, random);
  }

  /** An ARK-signed CRL (RSASSA-PSS) listing {@code revokedSerials} (ASK/ASVK serials). */
  public X509CRL issueCrl(Instant thisUpdate, Instant nextUpdate,
      Collection<BigInteger> revokedSerials, SecureRandom random) throws GeneralSecurityException {
    Instant from = thisUpdate.truncatedTo(ChronoUnit.SECONDS);
    Instant to = nextUpdate.truncatedTo(ChronoUnit.SECONDS);
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("thisUpdate must precede nextUpdate");
    }
    return x509.crl(ark, arkKey, from, to, revokedSerials, random);
  }

  /** AMD's CRL URL for VCEK chains; the verifier requires it in ARK and ASK. */
  static String vcekCrlUrl(Product product) {
    return "https://kdsintf.amd.com/vcek/v1/" + product.kdsName() + "/crl";
  }

  static String vlekCrlUrl(Product product) {
    return "https://kdsintf.amd.com/vlek/v1/" + product.kdsName() + "/crl";
  }

  @Override
  public String toString() {
    return "SnpDevelopmentPki[product=" + product + ", dnQualifier=" + dnQualifier + ", arkSerial="
        + ark.getSerialNumber().toString(16) + ", asvk=" + (asvk != null) + ", notAfter="
        + ark.getNotAfter().toInstant() + "]";
  }

  private X509Certificate issueEndorsement(String cn, PublicKey key, TcbVersion tcb,
      String productName, @Nullable Bytes hwId, @Nullable String cspId, X509Certificate issuer,
      PrivateKey issuerKey, Instant notBefore, Instant notAfter, SecureRandom random)
      throws GeneralSecurityException {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(random, "random");
    if (tcb.product() != product) {
      throw new IllegalArgumentException(
          "the TCB is in " + tcb.product() + " layout, this hierarchy is for " + product);
    }
    requireP384(key);
    Instant from = notBefore.truncatedTo(ChronoUnit.SECONDS);
    Instant to = notAfter.truncatedTo(ChronoUnit.SECONDS);
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("notBefore must precede notAfter");
    }
    try {
      return x509.endorsementKey(AmdX509.name(cn, dnQualifier), key, issuer, issuerKey, from, to,
          AmdExtensions.of(tcb, productName, hwId, cspId), random);
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the AMD extensions", e);
    }
  }

  private Bytes hwId(Bytes chipId) {
    Objects.requireNonNull(chipId, "chipId");
    if (product.turinTcbLayout()) {
      if (chipId.size() == 8) {
        return chipId;
      }
      if (chipId.size() == 64 && chipId.slice(8, 56).isAllZero()) {
        return chipId.slice(0, 8);
      }
      throw new IllegalArgumentException(
          "a Turin CHIP_ID is 8 bytes, or 64 with bytes 8 to 63 zero");
    }
    if (chipId.size() != 64) {
      throw new IllegalArgumentException(product + " CHIP_ID must be 64 bytes, got "
          + chipId.size());
    }
    return chipId;
  }

  private static void requireP384(PublicKey key) {
    AlgorithmIdentifier alg = SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm();
    if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg.getAlgorithm())
        || !SECObjectIdentifiers.secp384r1.equals(alg.getParameters())) {
      throw new IllegalArgumentException("VCEK/VLEK keys are ECDSA P-384 keys");
    }
  }

  private static String commonName(X500Principal principal) {
    return single(principal, BCStyle.CN).orElse("");
  }

  private static Optional<String> developmentQualifier(X500Principal principal) {
    return single(principal, BCStyle.DN_QUALIFIER).filter(q -> q.startsWith(DN_QUALIFIER_PREFIX));
  }

  private static Optional<String> single(X500Principal principal, ASN1ObjectIdentifier type) {
    RDN[] rdns = X500Name.getInstance(principal.getEncoded()).getRDNs(type);
    return rdns.length != 1 || rdns[0].isMultiValued() ? Optional.empty()
        : Optional.of(IETFUtils.valueToString(rdns[0].getFirst().getValue()));
  }

  private static void requireName(X509Certificate cert, String cn, String qualifier, String what)
      throws CertificateException {
    X500Principal subject = cert.getSubjectX500Principal();
    if (!commonName(subject).equals(cn)
        || !developmentQualifier(subject).filter(qualifier::equals).isPresent()) {
      throw new CertificateException(what + " is not the development " + cn + " of this hierarchy");
    }
  }

  /** Throws unless {@code key} is the RSA private key of {@code cert}'s public key. */
  private static void requireKeyMatches(PrivateKey key, X509Certificate cert, String what)
      throws GeneralSecurityException {
    if (!(key instanceof RSAPrivateCrtKey priv)
        || !(cert.getPublicKey() instanceof RSAPublicKey pub)) {
      throw new InvalidKeyException(what + ": key and certificate must be RSA keys");
    }
    if (!priv.getModulus().equals(pub.getModulus())
        || !priv.getPublicExponent().equals(pub.getPublicExponent())
        || !priv.getPrimeP().multiply(priv.getPrimeQ()).equals(pub.getModulus())) {
      throw new InvalidKeyException(what + ": private key does not match the certificate");
    }
  }

  private static void requireIssuedBy(X509Certificate cert, X509Certificate issuer, String what,
      Provider provider) throws GeneralSecurityException {
    if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
      throw new CertificateException(what + " is not issued by " + ARK_CERT_FILE);
    }
    cert.verify(issuer.getPublicKey(), provider);
  }
}
