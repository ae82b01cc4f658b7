package dev.carapace.snp.simulate;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.PlatformInfo;
import dev.carapace.snp.report.ReportEncoder;
import dev.carapace.snp.report.ReportParseException;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.report.SignerInfo;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.jspecify.annotations.Nullable;

/**
 * A development SEV-SNP firmware: a {@link SimulatedChip} whose VCEK (and, when the hierarchy has
 * an ASVK, a VLEK) is issued by a {@link SnpDevelopmentPki}, and which turns
 * {@link SnpReportRequest}s into signed ATTESTATION_REPORTs. {@code ReportVerifier} accepts them
 * when, and only when, it trusts the hierarchy's roots ({@link SnpDevelopmentPki#trustedRoots()}).
 *
 * <p>At construction a P-384 VCEK key is generated for the chip's REPORTED_TCB and certified
 * like KDS does: CHIP_ID as hwID, the TCB as SPL extensions, valid seven years (backdated one
 * hour, within the ASK's validity); a VLEK (cspId {@value #DEVELOPMENT_CSP_ID}) is valid one
 * year. Reports are signed with ECDSA P-384/SHA-384 over bytes [0, 0x2A0), r and s stored
 * little-endian in the 72-byte fields.
 *
 * <p>Thread-safe: all state is fixed at construction; signatures use the injected {@code
 * SecureRandom} and provider, times come from the injected clock. Keys never appear in {@link
 * #toString()}.
 */
public final class SnpReportSimulator {
  /** cspId of the development VLEK. */
  public static final String DEVELOPMENT_CSP_ID = "CN=carapace-development.invalid";
  /** KDS issues VCEKs for seven years. */
  public static final int VCEK_VALIDITY_YEARS = 7;
  public static final int VLEK_VALIDITY_YEARS = 1;
  private static final Duration BACKDATE = Duration.ofHours(1);
  private static final int SIGNATURE_FIELD = 72;

  private final SnpDevelopmentPki pki;
  private final SimulatedChip chip;
  private final SecureRandom random;
  private final Provider provider;
  private final Clock clock;
  private final PrivateKey vcekKey;
  private final X509Certificate vcek;
  private final @Nullable PrivateKey vlekKey;
  private final @Nullable X509Certificate vlek;

  public SnpReportSimulator(SnpDevelopmentPki pki, SimulatedChip chip, SecureRandom random,
      Provider provider, Clock clock) throws GeneralSecurityException {
    this.pki = Objects.requireNonNull(pki, "pki");
    this.chip = Objects.requireNonNull(chip, "chip");
    this.random = Objects.requireNonNull(random, "random");
    this.provider = Objects.requireNonNull(provider, "provider");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (chip.product() != pki.product()) {
      throw new IllegalArgumentException(
          "the chip is a " + chip.product() + ", the hierarchy is for " + pki.product());
    }
    AmdX509 x509 = new AmdX509(provider);
    Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);

    X509Certificate ask = pki.askCertificate();
    Instant[] window = window(ask, now, VCEK_VALIDITY_YEARS, "ASK");
    KeyPair vcekPair = x509.newP384KeyPair(random);
    vcekKey = vcekPair.getPrivate();
    vcek = pki.issueVcek(vcekPair.getPublic(), chip.chipId(), chip.reportedTcb(), window[0],
        window[1], random);

    Optional<X509Certificate> asvk = pki.asvkCertificate();
    if (asvk.isPresent()) {
      Instant[] w = window(asvk.get(), now, VLEK_VALIDITY_YEARS, "ASVK");
      KeyPair vlekPair = x509.newP384KeyPair(random);
      vlekKey = vlekPair.getPrivate();
      vlek = pki.issueVlek(vlekPair.getPublic(), DEVELOPMENT_CSP_ID, chip.reportedTcb(), w[0],
          w[1], random);
    } else {
      vlekKey = null;
      vlek = null;
    }
  }

  /** A random chip of the hierarchy's product ({@link SimulatedChip#random}). */
  public static SnpReportSimulator withRandomChip(SnpDevelopmentPki pki, SecureRandom random,
      Provider provider, Clock clock) throws GeneralSecurityException {
    return new SnpReportSimulator(pki, SimulatedChip.random(pki.product(), random), random,
        provider, clock);
  }

  /**
   * A report of {@code request} on this chip, signed by the VCEK or VLEK it names.
   *
   * @throws IllegalStateException if a VLEK is requested and the hierarchy has no ASVK
   */
  public SimulatedReport report(SnpReportRequest request) throws GeneralSecurityException {
    Objects.requireNonNull(request, "request");
    boolean vlekSigned = request.signingKey() == SigningKey.VLEK;
    if (vlekSigned && (vlek == null || vlekKey == null)) {
      throw new IllegalStateException("a VLEK-signed report needs a hierarchy with an ASVK");
    }
    int v = request.version();
    TcbVersion launchTcb = request.launchTcbValue().orElse(chip.currentTcb());
    if (launchTcb.product() != chip.product()) {
      throw new IllegalArgumentException("launchTcb must be in the " + chip.product() + " layout");
    }
    Bytes reportId = request.reportIdValue().orElseGet(() -> randomBytes(32));
    long launchMit =
        v >= 5 ? request.launchMitigationsValue().orElse(chip.currentMitigations()) : 0;
    long currentMit = v >= 5 ? chip.currentMitigations() : 0;
    long platformInfo = chip.platformInfo().raw();
    AttestationReport unsigned = new AttestationReport(
        v,
        request.guestSvn(),
        request.policy(),
        request.familyId(),
        request.imageId(),
        request.vmpl(),
        AttestationReport.SIGNATURE_ALGO_ECDSA_P384_SHA384,
        chip.currentTcb(),
        new PlatformInfo(platformInfo),
        new SignerInfo(request.authorKeyEnabled(), request.maskChipId(), request.signingKey()),
        request.reportData(),
        request.measurement(),
        request.hostData(),
        request.idKeyDigest(),
        request.authorKeyDigest(),
        reportId,
        request.reportIdMa(),
        chip.reportedTcb(),
        v >= 3 ? chip.cpuidFamily() : 0,
        v >= 3 ? chip.cpuidModel() : 0,
        v >= 3 ? chip.cpuidStepping() : 0,
        request.maskChipId() ? Bytes.zeros(64) : chip.chipId(),
        chip.committedTcb(),
        chip.currentFirmware(),
        chip.committedFirmware(),
        launchTcb,
        launchMit,
        currentMit,
        Bytes.zeros(SIGNATURE_FIELD),
        Bytes.zeros(SIGNATURE_FIELD));
    Bytes[] rs = sign(vlekSigned ? vlekKey : vcekKey, ReportEncoder.signedRegion(unsigned));
    byte[] raw = ReportEncoder.encode(withSignature(unsigned, rs[0], rs[1]));
    AttestationReport parsed;
    try {
      parsed = ReportParser.parse(raw, chip.product());
    } catch (ReportParseException e) {
      throw new IllegalStateException("the simulated report does not parse", e);
    }
    X509Certificate endorsement = vlekSigned ? vlek : vcek;
    List<X509Certificate> chain = vlekSigned
        ? pki.vlekChain().orElseThrow() : pki.vcekChain();
    return new SimulatedReport(Bytes.copyOf(raw), parsed, endorsement, chain);
  }

  /** A default-request report ({@link SnpReportRequest#of}) carrying {@code reportData}. */
  public SimulatedReport report(Bytes reportData) throws GeneralSecurityException {
    return report(SnpReportRequest.of(reportData));
  }

  public X509Certificate vcekCertificate() {
    return vcek;
  }

  /** The VLEK, when the hierarchy has an ASVK. */
  public Optional<X509Certificate> vlekCertificate() {
    return Optional.ofNullable(vlek);
  }

  public SimulatedChip chip() {
    return chip;
  }

  public SnpDevelopmentPki pki() {
    return pki;
  }

  @Override
  public String toString() {
    return "SnpReportSimulator[product=" + chip.product() + ", chipId=" + chip.chipId()
        + ", reportedTcb=" + chip.reportedTcb() + ", vlek=" + (vlek != null) + "]";
  }

  /** [notBefore, notAfter] for a certificate issued now by {@code issuer}. */
  private static Instant[] window(X509Certificate issuer, Instant now, int years, String what)
      throws GeneralSecurityException {
    Instant issuerFrom = issuer.getNotBefore().toInstant();
    Instant issuerTo = issuer.getNotAfter().toInstant();
    Instant from = latest(issuerFrom, now.minus(BACKDATE));
    Instant to = from.atOffset(ZoneOffset.UTC).plusYears(years).toInstant();
    to = to.isAfter(issuerTo) ? issuerTo : to;
    if (!from.isBefore(to)) {
      throw new GeneralSecurityException("the development " + what + " expired at " + issuerTo);
    }
    return new Instant[] {from, to};
  }

  /** ECDSA P-384/SHA-384 signature as two 72-byte little-endian fields. */
  private Bytes[] sign(PrivateKey key, byte[] data) throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA384withECDSA", provider);
    s.initSign(key, random);
    s.update(data);
    byte[] der = s.sign();
    ASN1Sequence seq;
    try {
      seq = ASN1Sequence.getInstance(der);
    } catch (IllegalArgumentException e) {
      throw new GeneralSecurityException("ECDSA signature is not DER", e);
    }
    BigInteger r = ASN1Integer.getInstance(seq.getObjectAt(0)).getPositiveValue();
    BigInteger sv = ASN1Integer.getInstance(seq.getObjectAt(1)).getPositiveValue();
    return new Bytes[] {littleEndian(r), littleEndian(sv)};
  }

  private static Bytes littleEndian(BigInteger v) {
    byte[] be = v.toByteArray();
    byte[] out = new byte[SIGNATURE_FIELD];
    int n = 0;
    for (int i = be.length - 1; i >= 0 && n < SIGNATURE_FIELD; i--) {
      out[n++] = be[i];
    }
    return Bytes.copyOf(out);
  }

  private static AttestationReport withSignature(AttestationReport r, Bytes sigR, Bytes sigS) {
    return new AttestationReport(r.version(), r.guestSvn(), r.policy(), r.familyId(), r.imageId(),
        r.vmpl(), r.signatureAlgo(), r.currentTcb(), r.platformInfo(), r.signerInfo(),
        r.reportData(), r.measurement(), r.hostData(), r.idKeyDigest(), r.authorKeyDigest(),
        r.reportId(), r.reportIdMa(), r.reportedTcb(), r.cpuidFamily(), r.cpuidModel(),
        r.cpuidStepping(), r.chipId(), r.committedTcb(), r.currentVersion(),
        r.committedVersion(), r.launchTcb(), r.launchMitVector(), r.currentMitVector(), sigR,
        sigS);
  }

  private Bytes randomBytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return Bytes.copyOf(b);
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }
}
