package dev.carapace.runtime.kvm;

/** KVM capabilities the VMM checks with {@code KVM_CHECK_EXTENSION} ({@code KVM_CAP_*}). */
public enum KvmCapability {
  IRQCHIP(0),
  HLT(1),
  USER_MEMORY(3),
  SET_TSS_ADDR(4),
  EXT_CPUID(7),
  NR_VCPUS(9),
  PIT2(33),
  SET_IDENTITY_MAP_ADDR(37),
  MAX_VCPUS(66),
  TSC_DEADLINE_TIMER(72),
  IMMEDIATE_EXIT(136),
  USER_MEMORY2(231),
  MEMORY_ATTRIBUTES(233),
  GUEST_MEMFD(234);

  private final int number;

  KvmCapability(int number) {
    this.number = number;
  }

  /** The {@code KVM_CAP_*} number. */
  public int number() {
    return number;
  }
}
