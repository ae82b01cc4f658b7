package dev.carapace.runtime.kvm;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the host's {@code KVM_GET_SUPPORTED_CPUID} into the CPUID of one vCPU, following
 * Firecracker's normalization: APIC id and topology per vCPU (leaves 0x1, 0xB, 0x1F, 0x4 on Intel,
 * 0x8000_0008/0x8000_001E on AMD), the hypervisor bit and leaf 0x4000_0000 ("KVMKVMKVM"), and
 * features a guest must not see cleared (PDCM, turbo, WAITPKG, the PMU on Intel, ARCH_CAPABILITIES
 * on AMD). Each vCPU is one core with one thread in a single package.
 *
 * <p>A pure function: thread-safe, no KVM access.
 */
public final class CpuidNormalizer {
  public static final int HYPERVISOR_LEAF = 0x4000_0000;
  /** "KVMKVMKVM\0\0\0" as EBX, ECX, EDX. */
  static final int KVM_SIGNATURE_EBX = 0x4b4d564b;
  static final int KVM_SIGNATURE_ECX = 0x564b4d56;
  static final int KVM_SIGNATURE_EDX = 0x0000004d;

  private static final int INTEL_EBX = 0x756e6547; // "Genu"
  private static final int AMD_EBX = 0x68747541; // "Auth"

  private static final int LEAF1_ECX_PDCM = 1 << 15;
  private static final int LEAF1_ECX_TSC_DEADLINE = 1 << 24;
  private static final int LEAF1_ECX_HYPERVISOR = 1 << 31;
  private static final int LEAF1_EDX_HTT = 1 << 28;
  private static final int CLFLUSH_LINE_8 = 8 << 8;

  private CpuidNormalizer() {}

  /** The CPU vendor named by leaf 0. */
  public enum Vendor { INTEL, AMD, OTHER }

  /** The CPUID for vCPU {@code cpuIndex} of {@code cpuCount}. */
  public static List<CpuidEntry> normalize(List<CpuidEntry> supported, int cpuIndex,
      int cpuCount) {
    if (cpuCount < 1 || cpuCount > 254 || cpuIndex < 0 || cpuIndex >= cpuCount) {
      throw new IllegalArgumentException(
          "vCPU " + cpuIndex + " of " + cpuCount + " is outside 0..253");
    }
    Vendor vendor = vendor(supported);
    int topologyShift = 32 - Integer.numberOfLeadingZeros(Math.max(0, cpuCount - 1));
    List<CpuidEntry> out = new ArrayList<>(supported.size() + 4);
    boolean hasHypervisorLeaf = false;
    boolean hasLeafB = false;
    for (CpuidEntry e : supported) {
      switch (e.function()) {
        case 0x1 -> out.add(leaf1(e, cpuIndex, cpuCount));
        case 0x4 -> out.add(vendor == Vendor.INTEL ? intelCache(e, cpuCount) : e);
        case 0x6 -> out.add(vendor == Vendor.INTEL ? e.withEax(e.eax() & ~(1 << 1))
            .withEcx(e.ecx() & ~(1 << 3)) : e);
        case 0x7 -> out.add(e.index() == 0 ? leaf7(e, vendor) : e);
        case 0xa -> out.add(vendor == Vendor.INTEL ? e.withEax(0).withEbx(0).withEcx(0).withEdx(0)
            : e);
        case 0xb -> {
          if (!hasLeafB) {
            out.addAll(topology(0xb, cpuIndex, cpuCount, topologyShift));
            hasLeafB = true;
          }
        }
        case 0x1f -> {
          // rebuilt from leaf 0xB below (Intel); dropped elsewhere
        }
        case 0x8000_0008 -> out.add(vendor == Vendor.AMD
            ? e.withEcx((e.ecx() & ~0xf0ff) | (topologyShift << 12) | (cpuCount - 1)) : e);
        case 0x8000_001e -> out.add(vendor == Vendor.AMD
            ? e.withEax(cpuIndex).withEbx(cpuIndex & 0xff).withEcx(0) : e);
        case HYPERVISOR_LEAF -> {
          hasHypervisorLeaf = true;
          out.add(e.withEbx(KVM_SIGNATURE_EBX).withEcx(KVM_SIGNATURE_ECX)
              .withEdx(KVM_SIGNATURE_EDX));
        }
        default -> out.add(e);
      }
    }
    if (!hasLeafB) {
      out.addAll(topology(0xb, cpuIndex, cpuCount, topologyShift));
    }
    if (vendor == Vendor.INTEL && supported.stream().anyMatch(e -> e.function() == 0x1f)) {
      out.addAll(topology(0x1f, cpuIndex, cpuCount, topologyShift));
    }
    if (!hasHypervisorLeaf) {
      out.add(new CpuidEntry(HYPERVISOR_LEAF, 0, 0, HYPERVISOR_LEAF + 1, KVM_SIGNATURE_EBX,
          KVM_SIGNATURE_ECX, KVM_SIGNATURE_EDX));
    }
    return List.copyOf(out);
  }

  /** The vendor of leaf 0 ({@link Vendor#OTHER} when leaf 0 is missing or unknown). */
  public static Vendor vendor(List<CpuidEntry> entries) {
    for (CpuidEntry e : entries) {
      if (e.function() == 0) {
        return e.ebx() == INTEL_EBX ? Vendor.INTEL : e.ebx() == AMD_EBX ? Vendor.AMD : Vendor.OTHER;
      }
    }
    return Vendor.OTHER;
  }

  private static CpuidEntry leaf1(CpuidEntry e, int cpuIndex, int cpuCount) {
    int ebx = (e.ebx() & 0xff) | CLFLUSH_LINE_8 | (cpuCount << 16) | (cpuIndex << 24);
    int ecx = (e.ecx() & ~LEAF1_ECX_PDCM) | LEAF1_ECX_TSC_DEADLINE | LEAF1_ECX_HYPERVISOR;
    int edx = cpuCount > 1 ? e.edx() | LEAF1_EDX_HTT : e.edx() & ~LEAF1_EDX_HTT;
    return e.withEbx(ebx).withEcx(ecx).withEdx(edx);
  }

  private static CpuidEntry leaf7(CpuidEntry e, Vendor vendor) {
    if (vendor == Vendor.INTEL) {
      return e.withEbx(e.ebx() | (1 << 6) | (1 << 13)).withEcx(e.ecx() & ~(1 << 5));
    }
    if (vendor == Vendor.AMD) {
      return e.withEdx(e.edx() & ~(1 << 29));
    }
    return e;
  }

  private static CpuidEntry intelCache(CpuidEntry e, int cpuCount) {
    if ((e.eax() & 0x1f) == 0) {
      return e; // no cache at this sub-leaf
    }
    int level = (e.eax() >>> 5) & 0x7;
    int sharing = level >= 3 ? cpuCount - 1 : 0;
    int eax = (e.eax() & 0x3fff) | ((sharing & 0xfff) << 14) | (((cpuCount - 1) & 0x3f) << 26);
    return e.withEax(eax);
  }

  private static List<CpuidEntry> topology(int leaf, int cpuIndex, int cpuCount, int coreShift) {
    int flags = CpuidEntry.FLAG_SIGNIFICANT_INDEX;
    return List.of(
        new CpuidEntry(leaf, 0, flags, 0, 1, (1 << 8), cpuIndex),
        new CpuidEntry(leaf, 1, flags, coreShift, cpuCount, (2 << 8) | 1, cpuIndex),
        new CpuidEntry(leaf, 2, flags, 0, 0, 2, cpuIndex));
  }
}
