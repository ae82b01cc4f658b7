package dev.carapace.snp.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.PlatformInfo;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.report.ReportVectors;
import dev.carapace.snp.report.ReportVectors.Vector;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ReportValidationException.Reason;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReportValidatorTest {

  static Stream<Arguments> defaultsOutcomes() {
    return Stream.of(
        Arguments.of("gsg_milan_v2", Reason.DEBUG_NOT_ALLOWED),
        Arguments.of("virtee_milan_v2", null),
        Arguments.of("trustee_milan_v2_idblock", Reason.PROVISIONAL_FIRMWARE),
        Arguments.of("trustee_milan_v3_vlek", Reason.PROVISIONAL_FIRMWARE),
        Arguments.of("trustee_genoa_v3", null),
        Arguments.of("gcp_milan_v5", null),
        Arguments.of("msft_milan_v3", null),
        Arguments.of("msft_genoa_v3", null),
        Arguments.of("msft_turin_v5", null));
  }

  @ParameterizedTest
  @MethodSource("defaultsOutcomes")
  void validateWhenGoldenReportWithDefaultsThenReadmeOutcome(String name, @Nullable Reason reason)
      throws Exception {
    Vector v = ReportVectors.named(name);
    VerifiedReport verified = ReportVerifierVectorsTest.verifierAt(v.time())
        .verify(ReportParser.parse(v.report()), v.certificate());
    ReportValidator validator = new ReportValidator(ValidationOptions.defaults());
    if (reason == null) {
      validator.validate(verified);
    } else {
      assertFails(verified, ValidationOptions.defaults(), reason);
    }
    ValidationOptions lenient = ValidationOptions.builder().allowDebug(true)
        .permitProvisionalFirmware(true).build();
    new ReportValidator(lenient).validate(verified);
  }

  @Test
  void validateWhenPolicyOptionsThenEachFailureHasItsReason() throws Exception {
    check("gsg_milan_v2", b -> b.allowDebug(false), Reason.DEBUG_NOT_ALLOWED);
    check("virtee_milan_v2", b -> b.allowSmt(false), Reason.SMT_NOT_ALLOWED);
    checkPatched("virtee_milan_v2", raw -> set(raw, 0x0A, 0x04), b -> { },
        Reason.MIGRATION_AGENT_NOT_ALLOWED);
    checkPatched("virtee_milan_v2", raw -> set(raw, 0x0A, 0x04),
        b -> b.allowMigrationAgent(true), null);
    checkPatched("virtee_milan_v2", raw -> set(raw, 0x0A, 0x20), b -> { },
        Reason.CXL_NOT_ALLOWED);
    checkPatched("virtee_milan_v2", raw -> set(raw, 0x0A, 0x20), b -> b.allowCxl(true), null);
    requiredBit(0x0A, 0x10, b -> b.requireSingleSocket(true), Reason.SINGLE_SOCKET_REQUIRED);
    requiredBit(0x0A, 0x40, b -> b.requireMemAes256Xts(true), Reason.MEM_AES_256_XTS_REQUIRED);
    requiredBit(0x0A, 0x80, b -> b.requireRaplDisabled(true), Reason.RAPL_DISABLE_REQUIRED);
    requiredBit(0x0B, 0x01, b -> b.requireCiphertextHiding(true),
        Reason.CIPHERTEXT_HIDING_REQUIRED);
    requiredBit(0x0B, 0x02, b -> b.requirePageSwapDisabled(true),
        Reason.PAGE_SWAP_DISABLE_REQUIRED);
    check("msft_milan_v3", b -> b.minimumAbi(0, 31), null);
    check("msft_milan_v3", b -> b.minimumAbi(0, 32), Reason.ABI_TOO_OLD);
    check("msft_milan_v3", b -> b.minimumAbi(1, 0), Reason.ABI_TOO_OLD);
    check("trustee_milan_v3_vlek", b -> b.allowedSigners(EnumSet.of(SigningKey.VCEK))
        .permitProvisionalFirmware(true), Reason.SIGNER_NOT_ALLOWED);
  }

  @Test
  void validateWhenVersionAndTcbOptionsThenEachFailureHasItsReason() throws Exception {
    check("virtee_milan_v2", b -> b.minimumFirmware(1, 52).minimumBuild(4), null);
    check("virtee_milan_v2", b -> b.minimumFirmware(1, 53), Reason.FIRMWARE_TOO_OLD);
    check("virtee_milan_v2", b -> b.minimumFirmware(2, 0), Reason.FIRMWARE_TOO_OLD);
    check("virtee_milan_v2", b -> b.minimumBuild(5), Reason.BUILD_TOO_OLD);
    check("trustee_milan_v2_idblock", b -> b.permitProvisionalFirmware(true)
        .minimumGuestSvn(4), null);
    check("trustee_milan_v2_idblock", b -> b.permitProvisionalFirmware(true)
        .minimumGuestSvn(5), Reason.GUEST_SVN_TOO_LOW);
    TcbVersion exact = TcbVersion.of(Product.MILAN, 3, 0, 8, 115, 0);
    check("virtee_milan_v2", b -> b.minimumTcb(exact).minimumLaunchTcb(exact), null);
    check("virtee_milan_v2", b -> b.minimumTcb(TcbVersion.of(Product.MILAN, 3, 0, 8, 116, 0)),
        Reason.TCB_TOO_LOW);
    check("virtee_milan_v2", b -> b.minimumTcb(TcbVersion.of(Product.MILAN, 3, 1, 0, 0, 0)),
        Reason.TCB_TOO_LOW);
    check("virtee_milan_v2", b -> b.minimumLaunchTcb(TcbVersion.of(Product.MILAN, 4, 0, 0, 0,
        0)), Reason.LAUNCH_TCB_TOO_LOW);
    check("msft_turin_v5", b -> b.minimumTcb(TcbVersion.of(Product.TURIN, 1, 1, 4, 81, 1)), null);
    check("msft_turin_v5", b -> b.minimumTcb(TcbVersion.of(Product.TURIN, 1, 1, 4, 81, 2)),
        Reason.TCB_TOO_LOW);
    // CURRENT_TCB below the certified TCB; committed TCB and firmware above current.
    checkPatched("virtee_milan_v2", raw -> {
      raw[0x3F] = 100; // current ucode 115 -> 100
      raw[0x1E7] = 100; // committed likewise, so only the certified relation breaks
    }, b -> { }, Reason.CERTIFIED_TCB_ABOVE_CURRENT);
    checkPatched("virtee_milan_v2", raw -> raw[0x1E7] = 116, b -> b.permitProvisionalFirmware(
        true), Reason.COMMITTED_ABOVE_CURRENT);
    checkPatched("virtee_milan_v2", raw -> raw[0x1E7] = 114, b -> { },
        Reason.PROVISIONAL_FIRMWARE);
    checkPatched("virtee_milan_v2", raw -> raw[0x1E7] = 114, b -> b.permitProvisionalFirmware(
        true), null);
    checkPatched("virtee_milan_v2", raw -> raw[0x1EC] = 3, b -> { }, Reason.PROVISIONAL_FIRMWARE);
    checkPatched("virtee_milan_v2", raw -> raw[0x1EC] = 3, b -> b.permitProvisionalFirmware(true),
        null);
    checkPatched("virtee_milan_v2", raw -> raw[0x1ED] = 53, b -> b.permitProvisionalFirmware(
        true), Reason.COMMITTED_ABOVE_CURRENT);
  }

  @Test
  void validateWhenExpectedFieldsThenEachMismatchHasItsReason() throws Exception {
    AttestationReport r = ReportParser.parse(ReportVectors.named("msft_milan_v3").report());
    check("msft_milan_v3", b -> b.reportData(r.reportData()).hostData(r.hostData())
        .measurement(r.measurement()).familyId(r.familyId()).imageId(r.imageId())
        .reportId(r.reportId()).reportIdMa(r.reportIdMa()).chipId(r.chipId()).vmpl(0), null);
    check("msft_milan_v3", b -> b.reportData(flip(r.reportData())), Reason.REPORT_DATA_MISMATCH);
    check("msft_milan_v3", b -> b.hostData(flip(r.hostData())), Reason.HOST_DATA_MISMATCH);
    check("msft_milan_v3", b -> b.measurement(flip(r.measurement())), Reason.MEASUREMENT_MISMATCH);
    check("msft_milan_v3", b -> b.familyId(flip(r.familyId())), Reason.FAMILY_ID_MISMATCH);
    check("msft_milan_v3", b -> b.imageId(flip(r.imageId())), Reason.IMAGE_ID_MISMATCH);
    check("msft_milan_v3", b -> b.reportId(flip(r.reportId())), Reason.REPORT_ID_MISMATCH);
    check("msft_milan_v3", b -> b.reportIdMa(flip(r.reportIdMa())), Reason.REPORT_ID_MA_MISMATCH);
    check("msft_milan_v3", b -> b.chipId(flip(r.chipId())), Reason.CHIP_ID_MISMATCH);
    check("msft_milan_v3", b -> b.vmpl(1), Reason.VMPL_MISMATCH);
    check("trustee_milan_v3_vlek", b -> b.permitProvisionalFirmware(true).vmpl(1), null);
    check("trustee_milan_v3_vlek", b -> b.permitProvisionalFirmware(true).vmpl(0),
        Reason.VMPL_MISMATCH);
  }

  @Test
  void validateWhenIdAndAuthorKeysThenTrustedDirectlyOrThroughAuthor() throws Exception {
    AttestationReport r = ReportParser.parse(ReportVectors.named("msft_milan_v3").report());
    Bytes idKey = r.idKeyDigest();
    Bytes other = flip(idKey);
    check("msft_milan_v3", b -> b.requireIdBlock(true).trustedIdKeyDigests(Set.of(idKey)), null);
    check("msft_milan_v3", b -> b.requireIdBlock(true).trustedIdKeyDigests(Set.of(other)),
        Reason.UNTRUSTED_ID_KEY);
    check("msft_milan_v3", b -> b.trustedIdKeyDigests(Set.of(other)), null); // not required
    check("msft_milan_v3", b -> b.requireAuthorKey(true), Reason.AUTHOR_KEY_REQUIRED);
    Bytes author = Bytes.fromHex("11".repeat(48));
    UnaryOperator<byte[]> withAuthor = raw -> {
      raw[0x48] |= 1;
      author.copyTo(raw, 0x110);
      return raw;
    };
    checkPatched("msft_milan_v3", withAuthor::apply, b -> b.requireAuthorKey(true)
        .trustedAuthorKeyDigests(Set.of(author)), null);
    checkPatched("msft_milan_v3", withAuthor::apply, b -> b.requireAuthorKey(true)
        .trustedAuthorKeyDigests(Set.of(other)), Reason.UNTRUSTED_AUTHOR_KEY);
    checkPatched("msft_milan_v3", withAuthor::apply, b -> b.requireIdBlock(true)
        .trustedIdKeyDigests(Set.of(other)).trustedAuthorKeyDigests(Set.of(author)), null);
  }

  @Test
  void validateWhenPlatformAndMitigationOptionsThenEachFailureHasItsReason() throws Exception {
    check("msft_turin_v5", b -> b.platformInfoRequired(PlatformInfo.ECC_EN
        | PlatformInfo.ALIAS_CHECK_COMPLETE).platformInfoForbidden(PlatformInfo.SEV_TIO_EN
        | PlatformInfo.TSME_EN), null);
    check("virtee_milan_v2", b -> b.platformInfoRequired(PlatformInfo.ECC_EN),
        Reason.PLATFORM_INFO_BIT_MISSING);
    check("virtee_milan_v2", b -> b.platformInfoForbidden(PlatformInfo.SMT_EN),
        Reason.PLATFORM_INFO_BIT_FORBIDDEN);
    check("gcp_milan_v5", b -> b.minimumLaunchMitigations(0x3).minimumCurrentMitigations(0xb),
        null);
    check("gcp_milan_v5", b -> b.minimumLaunchMitigations(0x4), Reason.LAUNCH_MITIGATION_MISSING);
    check("gcp_milan_v5", b -> b.minimumCurrentMitigations(0x10),
        Reason.CURRENT_MITIGATION_MISSING);
    check("virtee_milan_v2", b -> b.minimumCurrentMitigations(0x1),
        Reason.CURRENT_MITIGATION_MISSING); // v2 reports have no mitigation vector
  }

  @Test
  void builderWhenValuesOutOfRangeThenIllegalArgument() {
    ValidationOptions.Builder b = ValidationOptions.builder();
    assertThatThrownBy(() -> b.measurement(Bytes.zeros(32))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.reportData(Bytes.zeros(48))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.vmpl(4)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.minimumAbi(256, 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.minimumGuestSvn(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.trustedIdKeyDigests(List.of(Bytes.zeros(32))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> b.platformInfoRequired(1).platformInfoForbidden(1).build())
        .isInstanceOf(IllegalArgumentException.class);
    ValidationOptions d = ValidationOptions.defaults();
    assertThat(d.allowedSigners()).containsExactlyInAnyOrder(SigningKey.VCEK, SigningKey.VLEK);
    assertThat(d.permitProvisionalFirmware()).isFalse();
    assertThat(d.expectedMeasurement()).isEmpty();
  }

  private static void requiredBit(int offset, int bit, Consumer<ValidationOptions.Builder> opt,
      Reason reason) throws Exception {
    check("virtee_milan_v2", opt, reason);
    checkPatched("virtee_milan_v2", raw -> set(raw, offset, bit), opt, null);
  }

  private static void check(String name, Consumer<ValidationOptions.Builder> opt,
      @Nullable Reason reason) throws Exception {
    checkPatched(name, raw -> { }, opt, reason);
  }

  interface Patch {
    void apply(byte[] raw);
  }

  /**
   * Validates a golden report after patching its bytes. The validator trusts its input to be
   * verified, so the patched report is wrapped without re-signing (the unit under test is the
   * validator alone).
   */
  private static void checkPatched(String name, Patch patch,
      Consumer<ValidationOptions.Builder> opt, @Nullable Reason reason) throws Exception {
    Vector v = ReportVectors.named(name);
    byte[] raw = v.report();
    patch.apply(raw);
    AttestationReport r = ReportParser.parse(raw);
    VcekExtensions ext = VcekExtensions.of(v.certificate());
    VerifiedReport verified = new VerifiedReport(r, v.signer(), ext.tcb(v.product()), ext,
        v.certificate(), true, false, v.time(), v.time());
    ValidationOptions.Builder b = ValidationOptions.builder();
    opt.accept(b);
    if (reason == null) {
      new ReportValidator(b.build()).validate(verified);
    } else {
      assertFails(verified, b.build(), reason);
    }
  }

  private static void assertFails(VerifiedReport verified, ValidationOptions o, Reason reason) {
    assertThatThrownBy(() -> new ReportValidator(o).validate(verified))
        .isInstanceOfSatisfying(ReportValidationException.class,
            e -> assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason));
  }

  private static void set(byte[] raw, int offset, int bits) {
    raw[offset] |= (byte) bits;
  }

  private static Bytes flip(Bytes b) {
    byte[] raw = b.toByteArray();
    raw[raw.length - 1] ^= 1;
    return Bytes.copyOf(raw);
  }
}
