package dev.carapace.runtime.vmm;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;

/**
 * Guest code to copy to {@code address} and start on vCPU 0 with the given instruction pointer,
 * stack pointer and CPU mode. For tests, benchmarks and firmware-less payloads; Linux boots through
 * {@link MicroVm#load(dev.carapace.runtime.boot.BootSetup)}.
 */
public record RawPayload(long address, Bytes code, long entryPoint, long stackPointer,
    CpuMode mode) {

  /** The mode vCPU 0 starts in. */
  public enum CpuMode {
    /** 16-bit real mode, all segment bases 0 (so {@code entryPoint} is a physical address < 64 KiB). */
    REAL,
    /**
     * 32-bit protected mode with flat 4 GiB code and data segments, no paging, and an empty IDT
     * (any exception becomes a triple fault).
     */
    FLAT_PROTECTED
  }

  public RawPayload {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(mode, "mode");
  }

  /** Code at {@code address}, entered at its first byte. */
  public static RawPayload at(long address, Bytes code, CpuMode mode) {
    return new RawPayload(address, code, address, 0, mode);
  }
}
