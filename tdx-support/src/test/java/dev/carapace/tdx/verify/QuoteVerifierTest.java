package dev.carapace.tdx.verify;

import static dev.carapace.tdx.verify.TestCollateral.GTG_TIME;
import static dev.carapace.tdx.verify.TestCollateral.verifierAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.Vectors;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.QeIdentity;
import dev.carapace.tdx.pcs.TcbComponent;
import dev.carapace.tdx.pcs.TcbInfo;
import dev.carapace.tdx.pcs.TcbLevel;
import dev.carapace.tdx.pcs.TcbStatus;
import dev.carapace.tdx.pcs.TdxModuleIdentity;
import dev.carapace.tdx.quote.CertificationData;
import dev.carapace.tdx.quote.QeReportCertificationData;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.quote.QuoteSignatureData;
import dev.carapace.tdx.quote.QuoteV4;
import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class QuoteVerifierTest {
  private static final String GTG_V4 = "go-tdx-guest/tdx_prod_quote_SPR_E4.dat";

  private static Quote quote(String path) throws Exception {
    return QuoteParser.parse(Vectors.read(path));
  }

  private static Reason reasonOf(ThrowingRunnable r) {
    try {
      r.run();
    } catch (QuoteVerificationException e) {
      return e.reason();
    } catch (Exception e) {
      throw new AssertionError("unexpected " + e, e);
    }
    throw new AssertionError("verification succeeded");
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void verifyWhenGoTdxGuestV4AtUpstreamTimeThenNoMatchingTcbLevel() throws Exception {
    QuoteVerifier v = verifierAt(GTG_TIME);
    Quote q = quote(GTG_V4);
    // Everything up to the TCB level verifies: chain, CRLs, signatures, QE identity.
    VerifiedCollateral vc = v.verifyCollateral(TestCollateral.goTdxGuest());
    assertThat(v.verifySignatures(q).pckExtensions().fmspc().toHex()).isEqualTo("50806f000000");
    assertThat(reasonOf(() -> v.verify(q, vc))).isEqualTo(Reason.TCB_LEVEL_NOT_FOUND);
  }

  @Test
  void verifyWhenFirstLevelSvnsZeroedThenUpToDateLikeUpstream() throws Exception {
    QuoteVerifier v = verifierAt(GTG_TIME);
    Collateral real = TestCollateral.goTdxGuest();
    VerifiedQuote vq = v.verify(quote(GTG_V4),
        TestCollateral.trustedEdit(v, real, editLevel0(real, l -> zeroed(l))));
    assertThat(vq.tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(vq.tcb().tcbDate()).isEqualTo(Instant.parse("2023-02-15T00:00:00Z"));
    assertThat(vq.tcb().qeStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(vq.tcb().tdxModuleStatusValue()).isEmpty();
    assertThat(vq.collateralExpiry()).isEqualTo(Instant.parse("2023-07-08T07:24:59Z"));
    assertThat(vq.pckExtensions().pceSvn()).isEqualTo(11);
    assertThat(vq.pckExtensions().cpuSvn().toHex()).isEqualTo("03030202020100020000000000000000");
    assertThat(vq.pckExtensions().ppid().toHex()).isEqualTo("089ddfdb9c0359c82a3bc7719239574e");
    assertThat(vq.pckExtensions().sgxTcbComponents()).startsWith(3, 3, 2, 2, 2, 1, 0, 2);
  }

  @Test
  void verifyWhenMatchedLevelIsOutOfDateThenStatusOutOfDate() throws Exception {
    QuoteVerifier v = verifierAt(GTG_TIME);
    Collateral real = TestCollateral.goTdxGuest();
    VerifiedQuote vq = v.verify(quote(GTG_V4), TestCollateral.trustedEdit(v, real,
        editLevel0(real, l -> withStatus(zeroed(l), TcbStatus.OUT_OF_DATE))));
    assertThat(vq.tcbStatus()).isEqualTo(TcbStatus.OUT_OF_DATE);
  }

  @Test
  void verifyWhenMatchedLevelRevokedThenTcbRevoked() throws Exception {
    QuoteVerifier v = verifierAt(GTG_TIME);
    Collateral real = TestCollateral.goTdxGuest();
    VerifiedCollateral vc = TestCollateral.trustedEdit(v, real,
        editLevel0(real, l -> withStatus(zeroed(l), TcbStatus.REVOKED)));
    assertThat(reasonOf(() -> v.verify(quote(GTG_V4), vc))).isEqualTo(Reason.TCB_REVOKED);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "fmspc, FMSPC_MISMATCH",
      "pceid, PCEID_MISMATCH",
      "module-mrsigner, TDX_MODULE_MISMATCH",
      "module-attributes, TDX_MODULE_MISMATCH",
      "svn-10, TCB_LEVEL_NOT_FOUND",
      "pcesvn-20, TCB_LEVEL_NOT_FOUND",
      "components-8, TCB_INFO_INVALID",
      "components-20, TCB_INFO_INVALID",
      "id-sgx, TCB_INFO_INVALID",
  })
  void verifyWhenTcbInfoEditedThenRejectedWithReason(String edit, Reason expected)
      throws Exception {
    QuoteVerifier v = verifierAt(GTG_TIME);
    Collateral real = TestCollateral.goTdxGuest();
    TcbInfo t = zeroLevel0(real.tcbInfo().value());
    TdxModuleIdentity m = t.tdxModuleValue().orElseThrow();
    TcbInfo edited = switch (edit) {
      case "fmspc" -> tcb(t, Bytes.fromHex("11111f000000"), t.pceId(), m, t.tcbLevels(), t.id());
      case "pceid" -> tcb(t, t.fmspc(), Bytes.fromHex("1111"), m, t.tcbLevels(), t.id());
      case "module-mrsigner" -> tcb(t, t.fmspc(), t.pceId(), new TdxModuleIdentity("",
          Bytes.fromHex("01".repeat(48)), m.attributes(), m.attributesMask(), List.of()),
          t.tcbLevels(), t.id());
      case "module-attributes" -> tcb(t, t.fmspc(), t.pceId(), new TdxModuleIdentity("",
          m.mrSigner(), Bytes.fromHex("0100000000000000"), Bytes.fromHex("ffffffffffffffff"),
          List.of()), t.tcbLevels(), t.id());
      case "svn-10" -> tcb(t, t.fmspc(), t.pceId(), m, mapLevels(t, l -> svns(l, 10)), t.id());
      case "pcesvn-20" -> tcb(t, t.fmspc(), t.pceId(), m, mapLevels(t, l -> new TcbLevel(
          l.sgxComponents(), 20, l.tdxComponents(), l.tcbDate(), l.status(), l.advisoryIds())),
          t.id());
      case "components-8" -> tcb(t, t.fmspc(), t.pceId(), m, mapLevels(t, l -> resize(l, 8)),
          t.id());
      case "components-20" -> tcb(t, t.fmspc(), t.pceId(), m, mapLevels(t, l -> resize(l, 20)),
          t.id());
      case "id-sgx" -> tcb(t, t.fmspc(), t.pceId(), m, t.tcbLevels(), "SGX");
      default -> throw new IllegalArgumentException(edit);
    };
    VerifiedCollateral vc =
        TestCollateral.trustedEdit(v, real, TestCollateral.withTcbInfo(real, edited));
    assertThat(reasonOf(() -> v.verify(quote(GTG_V4), vc))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "miscselect, QE_IDENTITY_MISMATCH",
      "attributes, QE_IDENTITY_MISMATCH",
      "mrsigner, QE_IDENTITY_MISMATCH",
      "isvprodid, QE_IDENTITY_MISMATCH",
      "isvsvn-10, QE_TCB_LEVEL_NOT_FOUND",
      "id, QE_IDENTITY_INVALID",
  })
  void verifyWhenQeIdentityEditedThenRejectedWithReason(String edit, Reason expected)
      throws Exception {
    QuoteVerifier v = verifierAt(GTG_TIME);
    Collateral real = TestCollateral.goTdxGuest();
    Collateral zeroed = editLevel0(real, l -> zeroed(l));
    QeIdentity q = real.qeIdentity().value();
    QeIdentity edited = switch (edit) {
      case "miscselect" -> qe(q, "QE", Bytes.fromHex("01020304"), q.attributes(), q.mrSigner(),
          q.isvProdId(), q.tcbLevels());
      case "attributes" -> qe(q, "TD_QE", q.miscSelect(),
          Bytes.fromHex("01000000000000000000000000000000".replace("01", "ff")), q.mrSigner(),
          q.isvProdId(), q.tcbLevels());
      case "mrsigner" -> qe(q, "TD_QE", q.miscSelect(), q.attributes(),
          Bytes.fromHex("00".repeat(32)), q.isvProdId(), q.tcbLevels());
      case "isvprodid" -> qe(q, "TD_QE", q.miscSelect(), q.attributes(), q.mrSigner(), 5,
          q.tcbLevels());
      case "isvsvn-10" -> qe(q, "TD_QE", q.miscSelect(), q.attributes(), q.mrSigner(),
          q.isvProdId(), List.of(new dev.carapace.tdx.pcs.EnclaveTcbLevel(10,
              q.tcbLevels().get(0).tcbDate(), TcbStatus.UP_TO_DATE, List.of())));
      case "id" -> qe(q, "QE", q.miscSelect(), q.attributes(), q.mrSigner(), q.isvProdId(),
          q.tcbLevels());
      default -> throw new IllegalArgumentException(edit);
    };
    if (edit.equals("miscselect")) {
      edited = qe(q, "TD_QE", Bytes.fromHex("01020304"), q.attributes(), q.mrSigner(),
          q.isvProdId(), q.tcbLevels());
    }
    VerifiedCollateral vc =
        TestCollateral.trustedEdit(v, real, TestCollateral.withQeIdentity(zeroed, edited));
    assertThat(reasonOf(() -> v.verify(quote(GTG_V4), vc))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "2053-07-01T01:00:00Z, CERTIFICATE_EXPIRED",
      "2023-07-09T00:00:00Z, CRL_EXPIRED",
      "2023-06-10T00:00:00Z, TCB_INFO_EXPIRED",
  })
  void verifyWhenTimeOutsideCollateralWindowThenRejected(String time, Reason expected)
      throws Exception {
    QuoteVerifier v = verifierAt(Instant.parse(time));
    Collateral real = TestCollateral.goTdxGuest();
    assertThat(reasonOf(() -> v.verify(quote(GTG_V4), real))).isEqualTo(expected);
  }

  @ParameterizedTest(name = "offset {0} -> {2}")
  @CsvSource({
      "0x1343, 0x32, PCK_CHAIN_MALFORMED",
      "0x1329, 0x32, CERTIFICATE_SIGNATURE_INVALID",
      "0xF5F, 0x32, CERTIFICATE_SIGNATURE_INVALID",
      "0xB77, 0x32, CERTIFICATE_SIGNATURE_INVALID",
      "0x1E, 0x32, QUOTE_SIGNATURE_INVALID",
      "0x3C, 0x32, QUOTE_SIGNATURE_INVALID",
  })
  void verifySignaturesWhenUpstreamNegativeByteThenRejected(String offset, String value,
      Reason expected) throws Exception {
    byte[] raw = Vectors.read(GTG_V4);
    raw[Integer.decode(offset)] = (byte) (int) Integer.decode(value);
    Quote q = QuoteParser.parse(raw);
    assertThat(reasonOf(() -> verifierAt(GTG_TIME).verifySignatures(q))).isEqualTo(expected);
  }

  /**
   * Found by QuoteMutationTest: this substitution leaves the PCK certificate's subject CN an
   * invalid UTF8String. BouncyCastle's name decoding threw IllegalArgumentException out of the
   * verifier, and the name is checked before any signature.
   */
  @Test
  void verifySignaturesWhenPckCommonNameIsNotUtf8ThenPckChainMalformed() throws Exception {
    byte[] raw = Vectors.read(GTG_V4);
    assertThat((char) raw[1566]).isEqualTo('S');
    raw[1566] = 'w';
    Quote q = QuoteParser.parse(raw);
    assertThat(reasonOf(() -> verifierAt(GTG_TIME).verifySignatures(q)))
        .isEqualTo(Reason.PCK_CHAIN_MALFORMED);
  }

  @Test
  void verifySignaturesWhenPckChainHasTrailingBytesThenOnlyOneNulAccepted() throws Exception {
    QuoteV4 q = (QuoteV4) quote(GTG_V4);
    byte[] pem = q.signatureData().certification().pckCertificationData().data().toByteArray();
    int end = pem.length;
    while (pem[end - 1] == 0) {
      end--;
    }
    Quote nul = withChain(q, java.util.Arrays.copyOf(pem, end + 1));
    byte[] one = java.util.Arrays.copyOf(pem, end + 1);
    one[end] = 1;
    assertThat(verifierAt(GTG_TIME).verifySignatures(nul).pckCa())
        .isEqualTo(dev.carapace.tdx.pcs.PckCa.PLATFORM);
    assertThat(reasonOf(() -> verifierAt(GTG_TIME).verifySignatures(withChain(q, one))))
        .isEqualTo(Reason.PCK_CHAIN_MALFORMED);
  }

  @Test
  void verifyWhenRootIsNotConfiguredAnchorThenUntrustedRoot() throws Exception {
    Collateral real = TestCollateral.goTdxGuest();
    QuoteVerifier v = new QuoteVerifier(TrustAnchors.of(List.of(real.tcbInfoIssuerChain().get(0))),
        java.time.Clock.fixed(GTG_TIME, java.time.ZoneOffset.UTC), TestCollateral.BC);
    assertThat(reasonOf(() -> v.verifySignatures(quote(GTG_V4)))).isEqualTo(Reason.UNTRUSTED_ROOT);
    assertThat(reasonOf(() -> v.verifyCollateral(real))).isEqualTo(Reason.UNTRUSTED_ROOT);
  }

  @Test
  void verifyCollateralWhenTcbInfoBodyAlteredThenSignatureInvalid() throws Exception {
    Collateral real = TestCollateral.goTdxGuest();
    byte[] body = real.tcbInfo().signedBody().toByteArray();
    body[body.length / 2] ^= 1;
    Collateral tampered = new Collateral(real.pckCrlIssuerChain(), real.rootCaCrl(),
        real.pckCrl(), real.tcbInfoIssuerChain(),
        new dev.carapace.tdx.pcs.Signed<>(real.tcbInfo().value(), Bytes.copyOf(body),
            real.tcbInfo().signature()),
        real.qeIdentityIssuerChain(), real.qeIdentity());
    assertThat(reasonOf(() -> verifierAt(GTG_TIME).verifyCollateral(tampered)))
        .isEqualTo(Reason.TCB_INFO_SIGNATURE_INVALID);
  }

  @Test
  void verifyCollateralWhenCrlsSwappedThenCrlInvalid() throws Exception {
    Collateral real = TestCollateral.goTdxGuest();
    Collateral swapped = new Collateral(real.pckCrlIssuerChain(), real.pckCrl(),
        real.rootCaCrl(), real.tcbInfoIssuerChain(), real.tcbInfo(),
        real.qeIdentityIssuerChain(), real.qeIdentity());
    assertThat(reasonOf(() -> verifierAt(GTG_TIME).verifyCollateral(swapped)))
        .isEqualTo(Reason.CRL_INVALID);
  }

  @Test
  void verifyWhenDcapQvlQuoteAtEndOfCollateralWindowThenUpToDateWithoutAdvisories()
      throws Exception {
    Collateral c = TestCollateral.dcapQvl("tdx_quote_collateral.json");
    Instant now = dcapQvlNow(c);
    VerifiedQuote vq = verifierAt(now).verify(quote("dcap-qvl/tdx_quote"), c);
    assertThat(vq.tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(vq.advisoryIds()).isEmpty();
    assertThat(vq.pckExtensions().fmspc().toHex()).isEqualTo("b0c06f000000");
  }

  @Test
  void verifyWhenDcapQvlOutdatedQuoteThenNoMatchingTcbLevel() throws Exception {
    Collateral c = TestCollateral.dcapQvl("tdx_quote_outdated_collateral.json");
    QuoteVerifier v = verifierAt(Instant.parse("2026-03-20T10:41:14Z"));
    assertThat(reasonOf(() -> v.verify(quote("dcap-qvl/tdx_quote_outdated"), c)))
        .isEqualTo(Reason.TCB_LEVEL_NOT_FOUND);
  }

  @Test
  void verifyWhenGoTdxGuestV5WithItsTcbInfoAndRenewedSigningCertThenUpToDateViaModule()
      throws Exception {
    Collateral dq = TestCollateral.dcapQvl("tdx_quote_outdated_collateral.json");
    Collateral c = new Collateral(dq.pckCrlIssuerChain(), dq.rootCaCrl(), dq.pckCrl(),
        dq.tcbInfoIssuerChain(), CollateralDocuments.parseTcbInfoResponse(
            Vectors.read("go-tdx-guest/sample_tcbinfo_response_v5")),
        dq.qeIdentityIssuerChain(), dq.qeIdentity());
    VerifiedQuote vq = verifierAt(Instant.parse("2026-03-01T00:00:00Z"))
        .verify(quote("go-tdx-guest/quote_v5_sample.dat"), c);
    assertThat(vq.tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    assertThat(vq.tcb().tdxModuleStatusValue()).contains(TcbStatus.UP_TO_DATE);
    assertThat(vq.tcb().tcbDate()).isEqualTo(Instant.parse("2024-11-13T00:00:00Z"));
    assertThat(vq.collateralExpiry()).isEqualTo(Instant.parse("2026-03-03T14:49:26Z"));
  }

  @Test
  void verifySignaturesWhenGoTdxGuestV5AtUpstreamTimeThenPasses() throws Exception {
    VerifiedSignatures s = verifierAt(Instant.parse("2026-02-03T01:00:00Z"))
        .verifySignatures(quote("go-tdx-guest/quote_v5_sample.dat"));
    assertThat(s.pckExtensions().fmspc().toHex()).isEqualTo("90c06f000000");
    assertThat(s.pckExtensions().pceSvn()).isEqualTo(13);
  }

  @Test
  void verifySignaturesWhenCosQuoteThenPassesWithZeroReportData() throws Exception {
    VerifiedSignatures s = verifierAt(Instant.parse("2026-11-24T00:00:00Z"))
        .verifySignatures(quote("go-tdx-guest/cos-113-tdx-quote.dat"));
    assertThat(s.pckExtensions().fmspc().toHex()).isEqualTo("00806f050000");
    assertThat(s.quote().body().reportData().isAllZero()).isTrue();
  }

  @ParameterizedTest
  @CsvSource({"tdx_quote_4.dat, 50806f000000", "tdx_quote_5.dat, 90c06f000000",
      "tdx_quote_6.dat, 00a06d080000"})
  void verifySignaturesWhenTrusteeQuoteThenPasses(String file, String fmspc) throws Exception {
    Quote q = quote("trustee-tdx/" + file);
    Instant t = Instant.parse("2026-03-01T00:00:00Z");
    VerifiedSignatures s = verifierAt(t).verifySignatures(q);
    assertThat(s.pckExtensions().fmspc().toHex()).isEqualTo(fmspc);
  }

  // ---- helpers ----

  static Instant dcapQvlNow(Collateral c) {
    Instant min = c.tcbInfo().value().nextUpdate();
    for (Instant i : List.of(c.qeIdentity().value().nextUpdate(),
        c.rootCaCrl().getNextUpdate().toInstant(), c.pckCrl().getNextUpdate().toInstant())) {
      min = i.isBefore(min) ? i : min;
    }
    return min.minusSeconds(1);
  }

  private static Quote withChain(QuoteV4 q, byte[] pem) {
    QuoteSignatureData s = q.signatureData();
    QeReportCertificationData c = s.certification();
    return new QuoteV4(q.header(), q.body(), new QuoteSignatureData(s.quoteSignature(),
        s.attestationKey(), new QeReportCertificationData(c.qeReport(), c.qeReportSignature(),
            c.qeAuthData(), new CertificationData(5, Bytes.copyOf(pem)))));
  }

  static TcbLevel zeroed(TcbLevel l) {
    return svns(l, 0);
  }

  static TcbLevel svns(TcbLevel l, int svn) {
    List<TcbComponent> sgx = l.sgxComponents().stream()
        .map(c -> new TcbComponent(svn, c.category(), c.type())).toList();
    List<TcbComponent> tdx = l.tdxComponents().stream()
        .map(c -> new TcbComponent(svn, c.category(), c.type())).toList();
    return new TcbLevel(sgx, svn == 0 ? 0 : l.pceSvn(), tdx, l.tcbDate(), l.status(),
        l.advisoryIds());
  }

  static TcbLevel resize(TcbLevel l, int n) {
    List<TcbComponent> sgx = new ArrayList<>(Collections.nCopies(n, new TcbComponent(0, "", "")));
    return new TcbLevel(sgx, 0, sgx, l.tcbDate(), l.status(), l.advisoryIds());
  }

  static TcbLevel withStatus(TcbLevel l, TcbStatus s) {
    return new TcbLevel(l.sgxComponents(), l.pceSvn(), l.tdxComponents(), l.tcbDate(), s,
        l.advisoryIds());
  }

  static TcbInfo zeroLevel0(TcbInfo t) {
    List<TcbLevel> levels = new ArrayList<>(t.tcbLevels());
    levels.set(0, zeroed(levels.get(0)));
    return tcb(t, t.fmspc(), t.pceId(), t.tdxModule(), levels, t.id());
  }

  static Collateral editLevel0(Collateral c, UnaryOperator<TcbLevel> f) {
    TcbInfo t = c.tcbInfo().value();
    List<TcbLevel> levels = new ArrayList<>(t.tcbLevels());
    levels.set(0, f.apply(levels.get(0)));
    return TestCollateral.withTcbInfo(c,
        tcb(t, t.fmspc(), t.pceId(), t.tdxModule(), levels, t.id()));
  }

  static List<TcbLevel> mapLevels(TcbInfo t, UnaryOperator<TcbLevel> f) {
    return t.tcbLevels().stream().map(f).toList();
  }

  static TcbInfo tcb(TcbInfo t, Bytes fmspc, Bytes pceId, TdxModuleIdentity module,
      List<TcbLevel> levels, String id) {
    return new TcbInfo(id, t.version(), t.issueDate(), t.nextUpdate(), fmspc, pceId,
        t.tcbType(), t.tcbEvaluationDataNumber(), module, t.tdxModuleIdentities(), levels);
  }

  static QeIdentity qe(QeIdentity q, String id, Bytes misc, Bytes attributes, Bytes mrSigner,
      int isvProdId, List<dev.carapace.tdx.pcs.EnclaveTcbLevel> levels) {
    return new QeIdentity(id, q.version(), q.issueDate(), q.nextUpdate(),
        q.tcbEvaluationDataNumber(), misc, q.miscSelectMask(), attributes, q.attributesMask(),
        mrSigner, isvProdId, levels);
  }
}
