package dev.carapace.runtime.boot;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The Intel MultiProcessor Specification 1.4 table Firecracker writes at the EBDA
 * ({@code arch/x86_64/mptable.rs}): a floating pointer "_MP_" followed by a "PCMP" configuration
 * table with one processor entry per vCPU (APIC ids 0..n-1, vCPU 0 the bootstrap processor), an
 * ISA bus, one IOAPIC (APIC id n+1, at {@link BootLayout#IOAPIC}), an interrupt source entry per
 * IOAPIC pin 0..23 (ISA IRQ i to pin i) and two local interrupt entries (ExtINT to LINT0 of
 * APIC 0, NMI to LINT1 of every APIC).
 */
final class MpTable {
  static final int MAX_CPUS = 254;
  static final int FLOATING_POINTER_SIZE = 16;
  static final int HEADER_SIZE = 44;
  static final int PROCESSOR_ENTRY_SIZE = 20;
  static final int ENTRY_SIZE = 8;
  static final int IOAPIC_PINS = 24;
  static final int APIC_VERSION = 0x14;

  private MpTable() {}

  /** Total size in bytes for {@code cpus} processors. */
  static int size(int cpus) {
    return FLOATING_POINTER_SIZE + HEADER_SIZE + PROCESSOR_ENTRY_SIZE * cpus
        + ENTRY_SIZE * (1 + 1 + IOAPIC_PINS + 2);
  }

  /** Number of base-table entries for {@code cpus} processors. */
  static int entryCount(int cpus) {
    return cpus + 1 + 1 + IOAPIC_PINS + 2;
  }

  /** The table for {@code cpus} processors, to be placed at guest address {@code base}. */
  static byte[] build(int cpus, long base) {
    if (cpus < 1 || cpus > MAX_CPUS) {
      throw new IllegalArgumentException("cpus must be 1.." + MAX_CPUS + ", got " + cpus);
    }
    int ioapicId = cpus + 1;
    ByteBuffer b = ByteBuffer.allocate(size(cpus)).order(ByteOrder.LITTLE_ENDIAN);
    // Floating pointer structure.
    b.put("_MP_".getBytes(StandardCharsets.US_ASCII));
    b.putInt((int) (base + FLOATING_POINTER_SIZE)); // physical address of the config table
    b.put((byte) 1); // length in 16-byte units
    b.put((byte) 4); // spec revision 1.4
    b.put((byte) 0); // checksum, below
    b.put(new byte[5]); // feature bytes: 0 = a configuration table is present
    b.put(10, checksum(b.array(), 0, FLOATING_POINTER_SIZE));

    // Configuration table header; length and checksum filled in at the end.
    int table = FLOATING_POINTER_SIZE;
    b.put("PCMP".getBytes(StandardCharsets.US_ASCII));
    b.putShort((short) 0); // base table length
    b.put((byte) 4); // spec revision
    b.put((byte) 0); // checksum
    b.put("FC      ".getBytes(StandardCharsets.US_ASCII)); // OEM id, as Firecracker
    b.put("000000000000".getBytes(StandardCharsets.US_ASCII)); // product id
    b.putInt(0); // OEM table pointer
    b.putShort((short) 0); // OEM table size
    b.putShort((short) entryCount(cpus)); // base entry count (Firecracker leaves it 0)
    b.putInt((int) BootLayout.LOCAL_APIC);
    b.putInt(0); // extended table length + checksum, reserved

    for (int cpu = 0; cpu < cpus; cpu++) {
      b.put((byte) 0); // processor entry
      b.put((byte) cpu); // local APIC id
      b.put((byte) APIC_VERSION);
      b.put((byte) (0x01 | (cpu == 0 ? 0x02 : 0))); // enabled, bootstrap processor
      b.putInt(0x600); // CPU signature: family 6
      b.putInt(0x201); // feature flags: FPU, APIC
      b.putLong(0); // reserved
    }
    b.put((byte) 1).put((byte) 0).put("ISA   ".getBytes(StandardCharsets.US_ASCII)); // bus 0
    b.put((byte) 2).put((byte) ioapicId).put((byte) APIC_VERSION).put((byte) 1) // usable
        .putInt((int) BootLayout.IOAPIC);
    for (int pin = 0; pin < IOAPIC_PINS; pin++) {
      b.put((byte) 3).put((byte) 0).putShort((short) 0) // I/O interrupt, INT, conforming
          .put((byte) 0).put((byte) pin).put((byte) ioapicId).put((byte) pin);
    }
    b.put((byte) 4).put((byte) 3).putShort((short) 0) // local interrupt, ExtINT
        .put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0); // to APIC 0 LINT0
    b.put((byte) 4).put((byte) 1).putShort((short) 0) // local interrupt, NMI
        .put((byte) 0).put((byte) 0).put((byte) 0xff).put((byte) 1); // to all APICs LINT1
    int tableLength = b.position() - table;
    b.putShort(table + 4, (short) tableLength);
    b.put(table + 7, checksum(b.array(), table, tableLength));
    return b.array();
  }

  /** The byte that makes {@code data[from, from+length)} sum to zero modulo 256. */
  private static byte checksum(byte[] data, int from, int length) {
    int sum = 0;
    for (int i = from; i < from + length; i++) {
      sum += data[i];
    }
    return (byte) -sum;
  }
}
