package dev.carapace.runtime.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds small synthetic kernel images for tests: ELF64 x86-64 executables with chosen PT_LOAD
 * segments, and bzImages (boot sector, setup header, protected-mode part) around a payload.
 */
public final class TestKernels {
  private TestKernels() {}

  /** A PT_LOAD segment to build: file bytes at a physical and virtual address, plus bss. */
  public record Segment(long vaddr, long paddr, byte[] data, long bss) {}

  /** An ELF whose segments' data follows the headers, page aligned. */
  public static byte[] elf(long entry, List<Segment> segments) {
    int phoff = 64;
    int dataStart = 4096;
    ByteBuffer b = ByteBuffer.allocate(dataStart
        + segments.stream().mapToInt(s -> (s.data().length + 4095) & -4096).sum())
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1, 0});
    b.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1).putLong(24, entry)
        .putLong(32, phoff).putLong(40, 0).putShort(52, (short) 64).putShort(54, (short) 56)
        .putShort(56, (short) (segments.size() + 1));
    int off = dataStart;
    int at = phoff;
    for (Segment s : segments) {
      b.putInt(at, 1).putInt(at + 4, 5).putLong(at + 8, off).putLong(at + 16, s.vaddr())
          .putLong(at + 24, s.paddr()).putLong(at + 32, s.data().length)
          .putLong(at + 40, s.data().length + s.bss()).putLong(at + 48, 0x200000);
      b.put(off, s.data());
      off += (s.data().length + 4095) & -4096;
      at += 56;
    }
    b.putInt(at, 4); // a PT_NOTE, which loaders skip
    return b.array();
  }

  /** A two-segment vmlinux at 16 MiB (text, data+bss) with a Linux-like virtual layout. */
  public static byte[] smallVmlinux() {
    List<Segment> segments = new ArrayList<>();
    segments.add(new Segment(0xffffffff81000000L, 0x1000000, pattern(40_000, 1), 0));
    segments.add(new Segment(0xffffffff81200000L, 0x1200000, pattern(10_000, 7), 0x3000));
    return elf(0x1000000, segments);
  }

  /** Deterministic non-trivial bytes. */
  public static byte[] pattern(int n, int seed) {
    byte[] out = new byte[n];
    int x = seed | 1;
    for (int i = 0; i < n; i++) {
      x = x * 1103515245 + 12345;
      out[i] = (byte) ((i & 0x3f) == 0 ? x >>> 16 : i * seed);
    }
    return out;
  }

  /** Options for a synthetic bzImage. */
  public static final class BzOptions {
    public int version = 0x020f;
    public int setupSects = 3;
    public int loadflags = 0x01;
    public int xloadflags = 0x03;
    public long prefAddress = 0x1000000;
    public long initSize = 0x400000;
    public long cmdlineSize = 2047;
    public long kernelAlignment = 0x200000;
    public long initrdAddrMax = 0x7fffffff;
    public boolean payloadFields = true;
    /** Bytes before the payload inside the protected-mode part (a stand-in decompressor). */
    public int payloadOffset = 0x300;
  }

  /** A bzImage whose protected-mode part carries {@code payload} at the chosen offset. */
  public static byte[] bzImage(byte[] payload, BzOptions o) {
    int setup = (o.setupSects + 1) * 512;
    ByteArrayOutputStream pm = new ByteArrayOutputStream();
    pm.writeBytes(pattern(o.payloadOffset, 3));
    pm.writeBytes(payload);
    while (pm.size() % 16 != 0) {
      pm.write(0);
    }
    byte[] pmBytes = pm.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(setup + pmBytes.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0x1f1, (byte) o.setupSects);
    b.putInt(0x1f4, pmBytes.length / 16);
    b.putShort(0x1fe, (short) 0xaa55);
    b.put(0x200, (byte) 0xeb).put(0x201, (byte) 0x6a); // jmp: header ends at 0x26c
    b.putInt(0x202, 0x53726448).putShort(0x206, (short) o.version);
    b.put(0x211, (byte) o.loadflags).putInt(0x214, 0x100000);
    b.putInt(0x22c, (int) o.initrdAddrMax).putInt(0x230, (int) o.kernelAlignment);
    b.put(0x234, (byte) 1).put(0x235, (byte) 21).putShort(0x236, (short) o.xloadflags);
    b.putInt(0x238, (int) o.cmdlineSize);
    if (o.payloadFields) {
      b.putInt(0x248, o.payloadOffset).putInt(0x24c, payload.length);
    }
    b.putLong(0x258, o.prefAddress).putInt(0x260, (int) o.initSize);
    b.put(setup, pmBytes);
    return b.array();
  }

  /** Appends the little-endian u32 {@code size}, as the kernel build's size_append does. */
  public static byte[] withSize(byte[] compressed, int size) {
    byte[] out = java.util.Arrays.copyOf(compressed, compressed.length + 4);
    ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(compressed.length, size);
    return out;
  }
}
