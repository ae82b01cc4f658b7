package dev.carapace.snp.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.report.ReportVectors;
import dev.carapace.snp.report.ReportVectors.Vector;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ReportVerificationException.Reason;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ReportVerifierVectorsTest {
  static final BouncyCastleProvider BC = new BouncyCastleProvider();

  static ReportVerifier verifierAt(Instant t) {
    return new ReportVerifier(TrustedRoots.amd(), Clock.fixed(t, ZoneOffset.UTC), BC);
  }

  static Stream<Vector> golden() {
    return ReportVectors.golden();
  }

  @ParameterizedTest
  @MethodSource("golden")
  void verifyWhenGoldenReportAtStatedTimeThenVerified(Vector v) throws Exception {
    AttestationReport report = ReportParser.parse(v.report());
    VerifiedReport verified = verifierAt(v.time()).verify(report, v.certificate());
    assertThat(verified.report()).isEqualTo(report);
    assertThat(verified.product()).isEqualTo(v.product());
    assertThat(verified.signingKey()).isEqualTo(v.signer());
    assertThat(verified.certifiedTcb()).isEqualTo(report.reportedTcb());
    assertThat(verified.amdRoot()).isTrue();
    assertThat(verified.revocationChecked()).isFalse();
    assertThat(verified.verifiedAt()).isEqualTo(v.time());
    assertThat(verified.expiry()).isEqualTo(v.certificate().getNotAfter().toInstant());
    assertThat(verified.endorsementCertificate()).isEqualTo(v.certificate());
  }

  @ParameterizedTest
  @MethodSource("golden")
  void verifyWhenCertificateParsedByBouncyCastleThenVerified(Vector v) throws Exception {
    ReportVerifier verifier = verifierAt(v.time());
    X509Certificate bcCert = verifier.parseCertificate(ReportVectors.read(v.dir() + "/" + v.cert()));
    assertThat(bcCert.getEncoded()).isEqualTo(v.certificate().getEncoded());
    assertThat(verifier.verify(ReportParser.parse(v.report()), bcCert).product())
        .isEqualTo(v.product());
  }

  @ParameterizedTest
  @MethodSource("golden")
  void verifyWhenExpectedJsonThenChainWindowAndExtensionsMatch(Vector v) throws Exception {
    var expected = ReportVectors.expected(v.name());
    if (expected.isEmpty()) {
      return;
    }
    JsonNode e = expected.get();
    JsonNode window = e.get("chain_valid_window_utc");
    Instant from = Instant.parse(window.get(0).asText().replace("+00:00", "Z"));
    Instant to = Instant.parse(window.get(1).asText().replace("+00:00", "Z"));
    AttestationReport report = ReportParser.parse(v.report());
    verifierAt(from).verify(report, v.certificate());
    verifierAt(to).verify(report, v.certificate());
    assertReason(() -> verifierAt(from.minusSeconds(1)).verify(report, v.certificate()),
        Reason.CERTIFICATE_EXPIRED);
    assertReason(() -> verifierAt(to.plusSeconds(1)).verify(report, v.certificate()),
        Reason.CERTIFICATE_EXPIRED);
    VcekExtensions ext = VcekExtensions.of(v.certificate());
    JsonNode hex = e.get("cert_extensions_hex");
    assertThat(ext.productName()).isEqualTo(
        new String(Bytes.fromHex(hex.get(VcekExtensions.PRODUCT_NAME).asText()).slice(2,
            Bytes.fromHex(hex.get(VcekExtensions.PRODUCT_NAME).asText()).size() - 2)
            .toByteArray(), java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(ext.tcb(v.product()).raw()).isEqualTo(report.reportedTcb().raw());
    if (v.signer() == SigningKey.VCEK) {
      assertThat(ext.hwIdValue()).contains(Bytes.fromHex(hex.get(VcekExtensions.HW_ID).asText()));
      assertThat(ext.hwIdValue()).contains(report.chipId());
    }
  }

  @Test
  void verifyWhenVlekVectorAfterExpiryThenCertificateExpired() throws Exception {
    Vector v = ReportVectors.named("trustee_milan_v3_vlek");
    AttestationReport report = ReportParser.parse(v.report());
    assertReason(() -> verifierAt(ReportVectors.VCEK_TIME).verify(report, v.certificate()),
        Reason.CERTIFICATE_EXPIRED);
    VerifiedReport ok = verifierAt(ReportVectors.VLEK_TIME).verify(report, v.certificate());
    assertThat(ok.extensions().cspIdValue()).contains("CN=cc-us-east-2.amazonaws.com");
    assertThat(ok.extensions().hwIdValue()).isEmpty();
    assertThat(ok.report().chipId().isAllZero()).isTrue();
  }

  @Test
  void verifyWhenTurinReportThenFmcAndEightByteHwIdMatched() throws Exception {
    Vector v = ReportVectors.named("msft_turin_v5");
    VerifiedReport r = verifierAt(v.time()).verify(ReportParser.parse(v.report()), v.certificate());
    assertThat(r.certifiedTcb()).isEqualTo(TcbVersion.of(Product.TURIN, 1, 1, 4, 81, 1));
    assertThat(r.extensions().structVersion()).isEqualTo(1);
    assertThat(r.extensions().fmcSplValue()).hasValue(1);
    assertThat(r.extensions().hwIdValue().orElseThrow().toHex()).isEqualTo("59790fb1c39f35c1");
  }

  @Test
  void verifyWhenVirteeTurinVcekForAnotherChipThenChainPassesAndTcbMismatch() throws Exception {
    X509Certificate vcek = ReportVectors.certificate("report-virtee/virtee_turin_vcek_only/vcek.der");
    VcekExtensions ext = VcekExtensions.of(vcek);
    assertThat(ext.hwIdValue().orElseThrow().toHex()).isEqualTo("1e550a8ee5cf9f4d");
    assertThat(ext.tcb(Product.TURIN)).isEqualTo(TcbVersion.of(Product.TURIN, 0, 0, 0, 9, 0));
    AttestationReport turin = ReportParser.parse(ReportVectors.named("msft_turin_v5").report());
    // The chain (ARK-Turin -> SEV-Turin -> VCEK) is checked before the TCB binding.
    assertReason(() -> verifierAt(ReportVectors.VCEK_TIME).verify(turin, vcek),
        Reason.TCB_MISMATCH);
    assertReason(() -> verifierAt(Instant.parse("2024-11-06T21:13:59Z")).verify(turin, vcek),
        Reason.CERTIFICATE_EXPIRED);
  }

  @Test
  void verifyWhenNegativeVectorsThenReasonsAsReadme() throws Exception {
    Vector gsg = ReportVectors.named("gsg_milan_v2");
    ReportVerifier verifier = verifierAt(gsg.time());
    X509Certificate vcek = gsg.certificate();
    AttestationReport familyFlipped = ReportParser.parse(
        ReportVectors.read("report-negative/gsg_milan_v2_report_byte0x15_xor80.bin"));
    assertReason(() -> verifier.verify(familyFlipped, vcek), Reason.SIGNATURE_INVALID);

    AttestationReport tcbPlus1 = ReportParser.parse(
        ReportVectors.read("report-negative/gsg_milan_v2_reported_tcb_bl_plus1.bin"));
    assertThat(tcbPlus1.reportedTcb().bootloader()).isEqualTo(3);
    assertReason(() -> verifier.verify(tcbPlus1, vcek), Reason.TCB_MISMATCH);
    assertThat(signatureValid(tcbPlus1, vcek)).isFalse();

    AttestationReport chipFlipped = ReportParser.parse(
        ReportVectors.read("report-negative/gsg_milan_v2_chip_id_byte0_xor01.bin"));
    assertReason(() -> verifier.verify(chipFlipped, vcek), Reason.CHIP_ID_MISMATCH);
    assertThat(signatureValid(chipFlipped, vcek)).isFalse();

    AttestationReport good = ReportParser.parse(gsg.report());
    assertThat(signatureValid(good, vcek)).isTrue();
    X509Certificate corrupted =
        verifier.parseCertificate(ReportVectors.read("report-negative/gsg_milan_v2_vcek_byte40_xorff.der"));
    assertReason(() -> verifier.verify(good, corrupted), Reason.CERTIFICATE_SIGNATURE_INVALID);
    // The JDK's factory already refuses it (TBS and outer signature algorithms differ).
    assertThatThrownBy(
        () -> ReportVectors.certificate("report-negative/gsg_milan_v2_vcek_byte40_xorff.der"))
        .hasMessageContaining("Signature algorithm mismatch");
  }

  @Test
  void verifyWhenTrusteeInvalidVceksThenExtensionsParseButChainFails() throws Exception {
    Vector v = ReportVectors.named("trustee_milan_v2_idblock");
    AttestationReport report = ReportParser.parse(v.report());
    Bytes expectedHwId = Bytes.fromHex(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
            + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f");
    for (String name : new String[] {"vcek_invalid_rawhwid.der", "vcek_invalid_octethwid.der"}) {
      X509Certificate cert = ReportVectors.certificate(v.dir() + "/" + name);
      assertThat(VcekExtensions.of(cert).hwIdValue()).as(name).contains(expectedHwId);
      assertReason(() -> verifierAt(v.time()).verify(report, cert),
          Reason.CERTIFICATE_SIGNATURE_INVALID);
    }
  }

  @Test
  void verifyWhenReportAgainstOtherChipsVcekThenBindingFailsAndSignatureWouldToo()
      throws Exception {
    AttestationReport gsg = ReportParser.parse(ReportVectors.named("gsg_milan_v2").report());
    X509Certificate virtee = ReportVectors.named("virtee_milan_v2").certificate();
    assertReason(() -> verifierAt(ReportVectors.VCEK_TIME).verify(gsg, virtee),
        Reason.TCB_MISMATCH);
    assertThat(signatureValid(gsg, virtee)).isFalse();
  }

  @Test
  void verifyWhenProductRootsMissingThenUntrustedRoot() throws Exception {
    Vector v = ReportVectors.named("virtee_milan_v2");
    TrustedRoots genoaOnly = TrustedRoots.of(
        java.util.List.of(TrustedRoots.amd().forProduct(Product.GENOA).orElseThrow()));
    ReportVerifier verifier =
        new ReportVerifier(genoaOnly, Clock.fixed(v.time(), ZoneOffset.UTC), BC);
    assertReason(() -> verifier.verify(ReportParser.parse(v.report()), v.certificate()),
        Reason.UNTRUSTED_ROOT);
  }

  @Test
  void verifyWhenV3ReportWithOtherProductsVcekThenProductMismatch() throws Exception {
    AttestationReport genoa = ReportParser.parse(ReportVectors.named("msft_genoa_v3").report());
    X509Certificate milanVcek = ReportVectors.named("msft_milan_v3").certificate();
    assertReason(() -> verifierAt(ReportVectors.VCEK_TIME).verify(genoa, milanVcek),
        Reason.PRODUCT_MISMATCH);
  }

  @Test
  void verifyWhenV2ReportParsedWithWrongProductThenCertificateProductDecides() throws Exception {
    Vector v = ReportVectors.named("virtee_milan_v2");
    AttestationReport asTurin = ReportParser.parse(v.report(), Product.TURIN);
    VerifiedReport r = verifierAt(v.time()).verify(asTurin, v.certificate());
    assertThat(r.product()).isEqualTo(Product.MILAN);
    assertThat(r.report().reportedTcb()).isEqualTo(TcbVersion.of(Product.MILAN, 3, 0, 8, 115, 0));
  }

  @Test
  void verifyWhenTrusteeEvidenceJsonThenRebuiltReportEqualsBinAndVerifies() throws Exception {
    JsonNode ev = new ObjectMapper().readTree(
        ReportVectors.read("report-trustee/trustee_genoa_v3/evidence.json"));
    AttestationReport fromJson = TrusteeEvidence.report(ev.get("attestation_report"));
    byte[] bin = ReportVectors.read("report-trustee/trustee_genoa_v3/report.bin");
    assertThat(dev.carapace.snp.report.ReportEncoder.encode(fromJson)).isEqualTo(bin);
    JsonNode chain = ev.get("cert_chain").get(0);
    assertThat(chain.get("cert_type").asText()).isEqualTo("VCEK");
    ReportVerifier verifier = verifierAt(ReportVectors.VCEK_TIME);
    X509Certificate vcek = verifier.parseCertificate(TrusteeEvidence.bytes(chain.get("data")));
    VerifiedReport r = verifier.verify(fromJson, vcek);
    assertThat(r.product()).isEqualTo(Product.GENOA);
    assertThat(r.report().reportData().toHex()).startsWith("7e732088");
  }

  @Test
  void parseCertificateWhenGarbageThenCertificateMalformed() {
    ReportVerifier verifier = verifierAt(ReportVectors.VCEK_TIME);
    assertReason(() -> verifier.parseCertificate(new byte[] {0x30, 0x03, 0x02, 0x01}),
        Reason.CERTIFICATE_MALFORMED);
    assertReason(() -> verifier.parseCertificate(new byte[0]), Reason.CERTIFICATE_MALFORMED);
    assertReason(() -> verifier.parseCrl(new byte[] {1, 2, 3}), Reason.CRL_INVALID);
  }

  /** Independent check of the report signature with the JDK's own ECDSA. */
  static boolean signatureValid(AttestationReport r, X509Certificate cert) throws Exception {
    PublicKey key = KeyFactory.getInstance("EC")
        .generatePublic(new X509EncodedKeySpec(cert.getPublicKey().getEncoded()));
    return EcdsaP384.verify(key, dev.carapace.snp.report.ReportEncoder.signedRegion(r),
        r.signatureR(), r.signatureS(), java.security.Security.getProvider("SunEC"));
  }

  static void assertReason(ThrowingCall call, Reason reason) {
    assertThatThrownBy(call::run).isInstanceOfSatisfying(ReportVerificationException.class,
        e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  @FunctionalInterface
  interface ThrowingCall {
    void run() throws Exception;
  }
}
