package dev.carapace.runtime.kvm;

/**
 * One {@code struct kvm_cpuid_entry2}: the register values CPUID returns for {@code function}
 * (EAX input) and {@code index} (ECX input, meaningful when {@link #FLAG_SIGNIFICANT_INDEX} is set).
 */
public record CpuidEntry(int function, int index, int flags, int eax, int ebx, int ecx, int edx) {
  /** {@code KVM_CPUID_FLAG_SIGNIFCANT_INDEX}: the entry applies to one ECX sub-leaf only. */
  public static final int FLAG_SIGNIFICANT_INDEX = 1;

  public CpuidEntry withEax(int v) {
    return new CpuidEntry(function, index, flags, v, ebx, ecx, edx);
  }

  public CpuidEntry withEbx(int v) {
    return new CpuidEntry(function, index, flags, eax, v, ecx, edx);
  }

  public CpuidEntry withEcx(int v) {
    return new CpuidEntry(function, index, flags, eax, ebx, v, edx);
  }

  public CpuidEntry withEdx(int v) {
    return new CpuidEntry(function, index, flags, eax, ebx, ecx, v);
  }
}
