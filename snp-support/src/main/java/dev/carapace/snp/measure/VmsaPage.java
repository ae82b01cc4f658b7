package dev.carapace.snp.measure;

import dev.carapace.attestation.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The initial 4 KiB VMSA (SEV-ES save area, AMD APM vol. 2 table B-4) of one vCPU, as KVM
 * produces it from the reset state the VMM sets (sev-snp-measure {@code vmsa.py}). The BSP starts
 * at the x86 reset vector 0xFFFFFFF0; APs start at the reset EIP from OVMF's SEV-ES reset block.
 * Only the fields listed in {@link #toBytes()} are non-zero.
 *
 * @param eip the 32-bit start address: CS.base = eip &amp; 0xFFFF0000, RIP = eip &amp; 0xFFFF
 * @param sevFeatures the SEV_FEATURES field (0x1 = SNP active; 0x21 adds DebugSwap)
 * @param vcpuSignature CPUID Fn0000_0001_EAX, placed in RDX by QEMU (EC2/GCE use 0x600)
 */
public record VmsaPage(long eip, long sevFeatures, int vcpuSignature, VmmType vmmType) {
  /** The BSP's start address (x86 reset vector). */
  public static final long BSP_EIP = 0xFFFF_FFF0L;
  /** Page size in bytes. */
  public static final int SIZE = 4096;

  public VmsaPage {
    Objects.requireNonNull(vmmType, "vmmType");
    if (eip < 0 || eip > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("eip must be an unsigned 32-bit value");
    }
  }

  /** The bootstrap processor's page. */
  public static VmsaPage bsp(long sevFeatures, int vcpuSignature, VmmType vmmType) {
    return new VmsaPage(BSP_EIP, sevFeatures, vcpuSignature, vmmType);
  }

  /** An application processor's page, starting at {@code apResetEip}. */
  public static VmsaPage ap(long apResetEip, long sevFeatures, int vcpuSignature,
      VmmType vmmType) {
    return new VmsaPage(apResetEip, sevFeatures, vcpuSignature, vmmType);
  }

  /**
   * The pages of {@code vcpus} vCPUs in vCPU index order: the BSP, then {@code vcpus - 1} APs.
   *
   * @throws IllegalArgumentException if {@code vcpus < 1}, or APs are needed and
   *     {@code apResetEip} is 0
   */
  public static List<VmsaPage> forVcpus(int vcpus, long apResetEip, long sevFeatures,
      int vcpuSignature, VmmType vmmType) {
    if (vcpus < 1) {
      throw new IllegalArgumentException("need at least one vCPU");
    }
    if (vcpus > 1 && apResetEip == 0) {
      throw new IllegalArgumentException("APs need a non-zero reset EIP");
    }
    List<VmsaPage> pages = new ArrayList<>(vcpus);
    pages.add(bsp(sevFeatures, vcpuSignature, vmmType));
    for (int i = 1; i < vcpus; i++) {
      pages.add(ap(apResetEip, sevFeatures, vcpuSignature, vmmType));
    }
    return List.copyOf(pages);
  }

  /** The 4096-byte page. */
  public Bytes toBytes() {
    int csAttrib = 0x9B;
    int ssAttrib = 0x93;
    int trAttrib = 0x8B;
    long gPat = 0x0007_0406_0007_0406L; // PAT MSR reset value, APM vol. 2 A.3
    long rdx = vcpuSignature & 0xFFFF_FFFFL;
    int mxcsr = 0x1F80;
    int fcw = 0x37F;
    switch (vmmType) {
      case QEMU -> { }
      case EC2 -> {
        csAttrib = eip == BSP_EIP ? 0x9A : 0x9B;
        ssAttrib = 0x92;
        trAttrib = 0x83;
        rdx = 0x600;
        mxcsr = 0;
        fcw = 0;
      }
      case GCE -> {
        gPat = 0x0007_0106L;
        rdx = 0x600;
        mxcsr = 0;
        fcw = 0;
      }
    }
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    segment(b, 0x000, 0, 0x93, 0xFFFF, 0); // es
    segment(b, 0x010, 0xF000, csAttrib, 0xFFFF, eip & 0xFFFF_0000L); // cs
    segment(b, 0x020, 0, ssAttrib, 0xFFFF, 0); // ss
    segment(b, 0x030, 0, 0x93, 0xFFFF, 0); // ds
    segment(b, 0x040, 0, 0x93, 0xFFFF, 0); // fs
    segment(b, 0x050, 0, 0x93, 0xFFFF, 0); // gs
    segment(b, 0x060, 0, 0, 0xFFFF, 0); // gdtr
    segment(b, 0x070, 0, 0x82, 0xFFFF, 0); // ldtr
    segment(b, 0x080, 0, 0, 0xFFFF, 0); // idtr
    segment(b, 0x090, 0, trAttrib, 0xFFFF, 0); // tr
    b.putLong(0x0D0, 0x1000); // efer: SVME, set by KVM
    b.putLong(0x148, 0x40); // cr4: MCE, set by KVM
    b.putLong(0x158, 0x10); // cr0: ET
    b.putLong(0x160, 0x400); // dr7
    b.putLong(0x168, 0xFFFF_0FF0L); // dr6
    b.putLong(0x170, 0x2); // rflags
    b.putLong(0x178, eip & 0xFFFF); // rip
    b.putLong(0x268, gPat); // g_pat
    b.putLong(0x310, rdx); // rdx
    b.putLong(0x3B0, sevFeatures); // sev_features
    b.putLong(0x3E8, 0x1); // xcr0
    b.putInt(0x408, mxcsr); // mxcsr
    b.putShort(0x410, (short) fcw); // x87_fcw
    return Bytes.copyOf(b.array());
  }

  private static void segment(ByteBuffer b, int offset, int selector, int attrib, long limit,
      long base) {
    b.putShort(offset, (short) selector);
    b.putShort(offset + 2, (short) attrib);
    b.putInt(offset + 4, (int) limit);
    b.putLong(offset + 8, base);
  }
}
