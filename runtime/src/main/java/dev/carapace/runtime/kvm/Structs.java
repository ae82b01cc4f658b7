package dev.carapace.runtime.kvm;

import com.sun.jna.Pointer;
import dev.carapace.runtime.boot.SegmentRegister;
import java.util.ArrayList;
import java.util.List;

/** Encoding and decoding of the KVM structs at the offsets in {@link KvmStructs}. */
final class Structs {
  private Structs() {}

  static List<CpuidEntry> readCpuid(Pointer buf) {
    int n = buf.getInt(KvmStructs.CPUID2_NENT);
    List<CpuidEntry> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long o = KvmStructs.CPUID2_HEADER_SIZE + (long) i * KvmStructs.CPUID_ENTRY_SIZE;
      out.add(new CpuidEntry(
          buf.getInt(o + KvmStructs.CPUID_ENTRY_FUNCTION),
          buf.getInt(o + KvmStructs.CPUID_ENTRY_INDEX),
          buf.getInt(o + KvmStructs.CPUID_ENTRY_FLAGS),
          buf.getInt(o + KvmStructs.CPUID_ENTRY_EAX),
          buf.getInt(o + KvmStructs.CPUID_ENTRY_EBX),
          buf.getInt(o + KvmStructs.CPUID_ENTRY_ECX),
          buf.getInt(o + KvmStructs.CPUID_ENTRY_EDX)));
    }
    return out;
  }

  static void writeCpuid(Pointer buf, List<CpuidEntry> entries) {
    buf.setInt(KvmStructs.CPUID2_NENT, entries.size());
    buf.setInt(KvmStructs.CPUID2_NENT + 4, 0);
    for (int i = 0; i < entries.size(); i++) {
      CpuidEntry e = entries.get(i);
      long o = KvmStructs.CPUID2_HEADER_SIZE + (long) i * KvmStructs.CPUID_ENTRY_SIZE;
      buf.setInt(o + KvmStructs.CPUID_ENTRY_FUNCTION, e.function());
      buf.setInt(o + KvmStructs.CPUID_ENTRY_INDEX, e.index());
      buf.setInt(o + KvmStructs.CPUID_ENTRY_FLAGS, e.flags());
      buf.setInt(o + KvmStructs.CPUID_ENTRY_EAX, e.eax());
      buf.setInt(o + KvmStructs.CPUID_ENTRY_EBX, e.ebx());
      buf.setInt(o + KvmStructs.CPUID_ENTRY_ECX, e.ecx());
      buf.setInt(o + KvmStructs.CPUID_ENTRY_EDX, e.edx());
      buf.setInt(o + KvmStructs.CPUID_ENTRY_EDX + 4, 0);
      buf.setLong(o + KvmStructs.CPUID_ENTRY_EDX + 8, 0);
    }
  }

  static void writeMsrs(Pointer buf, List<MsrEntry> entries) {
    buf.setInt(KvmStructs.MSRS_NMSRS, entries.size());
    buf.setInt(KvmStructs.MSRS_NMSRS + 4, 0);
    for (int i = 0; i < entries.size(); i++) {
      long o = KvmStructs.MSRS_HEADER_SIZE + (long) i * KvmStructs.MSR_ENTRY_SIZE;
      buf.setInt(o + KvmStructs.MSR_ENTRY_INDEX, entries.get(i).index());
      buf.setInt(o + KvmStructs.MSR_ENTRY_INDEX + 4, 0);
      buf.setLong(o + KvmStructs.MSR_ENTRY_DATA, entries.get(i).value());
    }
  }

  static GeneralRegisters readRegs(Pointer b) {
    long[] r = b.getLongArray(0, 18);
    return new GeneralRegisters(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9],
        r[10], r[11], r[12], r[13], r[14], r[15], r[16], r[17]);
  }

  static void writeRegs(Pointer b, GeneralRegisters g) {
    long[] r = {g.rax(), g.rbx(), g.rcx(), g.rdx(), g.rsi(), g.rdi(), g.rsp(), g.rbp(), g.r8(),
        g.r9(), g.r10(), g.r11(), g.r12(), g.r13(), g.r14(), g.r15(), g.rip(), g.rflags()};
    b.write(0, r, 0, r.length);
  }

  static SegmentRegister readSegment(Pointer b, long o) {
    return new SegmentRegister(
        b.getLong(o + KvmStructs.SEGMENT_BASE),
        b.getInt(o + KvmStructs.SEGMENT_LIMIT),
        b.getShort(o + KvmStructs.SEGMENT_SELECTOR) & 0xffff,
        b.getByte(o + KvmStructs.SEGMENT_TYPE) & 0xff,
        b.getByte(o + KvmStructs.SEGMENT_PRESENT) != 0,
        b.getByte(o + KvmStructs.SEGMENT_DPL) & 0xff,
        b.getByte(o + KvmStructs.SEGMENT_DB) != 0,
        b.getByte(o + KvmStructs.SEGMENT_S) != 0,
        b.getByte(o + KvmStructs.SEGMENT_L) != 0,
        b.getByte(o + KvmStructs.SEGMENT_G) != 0,
        b.getByte(o + KvmStructs.SEGMENT_AVL) != 0,
        b.getByte(o + KvmStructs.SEGMENT_UNUSABLE) != 0);
  }

  static void writeSegment(Pointer b, long o, SegmentRegister s) {
    b.setLong(o + KvmStructs.SEGMENT_BASE, s.base());
    b.setInt(o + KvmStructs.SEGMENT_LIMIT, s.limit());
    b.setShort(o + KvmStructs.SEGMENT_SELECTOR, (short) s.selector());
    b.setByte(o + KvmStructs.SEGMENT_TYPE, (byte) s.type());
    b.setByte(o + KvmStructs.SEGMENT_PRESENT, flag(s.present()));
    b.setByte(o + KvmStructs.SEGMENT_DPL, (byte) s.dpl());
    b.setByte(o + KvmStructs.SEGMENT_DB, flag(s.db()));
    b.setByte(o + KvmStructs.SEGMENT_S, flag(s.system()));
    b.setByte(o + KvmStructs.SEGMENT_L, flag(s.longMode()));
    b.setByte(o + KvmStructs.SEGMENT_G, flag(s.granularity()));
    b.setByte(o + KvmStructs.SEGMENT_AVL, flag(s.available()));
    b.setByte(o + KvmStructs.SEGMENT_UNUSABLE, flag(s.unusable()));
    b.setByte(o + KvmStructs.SEGMENT_UNUSABLE + 1, (byte) 0);
  }

  private static byte flag(boolean b) {
    return b ? (byte) 1 : (byte) 0;
  }

  static SpecialRegisters readSregs(Pointer b) {
    return new SpecialRegisters(
        readSegment(b, KvmStructs.SREGS_CS), readSegment(b, KvmStructs.SREGS_DS),
        readSegment(b, KvmStructs.SREGS_ES), readSegment(b, KvmStructs.SREGS_FS),
        readSegment(b, KvmStructs.SREGS_GS), readSegment(b, KvmStructs.SREGS_SS),
        readSegment(b, KvmStructs.SREGS_TR), readSegment(b, KvmStructs.SREGS_LDT),
        b.getLong(KvmStructs.SREGS_GDT + KvmStructs.DTABLE_BASE),
        b.getShort(KvmStructs.SREGS_GDT + KvmStructs.DTABLE_LIMIT) & 0xffff,
        b.getLong(KvmStructs.SREGS_IDT + KvmStructs.DTABLE_BASE),
        b.getShort(KvmStructs.SREGS_IDT + KvmStructs.DTABLE_LIMIT) & 0xffff,
        b.getLong(KvmStructs.SREGS_CR0), b.getLong(KvmStructs.SREGS_CR2),
        b.getLong(KvmStructs.SREGS_CR3), b.getLong(KvmStructs.SREGS_CR4),
        b.getLong(KvmStructs.SREGS_CR8), b.getLong(KvmStructs.SREGS_EFER),
        b.getLong(KvmStructs.SREGS_APIC_BASE));
  }

  /** Writes every field except the interrupt bitmap, which stays as the buffer holds it. */
  static void writeSregs(Pointer b, SpecialRegisters s) {
    writeSegment(b, KvmStructs.SREGS_CS, s.cs());
    writeSegment(b, KvmStructs.SREGS_DS, s.ds());
    writeSegment(b, KvmStructs.SREGS_ES, s.es());
    writeSegment(b, KvmStructs.SREGS_FS, s.fs());
    writeSegment(b, KvmStructs.SREGS_GS, s.gs());
    writeSegment(b, KvmStructs.SREGS_SS, s.ss());
    writeSegment(b, KvmStructs.SREGS_TR, s.tr());
    writeSegment(b, KvmStructs.SREGS_LDT, s.ldt());
    b.setLong(KvmStructs.SREGS_GDT + KvmStructs.DTABLE_BASE, s.gdtBase());
    b.setShort(KvmStructs.SREGS_GDT + KvmStructs.DTABLE_LIMIT, (short) s.gdtLimit());
    b.setLong(KvmStructs.SREGS_IDT + KvmStructs.DTABLE_BASE, s.idtBase());
    b.setShort(KvmStructs.SREGS_IDT + KvmStructs.DTABLE_LIMIT, (short) s.idtLimit());
    b.setLong(KvmStructs.SREGS_CR0, s.cr0());
    b.setLong(KvmStructs.SREGS_CR2, s.cr2());
    b.setLong(KvmStructs.SREGS_CR3, s.cr3());
    b.setLong(KvmStructs.SREGS_CR4, s.cr4());
    b.setLong(KvmStructs.SREGS_CR8, s.cr8());
    b.setLong(KvmStructs.SREGS_EFER, s.efer());
    b.setLong(KvmStructs.SREGS_APIC_BASE, s.apicBase());
  }

  /** Sets the delivery mode (bits 10:8) of a LAPIC LVT register in a {@code kvm_lapic_state}. */
  static void setLvtDeliveryMode(Pointer lapic, int register, int mode) {
    int value = lapic.getInt(register);
    lapic.setInt(register, (value & ~0x700) | ((mode & 0x7) << 8));
  }
}
