package dev.carapace.runtime.boot;

/**
 * The register state the boot vCPU starts with (64-bit Linux boot protocol: paging on, long mode,
 * RSI pointing at the zero page). Application processors start in the state KVM gives them and
 * wait for INIT/SIPI from the boot vCPU.
 */
public record BootCpuState(
    long rip, long rsp, long rbp, long rsi, long rflags,
    long cr0, long cr3, long cr4, long efer,
    SegmentRegister code, SegmentRegister data, SegmentRegister taskRegister,
    long gdtBase, int gdtLimit, long idtBase, int idtLimit) {}
