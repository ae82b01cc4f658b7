package dev.carapace.runtime.kvm;

import dev.carapace.runtime.boot.SegmentRegister;
import java.util.Objects;

/**
 * The special registers of a vCPU ({@code struct kvm_sregs} without the pending-interrupt
 * bitmap, which {@link VcpuFd#setSpecialRegisters} preserves).
 */
public record SpecialRegisters(
    SegmentRegister cs, SegmentRegister ds, SegmentRegister es, SegmentRegister fs,
    SegmentRegister gs, SegmentRegister ss, SegmentRegister tr, SegmentRegister ldt,
    long gdtBase, int gdtLimit, long idtBase, int idtLimit,
    long cr0, long cr2, long cr3, long cr4, long cr8, long efer, long apicBase) {

  public static final long CR0_PE = 1;
  public static final long CR0_ET = 1L << 4;
  public static final long CR0_PG = 1L << 31;
  public static final long CR4_PAE = 1L << 5;
  public static final long EFER_LME = 1L << 8;
  public static final long EFER_LMA = 1L << 10;

  public SpecialRegisters {
    Objects.requireNonNull(cs, "cs");
    Objects.requireNonNull(ds, "ds");
    Objects.requireNonNull(es, "es");
    Objects.requireNonNull(fs, "fs");
    Objects.requireNonNull(gs, "gs");
    Objects.requireNonNull(ss, "ss");
    Objects.requireNonNull(tr, "tr");
    Objects.requireNonNull(ldt, "ldt");
  }

  /** A copy with code segment {@code code} and all data segments (DS, ES, FS, GS, SS) {@code data}. */
  public SpecialRegisters withSegments(SegmentRegister code, SegmentRegister data) {
    return new SpecialRegisters(code, data, data, data, data, data, tr, ldt, gdtBase, gdtLimit,
        idtBase, idtLimit, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
  }

  /** A copy with the given task register. */
  public SpecialRegisters withTaskRegister(SegmentRegister taskRegister) {
    return new SpecialRegisters(cs, ds, es, fs, gs, ss, taskRegister, ldt, gdtBase, gdtLimit,
        idtBase, idtLimit, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
  }

  /** A copy with the given descriptor tables. */
  public SpecialRegisters withTables(long gdtBase, int gdtLimit, long idtBase, int idtLimit) {
    return new SpecialRegisters(cs, ds, es, fs, gs, ss, tr, ldt, gdtBase, gdtLimit, idtBase,
        idtLimit, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
  }

  /** A copy with the given control registers and EFER. */
  public SpecialRegisters withControl(long cr0, long cr3, long cr4, long efer) {
    return new SpecialRegisters(cs, ds, es, fs, gs, ss, tr, ldt, gdtBase, gdtLimit, idtBase,
        idtLimit, cr0, cr2, cr3, cr4, cr8, efer, apicBase);
  }
}
