package dev.carapace.snp.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.measure.MeasurementException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LaunchDigestCalculatorTest {
  private static final Bytes AMDSEV = MeasureVectors.bytes(MeasureVectors.AMDSEV);
  private static final Bytes OVMFX64 = MeasureVectors.bytes(MeasureVectors.OVMFX64);

  private static MeasurementInputs.Builder snp(Bytes ovmf) {
    return MeasurementInputs.builder(ovmf).vcpuType(VcpuType.EPYC_V4);
  }

  @ParameterizedTest
  @EnumSource(SevMode.class)
  void kernelNeedsHashesSupport(SevMode mode) {
    assertReason(() -> LaunchDigestCalculator.calculate(
        snp(OVMFX64).mode(mode).kernel(Bytes.empty()).build()), Reason.KERNEL_HASHES_UNSUPPORTED);
  }

  @Test
  void initrdAndAppendNeedKernel() {
    assertReason(() -> LaunchDigestCalculator.calculate(snp(AMDSEV).initrd(Bytes.empty()).build()),
        Reason.INVALID_INPUT);
    assertReason(() -> LaunchDigestCalculator.calculate(snp(AMDSEV).append("x").build()),
        Reason.INVALID_INPUT);
  }

  @Test
  void qemuNeedsVcpuSignatureButCloudVmmsDoNot() throws MeasurementException {
    assertReason(() -> LaunchDigestCalculator.calculate(MeasurementInputs.builder(AMDSEV).build()),
        Reason.INVALID_INPUT);
    Bytes gce = LaunchDigestCalculator.calculate(
        MeasurementInputs.builder(AMDSEV).vmmType(VmmType.GCE).build());
    Bytes gceWithSig = LaunchDigestCalculator.calculate(
        snp(AMDSEV).vmmType(VmmType.GCE).build());
    assertThat(gce).isEqualTo(gceWithSig);
  }

  @Test
  void vcpuSignatureSettersAgree() throws MeasurementException {
    Bytes byType = LaunchDigestCalculator.calculate(snp(AMDSEV).build());
    assertThat(LaunchDigestCalculator.calculate(
        MeasurementInputs.builder(AMDSEV).vcpuSignature(0x800F12).build())).isEqualTo(byType);
    assertThat(LaunchDigestCalculator.calculate(
        MeasurementInputs.builder(AMDSEV).vcpuFamily(23, 1, 2).build())).isEqualTo(byType);
    assertThat(LaunchDigestCalculator.calculate(
        MeasurementInputs.builder(AMDSEV).vcpuType(VcpuType.EPYC_MILAN).build()))
        .isNotEqualTo(byType);
  }

  @Test
  void rejectsBadVcpuCountAndOvmfHash() {
    assertReason(() -> LaunchDigestCalculator.calculate(snp(AMDSEV).vcpus(0).build()),
        Reason.INVALID_INPUT);
    assertReason(() -> LaunchDigestCalculator.calculate(snp(AMDSEV).vcpus(4097).build()),
        Reason.INVALID_INPUT);
    assertReason(() -> LaunchDigestCalculator.calculate(
        snp(AMDSEV).ovmfHash(Bytes.zeros(32)).build()), Reason.INVALID_INPUT);
    assertReason(() -> LaunchDigestCalculator.calculate(
        snp(AMDSEV).mode(SevMode.SEV_ES).ovmfHash(Bytes.zeros(48)).build()), Reason.INVALID_INPUT);
  }

  @Test
  void ovmfHashSeedEqualsMeasuringTheImage() throws MeasurementException {
    Bytes seed = LaunchDigestCalculator.ovmfHash(AMDSEV);
    Bytes direct = LaunchDigestCalculator.calculate(snp(AMDSEV).vcpus(2).build());
    assertThat(LaunchDigestCalculator.calculate(snp(AMDSEV).vcpus(2).ovmfHash(seed).build()))
        .isEqualTo(direct);
  }

  @Test
  void snpNeedsMetadataButSevDoesNot() throws MeasurementException {
    Bytes plain = Bytes.zeros(8192);
    assertReason(() -> LaunchDigestCalculator.calculate(snp(plain).build()),
        Reason.MISSING_METADATA);
    assertThat(LaunchDigestCalculator.calculate(snp(plain).mode(SevMode.SEV).build()))
        .isEqualTo(SevHashesTable.sha256(new byte[8192]));
    assertReason(() -> LaunchDigestCalculator.calculate(snp(plain).mode(SevMode.SEV_ES).build()),
        Reason.MISSING_RESET_BLOCK);
  }

  @Test
  void resetBlockIsRequiredForVmsas() throws MeasurementException {
    byte[] noBlock = AMDSEV.toByteArray();
    noBlock[4030] ^= 1; // corrupt the SEV-ES reset block GUID
    assertReason(() -> LaunchDigestCalculator.calculate(snp(Bytes.copyOf(noBlock)).build()),
        Reason.MISSING_RESET_BLOCK);

    byte[] zeroEip = AMDSEV.toByteArray();
    ByteBuffer.wrap(zeroEip).order(ByteOrder.LITTLE_ENDIAN).putInt(4024, 0);
    assertThat(LaunchDigestCalculator.calculate(snp(Bytes.copyOf(zeroEip)).build())).isNotNull();
    Bytes zeroEipImage = Bytes.copyOf(zeroEip);
    assertReason(() -> LaunchDigestCalculator.calculate(snp(zeroEipImage).vcpus(2).build()),
        Reason.MISSING_RESET_BLOCK);
  }

  @Test
  void hashesTableMustFitItsPage() throws MeasurementException {
    byte[] raw = AMDSEV.toByteArray();
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).putInt(3972, 0x810F80);
    Bytes ovmf = Bytes.copyOf(raw);
    assertReason(() -> LaunchDigestCalculator.calculate(snp(ovmf).kernel(Bytes.empty()).build()),
        Reason.MALFORMED_METADATA);
    assertThat(LaunchDigestCalculator.calculate(snp(ovmf).build()).size()).isEqualTo(48);
  }

  @Test
  void malformedImagesAreReportedByTheCalculator() {
    assertReason(() -> LaunchDigestCalculator.calculate(snp(Bytes.zeros(100)).build()),
        Reason.BAD_IMAGE_SIZE);
    assertReason(() -> LaunchDigestCalculator.ovmfHash(Bytes.zeros(100)), Reason.BAD_IMAGE_SIZE);
  }

  @Test
  void ec2DefersCpuidAndGceLeavesSecMemoryUnmeasured() throws MeasurementException {
    List<TraceStep> ec2 = LaunchDigestCalculator.calculateWithTrace(
        snp(AMDSEV).vmmType(VmmType.EC2).build()).steps();
    assertThat(ec2.get(ec2.size() - 2).pageType()).isEqualTo(PageType.CPUID);
    assertThat(ec2.get(ec2.size() - 2).gpa()).isEqualTo(0x80E000);
    assertThat(ec2).filteredOn(s -> s.pageType() == PageType.CPUID).hasSize(1);

    List<TraceStep> gce = LaunchDigestCalculator.calculateWithTrace(
        snp(AMDSEV).vmmType(VmmType.GCE).build()).steps();
    assertThat(gce).filteredOn(s -> s.pageType() == PageType.UNMEASURED).hasSize(27);
    assertThat(gce).filteredOn(s -> s.pageType() == PageType.ZERO).hasSize(2); // CAA, hashes
  }

  @Test
  void vmsaPagesComeLastOnePerVcpu() throws MeasurementException {
    List<TraceStep> steps = LaunchDigestCalculator.calculateWithTrace(
        snp(AMDSEV).vcpus(4).build()).steps();
    assertThat(steps.subList(steps.size() - 4, steps.size()))
        .allSatisfy(s -> assertThat(s.gpa()).isEqualTo(LaunchDigest.VMSA_GPA));
    assertThat(steps.get(steps.size() - 5).pageType()).isNotEqualTo(PageType.VMSA);
    assertThat(steps.get(1).contents().isAllZero()).isTrue();
  }

  @Test
  void launchDigestValueRules() {
    assertThatThrownBy(() -> new LaunchDigest(Bytes.zeros(32)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LaunchDigest.initial().updatePage(PageType.NORMAL, 0, Bytes.zeros(10)))
        .isInstanceOf(IllegalArgumentException.class);
    LaunchDigest zero = LaunchDigest.initial().updatePage(PageType.ZERO, 0x1000, Bytes.empty());
    assertThat(zero).isEqualTo(LaunchDigest.initial()
        .update(PageType.ZERO, 0x1000, Bytes.zeros(48)));
    assertThat(LaunchDigest.pageInfo(Bytes.zeros(48), Bytes.zeros(48), PageType.CPUID, 0x80E000)
        .toHex()).endsWith("7000060000000000" + "00e0800000000000");
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call)
        .isInstanceOf(MeasurementException.class)
        .extracting(e -> ((MeasurementException) e).reason())
        .isEqualTo(reason);
  }
}
