package dev.carapace.tdx.simulate;

import static dev.carapace.tdx.simulate.Fixture.BC;
import static dev.carapace.tdx.simulate.Fixture.CLOCK;
import static dev.carapace.tdx.simulate.Fixture.NOW;
import static dev.carapace.tdx.simulate.Fixture.developmentVerifier;
import static dev.carapace.tdx.simulate.Fixture.reasonOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.pcs.QuoteCollateralV3;
import dev.carapace.tdx.pcs.TcbStatus;
import dev.carapace.tdx.quote.CertificationData;
import dev.carapace.tdx.quote.EnclaveReportBody;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteEncoder;
import dev.carapace.tdx.quote.QuoteHeader;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.quote.QuoteV4;
import dev.carapace.tdx.quote.TdAttributes;
import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.TrustAnchors;
import dev.carapace.tdx.verify.VerifiedQuote;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TdxQuoteSimulatorTest {
  private static DevelopmentPki pki;
  private static TdxQuoteSimulator simulator;
  private static TdQuoteRequest request;
  private static byte[] quote;

  @BeforeAll
  static void setUp() throws Exception {
    pki = Fixture.pki();
    simulator = Fixture.simulator(pki, SimulatedPlatform.defaults());
    request = TdQuoteRequest.builder()
        .mrTd(filled(48, 0x11))
        .rtmrs(List.of(filled(48, 0x20), filled(48, 0x21), filled(48, 0x22), filled(48, 0x23)))
        .tdAttributes(TdAttributes.SEPT_VE_DISABLE | TdAttributes.PKS)
        .mrConfigId(filled(48, 0x33))
        .reportData(filled(64, 0x44))
        .build();
    quote = simulator.quote(request);
  }

  private static Bytes filled(int n, int value) {
    byte[] b = new byte[n];
    java.util.Arrays.fill(b, (byte) value);
    return Bytes.copyOf(b);
  }

  private static QuoteVerifier verifier() {
    return developmentVerifier(pki, NOW);
  }

  @Test
  void parseWhenSimulatedQuoteThenRoundTripIsByteExactAndFieldsAreRequested() throws Exception {
    Quote q = QuoteParser.parse(quote);

    assertThat(QuoteEncoder.encode(q)).isEqualTo(quote);
    assertThat(q).isInstanceOf(QuoteV4.class);
    assertThat(q.header().version()).isEqualTo(4);
    assertThat(q.header().attestationKeyType()).isEqualTo(2);
    assertThat(q.header().teeType()).isEqualTo(0x81);
    assertThat(q.header().qeVendorId()).isEqualTo(QuoteHeader.INTEL_QE_VENDOR_ID);
    assertThat(q.body().mrTd()).isEqualTo(request.mrTd());
    assertThat(q.body().rtmrs()).isEqualTo(request.rtmrs());
    assertThat(q.body().reportData()).isEqualTo(request.reportData());
    assertThat(q.body().mrConfigId()).isEqualTo(request.mrConfigId());
    assertThat(q.body().mrOwner()).isEqualTo(Bytes.zeros(48));
    assertThat(q.body().xfam()).isEqualTo(TdQuoteRequest.DEFAULT_XFAM);
    assertThat(q.body().attributes().septVeDisable()).isTrue();
    assertThat(q.body().attributes().protectionKeys()).isTrue();
    assertThat(q.body().attributes().debug()).isFalse();
    assertThat(q.body().teeTcbSvn()).isEqualTo(SimulatedPlatform.defaults().teeTcbSvn());
    assertThat(q.body().mrSignerSeam().isAllZero()).isTrue();
    assertThat(q.signatureData().attestationKey()).isEqualTo(simulator.attestationKey());
  }

  @Test
  void quoteWhenBuiltThenQeReportBindsAttestationKeyAndChainEndsWithOneNul() throws Exception {
    Quote q = QuoteParser.parse(quote);
    EnclaveReportBody qe = q.signatureData().certification().qeReport();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    sha.update(q.signatureData().attestationKey().toByteArray());
    sha.update(q.signatureData().certification().qeAuthData().toByteArray());

    assertThat(qe.reportData().slice(0, 32).toByteArray()).isEqualTo(sha.digest());
    assertThat(qe.reportData().slice(32, 32).isAllZero()).isTrue();
    assertThat(qe.isvProdId()).isEqualTo(2);
    assertThat(qe.isvSvn()).isEqualTo(SimulatedPlatform.defaults().qeSvn());
    assertThat(qe.mrSigner()).isEqualTo(TdxQuoteSimulator.QE_MRSIGNER);
    CertificationData chain = q.signatureData().certification().pckCertificationData();
    byte[] pem = chain.data().toByteArray();
    assertThat(chain.type()).isEqualTo(CertificationData.TYPE_PCK_CERT_CHAIN);
    assertThat(pem[pem.length - 1]).isZero();
    assertThat(pem[pem.length - 2]).isEqualTo((byte) '\n');
    assertThat(chain.asText().split("-----BEGIN CERTIFICATE-----", -1)).hasSize(4);
    assertThat(chain.asText()).endsWith("-----END CERTIFICATE-----\n\0");
  }

  @Test
  void verifyWhenSimulatedQuoteAndDevelopmentRootConfiguredThenUpToDate() throws Exception {
    VerifiedQuote vq = verifier().verify(QuoteParser.parse(quote), simulator.collateral());

    assertThat(vq.tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(vq.tcb().platformStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(vq.tcb().qeStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(vq.tcb().tdxModuleStatusValue()).isEmpty();
    assertThat(vq.body().reportData()).isEqualTo(request.reportData());
    assertThat(vq.collateralExpiry()).isEqualTo(NOW.plus(TdxQuoteSimulator.COLLATERAL_VALIDITY));
    SimulatedPlatform p = SimulatedPlatform.defaults();
    PckCertExtensions ext = vq.pckExtensions();
    assertThat(ext.fmspc()).isEqualTo(p.fmspc());
    assertThat(ext.pceId()).isEqualTo(p.pceId());
    assertThat(ext.pceSvn()).isEqualTo(p.pceSvn());
    assertThat(ext.cpuSvn()).isEqualTo(p.cpuSvn());
    assertThat(ext.sgxTcbComponents()).isEqualTo(p.sgxTcbComponents());
    assertThat(ext.sgxType()).isEqualTo(1);
    assertThat(ext.platformInstanceId()).isNotNull();
  }

  @Test
  void verifyWhenDefaultIntelAnchorsThenUntrustedRoot() throws Exception {
    QuoteVerifier intel = new QuoteVerifier(TrustAnchors.intel(), CLOCK, BC);
    Quote q = QuoteParser.parse(quote);
    Collateral c = simulator.collateral();

    assertThat(reasonOf(() -> intel.verify(q, c))).isEqualTo(Reason.UNTRUSTED_ROOT);
    assertThat(reasonOf(() -> intel.verifySignatures(q))).isEqualTo(Reason.UNTRUSTED_ROOT);
    assertThat(reasonOf(() -> intel.verifyCollateral(c))).isEqualTo(Reason.UNTRUSTED_ROOT);
  }

  @Test
  void verifyWhenPckCertificateRevokedThenCertificateRevoked() throws Exception {
    Collateral revoked = simulator.collateral(simulator.platform(),
        Set.of(simulator.pckCertificate().getSerialNumber()));

    assertThat(revoked.pckCrl().isRevoked(simulator.pckCertificate())).isTrue();
    assertThat(reasonOf(() -> verifier().verify(QuoteParser.parse(quote), revoked)))
        .isEqualTo(Reason.CERTIFICATE_REVOKED);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"sgx-component-0", "sgx-component-7", "pcesvn", "tdx-module-svn",
      "tdx-late-microcode", "qe-svn"})
  void verifyWhenPlatformSvnBelowUpToDateLevelThenOutOfDate(String which) throws Exception {
    SimulatedPlatform latest = SimulatedPlatform.defaults();
    SimulatedPlatform behind = lowered(latest, which, 1);
    TdxQuoteSimulator old = Fixture.simulator(pki, behind);

    VerifiedQuote vq = verifier().verify(QuoteParser.parse(old.quote(request)),
        old.collateral(latest, List.of()));

    assertThat(vq.tcbStatus()).isEqualTo(TcbStatus.OUT_OF_DATE);
  }

  @Test
  void verifyWhenPlatformTwoSvnsBelowUpToDateLevelThenNoTcbLevel() throws Exception {
    SimulatedPlatform latest = SimulatedPlatform.defaults();
    TdxQuoteSimulator old = Fixture.simulator(pki, lowered(latest, "sgx-component-0", 2));

    assertThat(reasonOf(() -> verifier().verify(QuoteParser.parse(old.quote(request)),
        old.collateral(latest, List.of())))).isEqualTo(Reason.TCB_LEVEL_NOT_FOUND);
  }

  @Test
  void verifyWhenTdxModuleMajorVersionSetThenModuleIdentityLevelUsed() throws Exception {
    SimulatedPlatform v1 = SimulatedPlatform.defaults()
        .withTeeTcbSvn(Bytes.fromHex("04010500000000000000000000000000"));
    TdxQuoteSimulator sim = Fixture.simulator(pki, v1);

    VerifiedQuote upToDate = verifier().verify(QuoteParser.parse(sim.quote(request)),
        sim.collateral());
    TdQuoteRequest olderModule = TdQuoteRequest.builder().reportData(request.reportData())
        .teeTcbSvn(Bytes.fromHex("03010500000000000000000000000000")).build();
    VerifiedQuote outOfDate = verifier().verify(QuoteParser.parse(sim.quote(olderModule)),
        sim.collateral());

    assertThat(upToDate.tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(upToDate.tcb().tdxModuleStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(outOfDate.tcb().tdxModuleStatus()).isEqualTo(TcbStatus.OUT_OF_DATE);
    assertThat(outOfDate.tcbStatus()).isEqualTo(TcbStatus.OUT_OF_DATE);
  }

  @Test
  void verifyWhenAnyBodyOrUserDataByteFlippedThenQuoteSignatureInvalid() throws Exception {
    QuoteVerifier v = verifier();
    Collateral c = simulator.collateral();
    int[] offsets = IntStream.concat(IntStream.range(8, 12), IntStream.range(28, 632)).toArray();
    for (int offset : offsets) {
      byte[] flipped = quote.clone();
      flipped[offset] ^= 0x01;
      Quote q = QuoteParser.parse(flipped);
      assertThat(reasonOf(() -> v.verify(q, c))).as("offset %d", offset)
          .isEqualTo(Reason.QUOTE_SIGNATURE_INVALID);
    }
  }

  @Test
  void verifyWhenCollateralBundleRoundTripsThenUpToDate() throws Exception {
    Collateral parsed = QuoteCollateralV3.parse(simulator.collateralBundle());

    assertThat(verifier().verify(QuoteParser.parse(quote), parsed).tcbStatus())
        .isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(parsed.tcbInfo().value().fmspc()).isEqualTo(simulator.platform().fmspc());
    assertThat(parsed.qeIdentity().value().id()).isEqualTo("TD_QE");
  }

  @Test
  void verifyWhenClockPastCollateralNextUpdateThenExpired() throws Exception {
    QuoteVerifier later = developmentVerifier(pki, NOW.plus(Duration.ofDays(31)));

    assertThat(reasonOf(() -> later.verify(QuoteParser.parse(quote), simulator.collateral())))
        .isEqualTo(Reason.CRL_EXPIRED);
  }

  @Test
  void pckCertificateWhenIssuedThenSixExtensionsLikeIntel() throws Exception {
    X509Certificate pck = simulator.pckCertificate();

    assertThat(pck.getSubjectX500Principal().getName())
        .isEqualTo("O=Carapace Development,CN=" + TdxQuoteSimulator.PCK_CN);
    assertThat(pck.getIssuerX500Principal()).isEqualTo(pki.pckCaCertificate()
        .getSubjectX500Principal());
    assertThat(pck.getCriticalExtensionOIDs()).containsExactlyInAnyOrder("2.5.29.15", "2.5.29.19");
    assertThat(pck.getNonCriticalExtensionOIDs()).containsExactlyInAnyOrder(
        "2.5.29.35", "2.5.29.31", "2.5.29.14", PckCertExtensions.SGX_EXTENSION_OID);
    assertThat(pck.getBasicConstraints()).isEqualTo(-1);
    assertThat(pck.getKeyUsage()).startsWith(true, true, false);
    assertThat(pck.getSigAlgOID()).isEqualTo("1.2.840.10045.4.3.2");
    assertThat(pck.getNotAfter()).isEqualTo(pki.pckCaCertificate().getNotAfter());
    assertThat(PckCertExtensions.of(pck).fmspc()).isEqualTo(simulator.platform().fmspc());
  }

  @Test
  void toStringWhenCalledThenNoPrivateKeyMaterial() {
    assertThat(simulator.toString()).contains("fmspc=50806f000000")
        .doesNotContainIgnoringCase("private");
  }

  private static SimulatedPlatform lowered(SimulatedPlatform p, String which, int by) {
    return switch (which) {
      case "sgx-component-0" -> p.withSgxTcbComponent(0, p.sgxTcbComponents().get(0) - by);
      case "sgx-component-7" -> p.withSgxTcbComponent(7, p.sgxTcbComponents().get(7) - by);
      case "pcesvn" -> p.withPceSvn(p.pceSvn() - by);
      case "tdx-module-svn" -> p.withTeeTcbSvn(minus(p.teeTcbSvn(), 0, by));
      case "tdx-late-microcode" -> p.withTeeTcbSvn(minus(p.teeTcbSvn(), 2, by));
      case "qe-svn" -> p.withQeSvn(p.qeSvn() - by);
      default -> throw new IllegalArgumentException(which);
    };
  }

  private static Bytes minus(Bytes b, int index, int by) {
    byte[] raw = b.toByteArray();
    raw[index] = (byte) (raw[index] - by);
    return Bytes.copyOf(raw);
  }
}
