package dev.carapace.snp.simulate;

import static dev.carapace.snp.simulate.Fixture.BC;
import static dev.carapace.snp.simulate.Fixture.CLOCK;
import static dev.carapace.snp.simulate.Fixture.NOW;
import static dev.carapace.snp.simulate.Fixture.assertReason;
import static dev.carapace.snp.simulate.Fixture.developmentVerifier;
import static dev.carapace.snp.simulate.Fixture.filled;
import static dev.carapace.snp.simulate.Fixture.verifierAt;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.GuestPolicy;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportEncoder;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ReportValidationException;
import dev.carapace.snp.verify.ReportValidator;
import dev.carapace.snp.verify.ReportVerificationException.Reason;
import dev.carapace.snp.verify.ReportVerifier;
import dev.carapace.snp.verify.TrustedRoots;
import dev.carapace.snp.verify.ValidationOptions;
import dev.carapace.snp.verify.VerifiedReport;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509CRL;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class SnpReportSimulatorTest {
  private static SnpDevelopmentPki milanPki;
  private static SnpReportSimulator milan;
  private static SnpReportRequest request;
  private static SimulatedReport simulated;

  @BeforeAll
  static void setUp() throws Exception {
    milanPki = Fixture.pki(Product.MILAN);
    milan = Fixture.simulator(Product.MILAN);
    request = SnpReportRequest.builder()
        .policy(0x3001fL)
        .vmpl(1)
        .reportData(filled(64, 0x44))
        .measurement(filled(48, 0x11))
        .hostData(filled(32, 0x22))
        .idKeyDigest(filled(48, 0x33))
        .familyId(filled(16, 0x55))
        .imageId(filled(16, 0x66))
        .guestSvn(7)
        .build();
    simulated = milan.report(request);
  }

  @Test
  void parseWhenSimulatedReportThenRoundTripsWithRequestedFields() throws Exception {
    byte[] raw = simulated.bytes();
    AttestationReport r = ReportParser.parse(raw);

    assertThat(raw).hasSize(AttestationReport.SIZE);
    assertThat(ReportEncoder.encode(r)).isEqualTo(raw);
    assertThat(r).isEqualTo(simulated.report());
    assertThat(r.version()).isEqualTo(5);
    assertThat(r.product()).isEqualTo(Product.MILAN);
    assertThat(r.cpuidProduct()).contains(Product.MILAN);
    assertThat(r.policy().toRaw()).isEqualTo(0x3001fL);
    assertThat(r.vmpl()).isEqualTo(1);
    assertThat(r.reportData()).isEqualTo(filled(64, 0x44));
    assertThat(r.measurement()).isEqualTo(filled(48, 0x11));
    assertThat(r.hostData()).isEqualTo(filled(32, 0x22));
    assertThat(r.idKeyDigest()).isEqualTo(filled(48, 0x33));
    assertThat(r.familyId()).isEqualTo(filled(16, 0x55));
    assertThat(r.imageId()).isEqualTo(filled(16, 0x66));
    assertThat(r.guestSvn()).isEqualTo(7);
    assertThat(r.signingKey()).isEqualTo(SigningKey.VCEK);
    assertThat(r.chipId()).isEqualTo(milan.chip().chipId());
    assertThat(r.reportedTcb()).isEqualTo(milan.chip().reportedTcb());
    assertThat(r.currentTcb()).isEqualTo(milan.chip().currentTcb());
    assertThat(r.launchTcb()).isEqualTo(milan.chip().currentTcb());
    assertThat(r.currentVersion()).isEqualTo(milan.chip().currentFirmware());
    assertThat(r.platformInfo().raw()).isEqualTo(0x25);
    assertThat(r.currentMitVector()).isEqualTo(0xb);
    assertThat(r.launchMitVector()).isEqualTo(0xb);
    assertThat(r.reportIdMa()).isEqualTo(filled(32, 0xff));
    assertThat(r.reportId().isAllZero()).isFalse();
    assertThat(simulated.endorsementKey()).isEqualTo(milan.vcekCertificate());
    assertThat(simulated.issuerChain()).containsExactly(milanPki.askCertificate(),
        milanPki.arkCertificate());
    assertThat(simulated.issuerChainPem()).isEqualTo(milanPki.vcekChainPem());
  }

  @Test
  void signWhenReportSignedThenRAndSAreLittleEndianAndVerifyWithJdkEcdsa() throws Exception {
    byte[] raw = simulated.bytes();
    Bytes r = Bytes.copyOf(raw, 0x2A0, 72);
    Bytes s = Bytes.copyOf(raw, 0x2E8, 72);
    assertThat(r.slice(48, 24).isAllZero()).isTrue();
    assertThat(s.slice(48, 24).isAllZero()).isTrue();
    assertThat(Bytes.copyOf(raw, 0x330, AttestationReport.SIZE - 0x330).isAllZero()).isTrue();

    ASN1EncodableVector v = new ASN1EncodableVector();
    v.add(new ASN1Integer(littleEndian(r)));
    v.add(new ASN1Integer(littleEndian(s)));
    PublicKey key = KeyFactory.getInstance("EC").generatePublic(
        new X509EncodedKeySpec(milan.vcekCertificate().getPublicKey().getEncoded()));
    Signature jdk = Signature.getInstance("SHA384withECDSA", "SunEC");
    jdk.initVerify(key);
    jdk.update(raw, 0, AttestationReport.SIGNED_SIZE);
    assertThat(jdk.verify(new DERSequence(v).getEncoded())).isTrue();
  }

  @Test
  void verifyWhenSimulatedReportAndDevelopmentRootConfiguredThenVerified() throws Exception {
    VerifiedReport v = developmentVerifier(milanPki).verify(simulated.report(),
        simulated.endorsementKey());

    assertThat(v.product()).isEqualTo(Product.MILAN);
    assertThat(v.signingKey()).isEqualTo(SigningKey.VCEK);
    assertThat(v.amdRoot()).isFalse();
    assertThat(v.revocationChecked()).isFalse();
    assertThat(v.certifiedTcb()).isEqualTo(milan.chip().reportedTcb());
    assertThat(v.extensions().productName()).isEqualTo("Milan-B0");
    assertThat(v.extensions().hwIdValue()).contains(milan.chip().chipId());
    assertThat(v.verifiedAt()).isEqualTo(NOW);
    assertThat(v.expiry()).isEqualTo(milan.vcekCertificate().getNotAfter().toInstant());
    assertThat(v.expiry()).isEqualTo(NOW.minus(Duration.ofHours(1)).atOffset(ZoneOffset.UTC)
        .plusYears(SnpReportSimulator.VCEK_VALIDITY_YEARS).toInstant());
  }

  @Test
  void verifyWhenDefaultAmdRootsThenUntrustedRoot() {
    ReportVerifier amdOnly = new ReportVerifier(CLOCK, BC);
    assertReason(() -> amdOnly.verify(simulated.report(), simulated.endorsementKey()),
        Reason.UNTRUSTED_ROOT);
  }

  @Test
  void verifyWhenAnotherDevelopmentRootConfiguredThenUntrustedRoot() throws Exception {
    SnpDevelopmentPki other = Fixture.newPki(Product.MILAN);
    assertReason(() -> developmentVerifier(other).verify(simulated.report(),
        simulated.endorsementKey()), Reason.UNTRUSTED_ROOT);
  }

  @Test
  void verifyWhenOnlyOtherProductsDevelopmentRootConfiguredThenUntrustedRoot() throws Exception {
    assertReason(() -> developmentVerifier(Fixture.pki(Product.GENOA))
        .verify(simulated.report(), simulated.endorsementKey()), Reason.UNTRUSTED_ROOT);
  }

  @Test
  void validateWhenOptionsMatchThenAccepted() throws Exception {
    VerifiedReport v = developmentVerifier(milanPki).verify(simulated.report(),
        simulated.endorsementKey());
    new ReportValidator(ValidationOptions.builder()
        .measurement(filled(48, 0x11))
        .reportData(filled(64, 0x44))
        .hostData(filled(32, 0x22))
        .chipId(milan.chip().chipId())
        .vmpl(1)
        .minimumAbi(0, 31)
        .minimumGuestSvn(7)
        .minimumTcb(milan.chip().reportedTcb())
        .requireIdBlock(true)
        .trustedIdKeyDigests(List.of(filled(48, 0x33)))
        .minimumCurrentMitigations(0xb)
        .build()).validate(v);
  }

  @Test
  void validateWhenDebugPolicyThenDebugNotAllowed() throws Exception {
    SimulatedReport debug = milan.report(request.toBuilder().policy(0xb0000L).build());
    assertThat(debug.report().policy().debug()).isTrue();
    VerifiedReport v = developmentVerifier(milanPki).verify(debug.report(),
        debug.endorsementKey());

    assertValidation(v, ValidationOptions.defaults(),
        ReportValidationException.Reason.DEBUG_NOT_ALLOWED);
    new ReportValidator(ValidationOptions.builder().allowDebug(true).build()).validate(v);
  }

  @Test
  void validateWhenMeasurementOrReportDataDifferThenMismatch() throws Exception {
    VerifiedReport v = developmentVerifier(milanPki).verify(simulated.report(),
        simulated.endorsementKey());

    assertValidation(v, ValidationOptions.builder().measurement(filled(48, 0x12)).build(),
        ReportValidationException.Reason.MEASUREMENT_MISMATCH);
    assertValidation(v, ValidationOptions.builder().reportData(filled(64, 0x45)).build(),
        ReportValidationException.Reason.REPORT_DATA_MISMATCH);
    assertValidation(v, ValidationOptions.builder().vmpl(0).build(),
        ReportValidationException.Reason.VMPL_MISMATCH);
  }

  @ParameterizedTest
  @CsvSource({"MILAN,2", "MILAN,3", "MILAN,5", "GENOA,3", "GENOA,5", "TURIN,2", "TURIN,3",
      "TURIN,5"})
  void verifyWhenProductAndVersionThenVerifiedWithProductsTcbLayout(Product product, int version)
      throws Exception {
    SnpReportSimulator sim = Fixture.simulator(product);
    SimulatedReport rep = sim.report(SnpReportRequest.builder().version(version)
        .reportData(filled(64, version)).build());
    AttestationReport parsed = ReportParser.parse(rep.bytes());

    assertThat(parsed.version()).isEqualTo(version);
    assertThat(parsed.product()).isEqualTo(product);
    assertThat(parsed.cpuidFamily()).isEqualTo(version >= 3 ? sim.chip().cpuidFamily() : 0);
    assertThat(parsed.currentMitVector()).isEqualTo(version >= 5
        ? sim.chip().currentMitigations() : 0);
    VerifiedReport v = developmentVerifier(Fixture.pki(product)).verify(parsed,
        rep.endorsementKey());
    assertThat(v.product()).isEqualTo(product);
    assertThat(v.certifiedTcb()).isEqualTo(sim.chip().reportedTcb());
    assertThat(v.extensions().structVersion()).isEqualTo(product == Product.TURIN ? 1 : 0);
  }

  @Test
  void verifyWhenTurinThenTcbUsesTurinByteLayoutAnd8ByteHwId() throws Exception {
    SnpReportSimulator turin = new SnpReportSimulator(Fixture.pki(Product.TURIN),
        SimulatedChip.of(Product.TURIN, Bytes.fromHex("0102030405060708")), Fixture.random(), BC,
        CLOCK);
    SimulatedReport rep = turin.report(filled(64, 0x77));
    byte[] raw = rep.bytes();

    // fmc 1, bl 1, tee 1, snp 4, 0, 0, 0, ucode 81 (0x51), as the real Turin vector.
    assertThat(Bytes.copyOf(raw, 0x180, 8).toHex()).isEqualTo("0101010400000051");
    assertThat(Bytes.copyOf(raw, 0x1A0, 64))
        .isEqualTo(Bytes.fromHex("0102030405060708" + "00".repeat(56)));
    assertThat(rep.report().reportedTcb().fmc()).isEqualTo(1);
    VerifiedReport v = developmentVerifier(Fixture.pki(Product.TURIN)).verify(rep.report(),
        rep.endorsementKey());
    assertThat(v.extensions().hwIdValue()).contains(Bytes.fromHex("0102030405060708"));
    assertThat(v.extensions().fmcSplValue()).hasValue(1);
    assertThat(v.extensions().productName()).isEqualTo("Turin");
  }

  @Test
  void verifyWhenSignedRegionByteFlippedThenSignatureInvalid() throws Exception {
    ReportVerifier verifier = developmentVerifier(milanPki);
    for (int offset : new int[] {0x04, 0x50, 0x90, 0xC0, 0x140, 0x1F0}) {
      byte[] raw = simulated.bytes();
      raw[offset] ^= 0x01;
      AttestationReport flipped = ReportParser.parse(raw);
      assertReason(() -> verifier.verify(flipped, simulated.endorsementKey()),
          Reason.SIGNATURE_INVALID);
    }
    byte[] raw = simulated.bytes();
    raw[0x2A0] ^= 0x01; // r
    AttestationReport badR = ReportParser.parse(raw);
    assertReason(() -> verifier.verify(badR, simulated.endorsementKey()),
        Reason.SIGNATURE_INVALID);
  }

  @Test
  void verifyWhenReportedTcbFlippedThenTcbMismatch() throws Exception {
    byte[] raw = simulated.bytes();
    raw[0x180] ^= 0x01;
    AttestationReport flipped = ReportParser.parse(raw);
    assertReason(() -> developmentVerifier(milanPki).verify(flipped, simulated.endorsementKey()),
        Reason.TCB_MISMATCH);
  }

  @Test
  void verifyWhenOtherChipsVcekThenChipIdMismatch() throws Exception {
    SnpReportSimulator otherChip = Fixture.simulator(Product.MILAN);
    assertReason(() -> developmentVerifier(milanPki).verify(simulated.report(),
        otherChip.vcekCertificate()), Reason.CHIP_ID_MISMATCH);
  }

  @Test
  void verifyWhenChipIdMaskedThenZeroChipIdVerifies() throws Exception {
    SimulatedReport masked = milan.report(request.toBuilder().maskChipId(true).build());
    assertThat(masked.report().chipId().isAllZero()).isTrue();
    assertThat(masked.report().signerInfo().maskChipKey()).isTrue();
    developmentVerifier(milanPki).verify(masked.report(), masked.endorsementKey());
  }

  @Test
  void verifyWhenVlekRequestedThenSignedByVlekUnderAsvk() throws Exception {
    SimulatedReport vlek = milan.report(request.toBuilder().signingKey(SigningKey.VLEK).build());

    assertThat(vlek.endorsementKey()).isEqualTo(milan.vlekCertificate().orElseThrow());
    assertThat(vlek.issuerChain()).containsExactly(milanPki.asvkCertificate().orElseThrow(),
        milanPki.arkCertificate());
    VerifiedReport v = developmentVerifier(milanPki).verify(vlek.report(), vlek.endorsementKey());
    assertThat(v.signingKey()).isEqualTo(SigningKey.VLEK);
    assertThat(v.extensions().cspIdValue()).contains(SnpReportSimulator.DEVELOPMENT_CSP_ID);
    assertValidation(v, ValidationOptions.builder().allowedSigners(Set.of(SigningKey.VCEK))
        .build(), ReportValidationException.Reason.SIGNER_NOT_ALLOWED);
    assertReason(() -> developmentVerifier(milanPki).verify(vlek.report(),
        milan.vcekCertificate()), Reason.SIGNER_MISMATCH);
  }

  @Test
  void reportWhenVlekRequestedWithoutAsvkThenIllegalState() throws Exception {
    SnpDevelopmentPki noAsvk = SnpDevelopmentPki.generate(Product.GENOA, Fixture.TEST_RSA_BITS,
        false, NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(3650)), Fixture.random(),
        BC);
    SnpReportSimulator sim = SnpReportSimulator.withRandomChip(noAsvk, Fixture.random(), BC, CLOCK);
    assertThat(sim.vlekCertificate()).isEmpty();
    assertThatThrownBy(() -> sim.report(SnpReportRequest.builder().signingKey(SigningKey.VLEK)
        .build())).isInstanceOf(IllegalStateException.class);
    developmentVerifier(noAsvk).verify(sim.report(Bytes.zeros(64)).report(),
        sim.vcekCertificate());
  }

  @Test
  void verifyWhenReportedTcbBelowCurrentThenVerifiedAndMinimumTcbApplies() throws Exception {
    TcbVersion old = TcbVersion.of(Product.MILAN, 3, 0, 20, 200, 0);
    SimulatedChip chip = SimulatedChip.random(Product.MILAN, Fixture.random())
        .withReportedTcb(old);
    SnpReportSimulator sim = new SnpReportSimulator(milanPki, chip, Fixture.random(), BC, CLOCK);
    VerifiedReport v = developmentVerifier(milanPki).verify(sim.report(Bytes.zeros(64)).report(),
        sim.vcekCertificate());

    assertThat(v.certifiedTcb()).isEqualTo(old);
    assertValidation(v, ValidationOptions.builder().minimumTcb(chip.currentTcb()).build(),
        ReportValidationException.Reason.TCB_TOO_LOW);
  }

  @Test
  void verifyWhenClockPastVcekValidityThenCertificateExpired() {
    TrustedRoots roots = milanPki.trustedRoots();
    assertReason(() -> verifierAt(roots, NOW.plus(Duration.ofDays(8 * 366))).verify(
        simulated.report(), simulated.endorsementKey()), Reason.CERTIFICATE_EXPIRED);
    assertReason(() -> verifierAt(roots, NOW.minus(Duration.ofDays(1))).verify(
        simulated.report(), simulated.endorsementKey()), Reason.CERTIFICATE_EXPIRED);
  }

  @Test
  void verifyWhenArkCrlGivenThenRevocationCheckedAndRevokedAskRejected() throws Exception {
    ReportVerifier verifier = developmentVerifier(milanPki);
    X509CRL empty = milanPki.issueCrl(NOW.minus(Duration.ofHours(1)), NOW.plus(Duration.ofDays(7)),
        List.of(), Fixture.random());
    assertThat(verifier.verify(simulated.report(), simulated.endorsementKey(), empty)
        .revocationChecked()).isTrue();

    BigInteger askSerial = milanPki.askCertificate().getSerialNumber();
    X509CRL revoking = milanPki.issueCrl(NOW.minus(Duration.ofHours(1)),
        NOW.plus(Duration.ofDays(7)), List.of(askSerial), Fixture.random());
    assertReason(() -> verifier.verify(simulated.report(), simulated.endorsementKey(), revoking),
        Reason.CERTIFICATE_REVOKED);

    X509CRL otherArk = Fixture.newPki(Product.MILAN).issueCrl(NOW.minus(Duration.ofHours(1)),
        NOW.plus(Duration.ofDays(7)), List.of(), Fixture.random());
    assertReason(() -> verifier.verify(simulated.report(), simulated.endorsementKey(), otherArk),
        Reason.CRL_INVALID);
  }

  @Test
  void verifyWhenPkiPersistedAndReadBackThenNewSimulatorsReportsVerifyUnderOriginalRoots(
      @TempDir Path dir) throws Exception {
    milanPki.writeTo(dir);
    SnpDevelopmentPki read = SnpDevelopmentPki.readFrom(dir, BC);
    SnpReportSimulator sim = SnpReportSimulator.withRandomChip(read, Fixture.random(), BC, CLOCK);
    SimulatedReport rep = sim.report(filled(64, 9));

    developmentVerifier(milanPki).verify(rep.report(), rep.endorsementKey());
    assertReason(() -> new ReportVerifier(CLOCK, BC).verify(rep.report(), rep.endorsementKey()),
        Reason.UNTRUSTED_ROOT);
  }

  @Test
  void verifyWhenSeveralDevelopmentProductsTrustedThenEachVerifies() throws Exception {
    TrustedRoots roots = SnpDevelopmentPki.trustedRoots(List.of(Fixture.pki(Product.MILAN),
        Fixture.pki(Product.TURIN)));
    ReportVerifier verifier = verifierAt(roots, NOW);
    SnpReportSimulator turin = Fixture.simulator(Product.TURIN);
    SimulatedReport t = turin.report(Bytes.zeros(64));

    assertThat(verifier.verify(t.report(), t.endorsementKey()).product())
        .isEqualTo(Product.TURIN);
    assertThat(verifier.verify(simulated.report(), simulated.endorsementKey()).product())
        .isEqualTo(Product.MILAN);
  }

  @Test
  void constructWhenChipAndPkiProductsDifferThenRejected() throws Exception {
    SnpDevelopmentPki genoa = Fixture.pki(Product.GENOA);
    SimulatedChip milanChip = SimulatedChip.random(Product.MILAN, Fixture.random());
    assertThatThrownBy(() -> new SnpReportSimulator(genoa, milanChip, Fixture.random(), BC, CLOCK))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void constructWhenPkiExpiredThenRejected() throws Exception {
    SnpDevelopmentPki expired = SnpDevelopmentPki.generate(Product.MILAN, Fixture.TEST_RSA_BITS,
        false, NOW.minus(Duration.ofDays(30)), NOW.minus(Duration.ofDays(1)), Fixture.random(),
        BC);
    assertThatThrownBy(() -> SnpReportSimulator.withRandomChip(expired, Fixture.random(), BC,
        CLOCK)).hasMessageContaining("expired");
  }

  @Test
  void toStringWhenCalledThenNoKeyMaterial() {
    String s = milan.toString();
    assertThat(s).contains("MILAN").doesNotContain("PRIVATE").doesNotContain("Key=");
    assertThat(simulated.toString()).doesNotContain(simulated.report().reportData().toHex());
  }

  @ParameterizedTest
  @EnumSource(Product.class)
  void randomChipWhenProductThenChipIdShapeAndCpuidNameProduct(Product product) {
    SimulatedChip chip = SimulatedChip.random(product, Fixture.random());
    assertThat(Product.fromCpuid(chip.cpuidFamily(), chip.cpuidModel())).contains(product);
    assertThat(chip.chipId().size()).isEqualTo(64);
    if (product == Product.TURIN) {
      assertThat(chip.chipId().slice(8, 56).isAllZero()).isTrue();
      assertThat(chip.chipId().slice(0, 8).isAllZero()).isFalse();
    } else {
      assertThat(chip.chipId().slice(8, 56).isAllZero()).isFalse();
    }
    assertThat(chip.reportedTcb()).isEqualTo(chip.currentTcb());
    assertThatThrownBy(() -> SimulatedChip.of(product, Bytes.zeros(63)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void requestWhenInvalidValuesThenRejected() {
    assertThatThrownBy(() -> SnpReportRequest.builder().version(6).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnpReportRequest.builder().vmpl(4).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnpReportRequest.builder().signingKey(SigningKey.NONE).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnpReportRequest.builder().measurement(Bytes.zeros(32)).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SnpReportRequest.builder().policy(0L).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(SnpReportRequest.of(Bytes.zeros(64)).policy())
        .isEqualTo(GuestPolicy.fromRaw(0x30000));
  }

  private static void assertValidation(VerifiedReport v, ValidationOptions options,
      ReportValidationException.Reason reason) {
    assertThatThrownBy(() -> new ReportValidator(options).validate(v))
        .isInstanceOfSatisfying(ReportValidationException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  private static BigInteger littleEndian(Bytes field) {
    byte[] b = field.toByteArray();
    for (int i = 0, j = b.length - 1; i < j; i++, j--) {
      byte t = b[i];
      b[i] = b[j];
      b[j] = t;
    }
    return new BigInteger(1, b);
  }
}
