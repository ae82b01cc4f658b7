package dev.carapace.tdx.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.QeIdentity;
import dev.carapace.tdx.pcs.QuoteCollateralV3;
import dev.carapace.tdx.pcs.Signed;
import dev.carapace.tdx.pcs.TcbInfo;
import dev.carapace.tdx.quote.CertificationData;
import dev.carapace.tdx.quote.EnclaveReportBody;
import dev.carapace.tdx.quote.QeReportCertificationData;
import dev.carapace.tdx.quote.QuoteEncoder;
import dev.carapace.tdx.quote.QuoteHeader;
import dev.carapace.tdx.quote.QuoteSignatureData;
import dev.carapace.tdx.quote.QuoteV4;
import dev.carapace.tdx.quote.TdQuoteBody;
import dev.carapace.tdx.simulate.CollateralJson.Dates;
import dev.carapace.tdx.simulate.X509Issuer.Role;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A development TDX quoting service: issues itself a PCK certificate from a {@link DevelopmentPki}
 * (with an SGX extension describing its {@link SimulatedPlatform}), holds a QE attestation key
 * certified by a QE report signed with the PCK key, and turns {@link TdQuoteRequest}s into v4
 * quotes that {@code QuoteVerifier} verifies, given the PKI's root as trust anchor and the
 * collateral from {@link #collateral()}.
 *
 * <p>Thread-safe: all state is fixed at construction; every signature is made with the injected
 * {@code SecureRandom} and provider, and all times come from the injected clock.
 */
public final class TdxQuoteSimulator {
  public static final String PCK_CN = "Carapace Development SGX PCK Certificate";
  /** MRSIGNER of the simulated TD quoting enclave (not Intel's). */
  public static final Bytes QE_MRSIGNER = sha256("Carapace Development TD_QE signer");
  public static final Bytes QE_MRENCLAVE = sha256("Carapace Development TD_QE enclave");
  public static final int QE_ISVPRODID = 2;
  /** QE attributes as Intel's TD_QE reports them (INIT, MODE64BIT, PROVISIONKEY; XFRM 0xe7). */
  public static final Bytes QE_ATTRIBUTES = Bytes.fromHex("1500000000000000e700000000000000");
  /** QE authentication data as Intel's QGS produces it: bytes 0x00..0x1f. */
  public static final Bytes QE_AUTH_DATA = Bytes.fromHex(
      "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
  /** Collateral is issued one hour before the clock's time and valid for 30 days. */
  public static final Duration COLLATERAL_VALIDITY = Duration.ofDays(30);
  private static final Duration SKEW = Duration.ofHours(1);
  private static final String RAW_ECDSA = "SHA256withPLAIN-ECDSA";

  private final DevelopmentPki pki;
  private final SimulatedPlatform platform;
  private final SecureRandom random;
  private final Provider provider;
  private final Clock clock;
  private final X509Certificate pck;
  private final PrivateKey attestationPrivateKey;
  private final Bytes attestationKey;
  private final Bytes userData;
  private final QeReportCertificationData certification;

  public TdxQuoteSimulator(DevelopmentPki pki, SimulatedPlatform platform, SecureRandom random,
      Provider provider, Clock clock) throws GeneralSecurityException {
    this.pki = Objects.requireNonNull(pki, "pki");
    this.platform = Objects.requireNonNull(platform, "platform");
    this.random = Objects.requireNonNull(random, "random");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
    X509Issuer issuer = new X509Issuer(provider);

    X509Certificate ca = pki.pckCaCertificate();
    Instant notBefore = latest(ca.getNotBefore().toInstant(), now().minus(SKEW));
    Instant notAfter = ca.getNotAfter().toInstant();
    if (!notBefore.isBefore(notAfter)) {
      throw new GeneralSecurityException("the development PCK CA expired at " + notAfter);
    }
    KeyPair pckPair = issuer.newP256KeyPair(random);
    try {
      pck = issuer.issue(X509Issuer.name(PCK_CN), pckPair.getPublic(), Role.END_ENTITY, ca,
          pki.pckCaKey(), notBefore, notAfter, "pckcrl?ca=platform&encoding=der", random,
          SgxExtension.of(platform, randomBytes(16), randomBytes(16)));
    } catch (IOException e) {
      throw new GeneralSecurityException("cannot encode the SGX extension", e);
    }
    KeyPair attestation = issuer.newP256KeyPair(random);
    attestationPrivateKey = attestation.getPrivate();
    attestationKey = rawPoint((ECPublicKey) attestation.getPublic());
    userData = Bytes.copyOf(concat(randomBytes(16).toByteArray(), new byte[4]));

    EnclaveReportBody qeReport = new EnclaveReportBody(platform.cpuSvn(), 0, Bytes.zeros(28),
        QE_ATTRIBUTES, QE_MRENCLAVE, Bytes.zeros(32), QE_MRSIGNER, Bytes.zeros(96), QE_ISVPRODID,
        platform.qeSvn(), Bytes.zeros(60), qeReportData(attestationKey, QE_AUTH_DATA));
    Bytes qeSignature = sign(pckPair.getPrivate(), QuoteEncoder.encodeEnclaveReport(qeReport));
    byte[] chain = QuoteCollateralV3.pem(List.of(pck, ca, pki.rootCertificate()))
        .getBytes(StandardCharsets.US_ASCII);
    certification = new QeReportCertificationData(qeReport, qeSignature, QE_AUTH_DATA,
        new CertificationData(CertificationData.TYPE_PCK_CERT_CHAIN,
            Bytes.copyOf(concat(chain, new byte[1]))));
  }

  /**
   * A v4 quote (header, TDX 1.0 body, ECDSA signature data with the QE report and the PEM PCK
   * chain ending in one NUL) of {@code request}, signed by the attestation key.
   */
  public byte[] quote(TdQuoteRequest request) throws GeneralSecurityException {
    QuoteHeader header = new QuoteHeader(4, QuoteHeader.ATTESTATION_KEY_TYPE_ECDSA_P256,
        QuoteHeader.TEE_TYPE_TDX, 0, 0, QuoteHeader.INTEL_QE_VENDOR_ID, userData);
    TdQuoteBody body = new TdQuoteBody(request.teeTcbSvnValue().orElse(platform.teeTcbSvn()),
        platform.mrSeam(), Bytes.zeros(48), Bytes.zeros(8), request.tdAttributes(),
        request.xfam(), request.mrTd(), request.mrConfigId(), request.mrOwner(),
        request.mrOwnerConfig(), request.rtmrs(), request.reportData(), null, null);
    QuoteV4 unsigned = new QuoteV4(header, body,
        new QuoteSignatureData(Bytes.zeros(64), attestationKey, certification));
    Bytes signature = sign(attestationPrivateKey, QuoteEncoder.signedRegion(unsigned));
    return QuoteEncoder.encode(new QuoteV4(header, body,
        new QuoteSignatureData(signature, attestationKey, certification)));
  }

  /** Collateral rating this platform UpToDate, with empty CRLs, current at the clock's time. */
  public Collateral collateral() throws GeneralSecurityException {
    return collateral(platform, List.of());
  }

  /**
   * Collateral whose newest ({@code UpToDate}) TCB level is {@code latestTcb}'s SVNs (SGX
   * components, PCESVN, TEE_TCB_SVN, QE ISVSVN), with an {@code OutOfDate} level one SVN below,
   * and a PCK CRL listing {@code revokedPckSerials}. FMSPC and PCE-ID are this platform's.
   */
  public Collateral collateral(SimulatedPlatform latestTcb, Collection<BigInteger> revokedPckSerials)
      throws GeneralSecurityException {
    Instant now = now();
    Instant issued = now.minus(SKEW);
    Instant next = now.plus(COLLATERAL_VALIDITY);
    Instant tcbDate = now.truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(30));
    Dates dates = new Dates(issued, next, tcbDate, tcbDate.minus(Duration.ofDays(365)));
    X509CRL rootCrl = pki.issueRootCaCrl(issued, next, List.of(), random);
    X509CRL pckCrl = pki.issuePckCrl(issued, next, revokedPckSerials, random);
    byte[] tcbJson = CollateralJson.tcbInfo(platform.fmspc(), platform.pceId(), Bytes.zeros(48),
        latestTcb, dates);
    byte[] qeJson = CollateralJson.qeIdentity(QE_MRSIGNER, QE_ISVPRODID, latestTcb.qeSvn(), dates);
    Signed<TcbInfo> tcbInfo;
    Signed<QeIdentity> qeIdentity;
    try {
      tcbInfo = CollateralDocuments.tcbInfo(tcbJson, sign(pki.tcbSigningKey(), tcbJson).toHex());
      qeIdentity = CollateralDocuments.qeIdentity(qeJson, sign(pki.tcbSigningKey(), qeJson).toHex());
    } catch (CollateralException e) {
      throw new IllegalStateException("simulated collateral does not parse", e);
    }
    List<X509Certificate> tcbChain = pki.tcbSigningChain();
    return new Collateral(pki.pckCrlIssuerChain(), rootCrl, pckCrl, tcbChain, tcbInfo, tcbChain,
        qeIdentity);
  }

  /** {@link #collateral()} as a QuoteCollateralV3 JSON bundle. */
  public byte[] collateralBundle() throws GeneralSecurityException {
    return QuoteCollateralV3.encode(collateral());
  }

  /** The simulated PCK certificate (leaf of the quote's PCK chain). */
  public X509Certificate pckCertificate() {
    return pck;
  }

  /** The attestation public key X‖Y (64 bytes) that signs quotes. */
  public Bytes attestationKey() {
    return attestationKey;
  }

  public SimulatedPlatform platform() {
    return platform;
  }

  public DevelopmentPki pki() {
    return pki;
  }

  @Override
  public String toString() {
    return "TdxQuoteSimulator[fmspc=" + platform.fmspc() + ", pckSerial="
        + pck.getSerialNumber().toString(16) + ", attestationKey=" + attestationKey + "]";
  }

  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private Bytes sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature s = Signature.getInstance(RAW_ECDSA, provider);
    s.initSign(key, random);
    s.update(data);
    return Bytes.copyOf(s.sign());
  }

  private Bytes randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return Bytes.copyOf(b);
  }

  private static Bytes qeReportData(Bytes attestationKey, Bytes authData) {
    byte[] digest = digest("SHA-256", concat(attestationKey.toByteArray(), authData.toByteArray()));
    return Bytes.copyOf(concat(digest, new byte[32]));
  }

  private static Bytes rawPoint(ECPublicKey key) {
    byte[] out = new byte[64];
    unsigned32(key.getW().getAffineX(), out, 0);
    unsigned32(key.getW().getAffineY(), out, 32);
    return Bytes.copyOf(out);
  }

  private static void unsigned32(BigInteger v, byte[] out, int offset) {
    byte[] b = v.toByteArray();
    int n = Math.min(b.length, 32);
    System.arraycopy(b, b.length - n, out, offset + 32 - n, n);
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static Bytes sha256(String text) {
    return Bytes.copyOf(digest("SHA-256", text.getBytes(StandardCharsets.US_ASCII)));
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is required by every Java platform", e);
    }
  }
}
