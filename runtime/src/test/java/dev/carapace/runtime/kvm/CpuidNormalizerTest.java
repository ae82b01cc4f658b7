package dev.carapace.runtime.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuidNormalizerTest {
  private static final int INTEL_EBX = 0x756e6547;
  private static final int AMD_EBX = 0x68747541;

  private static List<CpuidEntry> host(int vendorEbx) {
    return List.of(
        new CpuidEntry(0, 0, 0, 0x1f, vendorEbx, 0, 0),
        new CpuidEntry(1, 0, 0, 0x000806f8, 0xff00_0800, (1 << 15) | 1, 0),
        new CpuidEntry(4, 0, 1, 0x1c00_4121, 0, 0, 0),
        new CpuidEntry(4, 3, 1, 0x1c03_c163, 0, 0, 0),
        new CpuidEntry(6, 0, 0, 0x4 | 0x2, 0, 0x8 | 0x1, 0),
        new CpuidEntry(7, 0, 1, 0, 0, 1 << 5, 1 << 29),
        new CpuidEntry(0xa, 0, 0, 0x0704_8302, 1, 2, 3),
        new CpuidEntry(0xb, 0, 1, 1, 2, 0x100, 7),
        new CpuidEntry(0xb, 1, 1, 6, 64, 0x201, 7),
        new CpuidEntry(0x4000_0000, 0, 0, 0x4000_0001, 0, 0, 0),
        new CpuidEntry(0x8000_0008, 0, 0, 0x3030, 0, 0xff, 0),
        new CpuidEntry(0x8000_001e, 0, 0, 9, 9, 9, 0));
  }

  private static CpuidEntry find(List<CpuidEntry> entries, int function, int index) {
    return entries.stream().filter(e -> e.function() == function && e.index() == index)
        .findFirst().orElseThrow();
  }

  @Test
  void normalizeWhenVcpuTwoOfFourThenApicIdTopologyAndHypervisorBitAreSet() {
    List<CpuidEntry> out = CpuidNormalizer.normalize(host(INTEL_EBX), 2, 4);
    CpuidEntry leaf1 = find(out, 1, 0);
    assertThat(leaf1.ebx() >>> 24).isEqualTo(2);
    assertThat((leaf1.ebx() >>> 16) & 0xff).isEqualTo(4);
    assertThat((leaf1.ebx() >>> 8) & 0xff).isEqualTo(8);
    assertThat(leaf1.ecx() & (1 << 31)).isNotZero();
    assertThat(leaf1.ecx() & (1 << 24)).isNotZero();
    assertThat(leaf1.ecx() & (1 << 15)).isZero();
    assertThat(leaf1.edx() & (1 << 28)).isNotZero();
    assertThat(find(out, 0xb, 0).edx()).isEqualTo(2);
    assertThat(find(out, 0xb, 1).edx()).isEqualTo(2);
    assertThat(find(out, 0xb, 1).ebx()).isEqualTo(4);
    assertThat(find(out, 0xb, 1).eax()).isEqualTo(2);
    assertThat(find(out, 0xb, 1).ecx()).isEqualTo(0x201);
  }

  @Test
  void normalizeWhenIntelThenPmuZeroedWaitpkgTurboAndCacheSharingAdjusted() {
    List<CpuidEntry> out = CpuidNormalizer.normalize(host(INTEL_EBX), 0, 4);
    assertThat(find(out, 0xa, 0)).extracting(CpuidEntry::eax, CpuidEntry::ebx, CpuidEntry::ecx,
        CpuidEntry::edx).containsExactly(0, 0, 0, 0);
    assertThat(find(out, 7, 0).ecx() & (1 << 5)).isZero();
    assertThat(find(out, 6, 0).eax() & 0x2).isZero();
    assertThat(find(out, 6, 0).ecx() & 0x8).isZero();
    assertThat((find(out, 4, 0).eax() >>> 14) & 0xfff).as("L1 shared by one thread").isZero();
    assertThat((find(out, 4, 3).eax() >>> 14) & 0xfff).as("L3 shared by all").isEqualTo(3);
    assertThat(find(out, 4, 3).eax() >>> 26).isEqualTo(3);
  }

  @Test
  void normalizeWhenAmdThenArchCapabilitiesClearedAndExtendedApicIdIsIndex() {
    List<CpuidEntry> out = CpuidNormalizer.normalize(host(AMD_EBX), 1, 2);
    assertThat(find(out, 7, 0).edx() & (1 << 29)).isZero();
    assertThat(find(out, 0x8000_001e, 0).eax()).isEqualTo(1);
    assertThat(find(out, 0x8000_0008, 0).ecx() & 0xff).isEqualTo(1);
    assertThat(find(out, 0xa, 0).eax()).isEqualTo(0x0704_8302);
  }

  @Test
  void normalizeWhenHypervisorLeafPresentOrMissingThenSignatureIsKvm() {
    for (List<CpuidEntry> input : List.of(host(INTEL_EBX),
        host(INTEL_EBX).stream().filter(e -> e.function() != 0x4000_0000).toList())) {
      CpuidEntry hv = find(CpuidNormalizer.normalize(input, 0, 1), 0x4000_0000, 0);
      byte[] sig = new byte[12];
      int[] regs = {hv.ebx(), hv.ecx(), hv.edx()};
      for (int i = 0; i < 12; i++) {
        sig[i] = (byte) (regs[i / 4] >>> (8 * (i % 4)));
      }
      assertThat(new String(sig, java.nio.charset.StandardCharsets.US_ASCII))
          .isEqualTo("KVMKVMKVM\0\0\0");
    }
  }

  @Test
  void normalizeWhenSingleVcpuThenNoHyperThreadingFlag() {
    assertThat(find(CpuidNormalizer.normalize(host(INTEL_EBX), 0, 1), 1, 0).edx() & (1 << 28))
        .isZero();
  }

  @Test
  void normalizeWhenIndexOutsideCountThenRejected() {
    assertThatThrownBy(() -> CpuidNormalizer.normalize(host(INTEL_EBX), 2, 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
