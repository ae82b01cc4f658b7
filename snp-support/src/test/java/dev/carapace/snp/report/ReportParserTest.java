package dev.carapace.snp.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.ReportParseException.Reason;
import dev.carapace.snp.report.ReportVectors.Vector;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ReportParserTest {

  static Stream<Vector> golden() {
    return ReportVectors.golden();
  }

  @ParameterizedTest
  @MethodSource("golden")
  void encodeWhenGoldenReportParsedThenRoundTripsByteForByte(Vector v) throws Exception {
    byte[] raw = v.report();
    AttestationReport r = ReportParser.parse(raw);
    assertThat(ReportEncoder.encode(r)).isEqualTo(raw);
    assertThat(ReportEncoder.signedRegion(r)).isEqualTo(Arrays.copyOf(raw, 0x2A0));
    assertThat(ReportParser.parse(ReportEncoder.encode(r))).isEqualTo(r);
    assertThat(r.version()).isEqualTo(v.version());
    assertThat(r.product()).isEqualTo(v.product());
    assertThat(r.signingKey()).isEqualTo(v.signer());
  }

  @ParameterizedTest
  @MethodSource("golden")
  void parseWhenSharedVectorThenEveryFieldMatchesExpectedJson(Vector v) throws Exception {
    var expected = ReportVectors.expected(v.name());
    if (expected.isEmpty()) {
      return; // msft_genoa_v3 and msft_turin_v5 are checked field by field below
    }
    JsonNode e = expected.get();
    AttestationReport r = ReportParser.parse(v.report());
    assertThat(r.version()).isEqualTo(e.get("version").asInt());
    assertThat(r.signingKey().name()).isEqualTo(e.get("signer").asText());
    assertThat(r.signerInfo().toRaw()).isEqualTo(hex(e, "signer_info"));
    assertThat(r.policy().toRaw()).isEqualTo(hex(e, "policy"));
    assertThat(r.guestSvn()).isEqualTo(e.get("guest_svn").asLong());
    assertThat(r.vmpl()).isEqualTo(e.get("vmpl").asInt());
    assertThat(r.platformInfo().raw()).isEqualTo(hex(e, "platform_info"));
    assertThat(r.familyId().toHex()).isEqualTo(e.get("family_id").asText());
    assertThat(r.imageId().toHex()).isEqualTo(e.get("image_id").asText());
    assertThat(r.reportData().toHex()).isEqualTo(e.get("report_data").asText());
    assertThat(r.measurement().toHex()).isEqualTo(e.get("measurement").asText());
    assertThat(r.hostData().toHex()).isEqualTo(e.get("host_data").asText());
    assertThat(r.idKeyDigest().toHex()).isEqualTo(e.get("id_key_digest").asText());
    assertThat(r.authorKeyDigest().toHex()).isEqualTo(e.get("author_key_digest").asText());
    assertThat(r.reportId().toHex()).isEqualTo(e.get("report_id").asText());
    assertThat(r.reportIdMa().toHex()).isEqualTo(e.get("report_id_ma").asText());
    assertThat(r.chipId().toHex()).isEqualTo(e.get("chip_id").asText());
    String cpuid = e.get("cpuid_fam_mod_step").isNull() ? "000000"
        : e.get("cpuid_fam_mod_step").asText();
    assertThat(String.format("%02x%02x%02x", r.cpuidFamily(), r.cpuidModel(), r.cpuidStepping()))
        .isEqualTo(cpuid);
    assertThat(r.product().kdsName()).isEqualTo(e.get("product_line").asText());
    assertTcb(r.currentTcb(), e.get("current_tcb"));
    assertTcb(r.reportedTcb(), e.get("reported_tcb"));
    assertTcb(r.committedTcb(), e.get("committed_tcb"));
    assertTcb(r.launchTcb(), e.get("launch_tcb"));
    assertVersion(r.currentVersion(), e.get("current_build_minor_major"));
    assertVersion(r.committedVersion(), e.get("committed_build_minor_major"));
    assertThat(r.launchMitVector()).isEqualTo(
        e.get("launch_mit_vector").isNull() ? 0 : hex(e, "launch_mit_vector"));
    assertThat(r.currentMitVector()).isEqualTo(
        e.get("current_mit_vector").isNull() ? 0 : hex(e, "current_mit_vector"));
  }

  @Test
  void parseWhenTurinV5ReportThenTurinTcbLayoutAndUnknownPlatformBitKept() throws Exception {
    AttestationReport r = ReportParser.parse(ReportVectors.named("msft_turin_v5").report());
    assertThat(r.version()).isEqualTo(5);
    assertThat(r.product()).isEqualTo(Product.TURIN);
    assertThat(r.cpuidProduct()).contains(Product.TURIN);
    assertThat(new int[] {r.cpuidFamily(), r.cpuidModel(), r.cpuidStepping()})
        .containsExactly(0x1A, 0x02, 0x01);
    TcbVersion t = r.reportedTcb();
    assertThat(t.raw()).isEqualTo(0x5100000004010101L);
    assertThat(new int[] {t.fmc(), t.bootloader(), t.tee(), t.snp(), t.microcode()})
        .containsExactly(1, 1, 1, 4, 81);
    assertThat(r.currentTcb()).isEqualTo(t);
    assertThat(r.platformInfo().raw()).isEqualTo(0x65);
    assertThat(r.platformInfo().smtEnabled()).isTrue();
    assertThat(r.platformInfo().eccEnabled()).isTrue();
    assertThat(r.platformInfo().aliasCheckComplete()).isTrue();
    assertThat(r.platformInfo().sevTioEnabled()).isFalse();
    assertThat(r.chipId().slice(0, 8).toHex()).isEqualTo("59790fb1c39f35c1");
    assertThat(r.chipId().slice(8, 56).isAllZero()).isTrue();
    assertThat(r.launchMitVector()).isEqualTo(0x3f);
    assertThat(r.currentMitVector()).isEqualTo(0x3f);
    assertThat(r.policy().abiMinor()).isEqualTo(0x1f);
    assertThat(r.policy().smt()).isTrue();
    assertThat(r.currentVersion()).isEqualTo(new FirmwareVersion(1, 55, 0x41));
  }

  @Test
  void parseWhenGenoaV3ReportThenGenoaFromCpuidModel0x11() throws Exception {
    AttestationReport r = ReportParser.parse(ReportVectors.named("msft_genoa_v3").report());
    assertThat(r.product()).isEqualTo(Product.GENOA);
    assertThat(r.reportedTcb()).isEqualTo(TcbVersion.of(Product.GENOA, 10, 0, 23, 84, 0));
    assertThat(r.chipId().slice(0, 4).toHex()).isEqualTo("b1e24a27");
  }

  @Test
  void parseWhenGsgReportThenPolicyBitsDecoded() throws Exception {
    AttestationReport r = ReportParser.parse(ReportVectors.named("gsg_milan_v2").report());
    assertThat(r.policy()).isEqualTo(
        new GuestPolicy(0, 0, true, false, true, false, false, false, false, false, false));
    assertThat(r.currentVersion()).isEqualTo(new FirmwareVersion(1, 49, 3));
    assertThat(r.cpuidProduct()).isEmpty();
  }

  @Test
  void parseWhenVlekReportThenSignerInfoDecoded() throws Exception {
    AttestationReport r = ReportParser.parse(ReportVectors.named("trustee_milan_v3_vlek").report());
    assertThat(r.signerInfo()).isEqualTo(new SignerInfo(false, false, SigningKey.VLEK));
    assertThat(r.chipId().isAllZero()).isTrue();
    assertThat(r.vmpl()).isEqualTo(1);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 100, 1183})
  void parseWhenTruncatedThenTruncated(int length) {
    byte[] raw = Arrays.copyOf(ReportVectors.named("gsg_milan_v2").report(), length);
    assertReason(raw, Reason.TRUNCATED);
  }

  @ParameterizedTest
  @ValueSource(ints = {1185, 1184 + 4000})
  void parseWhenOversizedThenOversized(int length) {
    byte[] raw = Arrays.copyOf(ReportVectors.named("gsg_milan_v2").report(), length);
    assertReason(raw, Reason.OVERSIZED);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 6, 0x100, -1})
  void parseWhenUnsupportedVersionThenUnsupportedVersion(int version) {
    byte[] raw = ReportVectors.named("msft_milan_v3").report();
    put32(raw, 0, version);
    assertReason(raw, Reason.UNSUPPORTED_VERSION);
  }

  @Test
  void parseWhenVersion4ThenVersion3LayoutAccepted() throws Exception {
    byte[] raw = ReportVectors.named("msft_milan_v3").report();
    raw[0] = 4;
    AttestationReport r = ReportParser.parse(raw);
    assertThat(r.version()).isEqualTo(4);
    assertThat(r.cpuidProduct()).contains(Product.MILAN);
    assertThat(ReportEncoder.encode(r)).isEqualTo(raw);
  }

  static Stream<Arguments> invalidFields() {
    return Stream.of(
        Arguments.of(0x0A, 0x00, Reason.INVALID_POLICY), // clears reserved bit 17 (0x3001f)
        Arguments.of(0x0B, 0x04, Reason.INVALID_POLICY), // bit 26
        Arguments.of(0x0F, 0x80, Reason.INVALID_POLICY), // bit 63
        Arguments.of(0x30, 0x04, Reason.INVALID_VMPL),
        Arguments.of(0x34, 0x02, Reason.UNSUPPORTED_SIGNATURE_ALGORITHM),
        Arguments.of(0x48, 0x08, Reason.INVALID_SIGNER_INFO), // signing key 2 (reserved)
        Arguments.of(0x48, 0x20, Reason.INVALID_SIGNER_INFO), // bit 5
        Arguments.of(0x4B, 0x80, Reason.INVALID_SIGNER_INFO),
        Arguments.of(0x4C, 0x01, Reason.RESERVED_NOT_ZERO),
        Arguments.of(0x18B, 0x01, Reason.RESERVED_NOT_ZERO),
        Arguments.of(0x19F, 0x01, Reason.RESERVED_NOT_ZERO),
        Arguments.of(0x1EB, 0x01, Reason.RESERVED_NOT_ZERO),
        Arguments.of(0x1EF, 0x01, Reason.RESERVED_NOT_ZERO),
        Arguments.of(0x1F8, 0x01, Reason.RESERVED_NOT_ZERO), // mitigation vectors are v5
        Arguments.of(0x29F, 0x01, Reason.RESERVED_NOT_ZERO),
        Arguments.of(0x330, 0x01, Reason.RESERVED_NOT_ZERO),
        Arguments.of(0x49F, 0x01, Reason.RESERVED_NOT_ZERO),
        Arguments.of(0x188, 0x01, Reason.UNKNOWN_PRODUCT)); // family 0x19 -> 0x01
  }

  @ParameterizedTest
  @MethodSource("invalidFields")
  void parseWhenFieldInvalidThenTypedReason(int offset, int value, Reason reason) {
    byte[] raw = ReportVectors.named("msft_milan_v3").report();
    raw[offset] = (byte) value;
    assertReason(raw, reason);
  }

  @Test
  void parseWhenV2ReportHasCpuidBytesThenReservedNotZero() {
    byte[] raw = ReportVectors.named("virtee_milan_v2").report();
    raw[0x188] = 0x19;
    assertReason(raw, Reason.RESERVED_NOT_ZERO);
  }

  @Test
  void parseWhenSigningKeyNoneThenAcceptedAsUnsigned() throws Exception {
    byte[] raw = ReportVectors.named("gsg_milan_v2").report();
    raw[0x48] = 7 << 2 | 3;
    AttestationReport r = ReportParser.parse(raw);
    assertThat(r.signerInfo()).isEqualTo(new SignerInfo(true, true, SigningKey.NONE));
    assertThat(ReportEncoder.encode(r)).isEqualTo(raw);
  }

  @Test
  void parseWhenProductGivenThenUsedForV2AndCheckedForV3() throws Exception {
    byte[] v2 = ReportVectors.named("virtee_milan_v2").report();
    assertThat(ReportParser.parse(v2, Product.GENOA).product()).isEqualTo(Product.GENOA);
    AttestationReport turin = ReportParser.parse(v2, Product.TURIN);
    assertThat(turin.reportedTcb().fmc()).isEqualTo(3); // byte 0 read as FMC
    byte[] v3 = ReportVectors.named("msft_milan_v3").report();
    assertThat(ReportParser.parse(v3, Product.MILAN).product()).isEqualTo(Product.MILAN);
    assertThatThrownBy(() -> ReportParser.parse(v3, Product.TURIN))
        .isInstanceOfSatisfying(ReportParseException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PRODUCT_MISMATCH));
    v3[0x189] = 0x60; // family 0x19 model 0x60: not a known product
    assertReason(v3, Reason.UNKNOWN_PRODUCT);
    assertThat(ReportParser.parse(v3, Product.GENOA).product()).isEqualTo(Product.GENOA);
  }

  @Test
  void parseWhenV2ChipIdHasTurinShapeThenTurinLayout() throws Exception {
    byte[] raw = ReportVectors.named("virtee_milan_v2").report();
    Arrays.fill(raw, 0x1A8, 0x1E0, (byte) 0);
    AttestationReport r = ReportParser.parse(raw);
    assertThat(r.product()).isEqualTo(Product.TURIN);
    assertThat(r.withProduct(Product.MILAN).reportedTcb())
        .isEqualTo(TcbVersion.of(Product.MILAN, 3, 0, 8, 115, 0));
    Arrays.fill(raw, 0x1A0, 0x1E0, (byte) 0); // masked chip id: no evidence, Milan layout
    assertThat(ReportParser.parse(raw).product()).isEqualTo(Product.MILAN);
  }

  @Test
  void recordWhenFieldsOutOfRangeThenIllegalArgument() throws Exception {
    AttestationReport r = ReportParser.parse(ReportVectors.named("gcp_milan_v5").report());
    assertThatThrownBy(() -> new AttestationReport(3, r.guestSvn(), r.policy(), r.familyId(),
        r.imageId(), r.vmpl(), 1, r.currentTcb(), r.platformInfo(), r.signerInfo(),
        r.reportData(), r.measurement(), r.hostData(), r.idKeyDigest(), r.authorKeyDigest(),
        r.reportId(), r.reportIdMa(), r.reportedTcb(), 0x19, 1, 1, r.chipId(),
        r.committedTcb(), r.currentVersion(), r.committedVersion(), r.launchTcb(), 0xb, 0xb,
        r.signatureR(), r.signatureS()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("mitigation");
    assertThatThrownBy(() -> new AttestationReport(5, r.guestSvn(), r.policy(), r.familyId(),
        r.imageId(), r.vmpl(), 1, r.currentTcb(), r.platformInfo(), r.signerInfo(),
        Bytes.zeros(63), r.measurement(), r.hostData(), r.idKeyDigest(), r.authorKeyDigest(),
        r.reportId(), r.reportIdMa(), r.reportedTcb(), 0x19, 1, 1, r.chipId(),
        r.committedTcb(), r.currentVersion(), r.committedVersion(), r.launchTcb(), 0xb, 0xb,
        r.signatureR(), r.signatureS()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reportData");
    assertThatThrownBy(() -> new AttestationReport(5, r.guestSvn(), r.policy(), r.familyId(),
        r.imageId(), r.vmpl(), 1, r.currentTcb(), r.platformInfo(), r.signerInfo(),
        r.reportData(), r.measurement(), r.hostData(), r.idKeyDigest(), r.authorKeyDigest(),
        r.reportId(), r.reportIdMa(), TcbVersion.decode(Product.TURIN, 0), 0x19, 1, 1,
        r.chipId(), r.committedTcb(), r.currentVersion(), r.committedVersion(), r.launchTcb(),
        0xb, 0xb, r.signatureR(), r.signatureS()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("same product");
  }

  @Test
  void valueTypesWhenRoundTrippedThenRawPreserved() {
    for (long raw : new long[] {0x30000, 0x3001f, 0xb0000, 0x3ff3ffL, GuestPolicy.RESERVED_MUST_BE_ONE}) {
      assertThat(GuestPolicy.fromRaw(raw).toRaw()).isEqualTo(raw);
    }
    assertThat(GuestPolicy.isValid(0x10000)).isFalse();
    assertThat(GuestPolicy.isValid(0x3_0000L | 1L << 26)).isFalse();
    assertThatThrownBy(() -> GuestPolicy.fromRaw(0)).isInstanceOf(IllegalArgumentException.class);
    for (long raw : new long[] {0, 1, 2, 3, 4, 5, 0x1c, 0x1f}) {
      assertThat(SignerInfo.fromRaw(raw).toRaw()).isEqualTo(raw);
    }
    for (long raw : new long[] {0x08, 0x0c, 0x10, 0x14, 0x18, 0x20, 1L << 31}) {
      assertThat(SignerInfo.isValid(raw)).as("0x%x", raw).isFalse();
    }
    assertThat(new FirmwareVersion(1, 55, 0).compareApiVersion(new FirmwareVersion(1, 49, 9)))
        .isPositive();
    assertThat(new PlatformInfo(0x25).hasAll(PlatformInfo.SMT_EN | PlatformInfo.ECC_EN)).isTrue();
  }

  private static void assertTcb(TcbVersion t, JsonNode e) {
    assertThat(t.raw()).isEqualTo(Long.parseUnsignedLong(e.get("raw_u64").asText().substring(2), 16));
    assertThat(t.bootloader()).isEqualTo(e.get("bootloader").asInt());
    assertThat(t.tee()).isEqualTo(e.get("tee").asInt());
    assertThat(t.snp()).isEqualTo(e.get("snp").asInt());
    assertThat(t.microcode()).isEqualTo(e.get("microcode").asInt());
  }

  private static void assertVersion(FirmwareVersion v, JsonNode buildMinorMajor) {
    assertThat(v).isEqualTo(new FirmwareVersion(buildMinorMajor.get(2).asInt(),
        buildMinorMajor.get(1).asInt(), buildMinorMajor.get(0).asInt()));
  }

  private static long hex(JsonNode e, String field) {
    return Long.parseUnsignedLong(e.get(field).asText().substring(2), 16);
  }

  static void put32(byte[] raw, int off, int v) {
    for (int i = 0; i < 4; i++) {
      raw[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void assertReason(byte[] raw, Reason reason) {
    assertThatThrownBy(() -> ReportParser.parse(raw))
        .isInstanceOfSatisfying(ReportParseException.class,
            e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
