package dev.carapace.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** Minimal kernel images for command tests, and the Debian kernel when it has been fetched. */
final class TestImages {
  private TestImages() {}

  /** A one-segment x86-64 vmlinux: 20 000 bytes at physical 16 MiB, entry there. */
  static byte[] vmlinux() {
    ByteBuffer b = ByteBuffer.allocate(4096 + 20_000).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
    b.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1).putLong(24, 0x1000000)
        .putLong(32, 64).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
    b.putInt(64, 1).putInt(68, 5).putLong(72, 4096).putLong(80, 0xffffffff81000000L)
        .putLong(88, 0x1000000).putLong(96, 20_000).putLong(104, 20_000);
    for (int i = 0; i < 20_000; i++) {
      b.put(4096 + i, (byte) (i * 7 + (i >> 8)));
    }
    return b.array();
  }

  /** A boot protocol 2.15 bzImage whose payload is {@code vmlinux} gzip-compressed. */
  static byte[] bzImage(byte[] vmlinux) {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
      z.write(vmlinux);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] payload = gz.toByteArray();
    int setup = 4 * 512;
    int pm = (0x100 + payload.length + 15) & -16;
    ByteBuffer b = ByteBuffer.allocate(setup + pm).order(ByteOrder.LITTLE_ENDIAN);
    b.put(0x1f1, (byte) 3).putInt(0x1f4, pm / 16).putShort(0x1fe, (short) 0xaa55);
    b.put(0x201, (byte) 0x6a).putInt(0x202, 0x53726448).putShort(0x206, (short) 0x020f);
    b.put(0x211, (byte) 1).putInt(0x22c, 0x7fffffff).putInt(0x230, 0x200000).put(0x234, (byte) 1)
        .putShort(0x236, (short) 3).putInt(0x238, 2047).putInt(0x248, 0x100)
        .putInt(0x24c, payload.length).putLong(0x258, 0x1000000).putInt(0x260, 0x400000);
    b.put(setup + 0x100, payload);
    return b.array();
  }

  /** Debian's cloud kernel as runtime/scripts/fetch-debian-kernel.sh leaves it, if present. */
  static Optional<Path> debianKernel() {
    String dir = System.getenv("CARAPACE_KERNEL_DIR");
    Path base = dir != null ? Path.of(dir)
        : Path.of(System.getProperty("user.home"), ".cache", "carapace", "kernel");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    try (Stream<Path> s = Files.list(base)) {
      return s.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
          .max(Comparator.naturalOrder());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A runnable vmlinux: 64-bit code at physical 1 MiB that prints {@code text} on COM1 and then
   * resets the machine through the i8042 (0xfe to port 0x64).
   */
  static byte[] printThenReset(String text) {
    ByteArrayOutputStream code = new ByteArrayOutputStream();
    code.writeBytes(new byte[] {0x66, (byte) 0xba, (byte) 0xf8, 0x03}); // mov dx, 0x3f8
    for (byte c : text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)) {
      code.writeBytes(new byte[] {(byte) 0xb0, c, (byte) 0xee}); // mov al, c; out dx, al
    }
    code.writeBytes(new byte[] {(byte) 0xb0, (byte) 0xfe, (byte) 0xe6, 0x64, (byte) 0xf4});
    byte[] text64 = code.toByteArray();
    ByteBuffer b = ByteBuffer.allocate(4096 + text64.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
    b.putShort(16, (short) 2).putShort(18, (short) 62).putInt(20, 1).putLong(24, 0x100000)
        .putLong(32, 64).putShort(52, (short) 64).putShort(54, (short) 56).putShort(56, (short) 1);
    b.putInt(64, 1).putInt(68, 5).putLong(72, 4096).putLong(80, 0x100000)
        .putLong(88, 0x100000).putLong(96, text64.length).putLong(104, text64.length);
    b.put(4096, text64);
    return b.array();
  }

  /** Whether /dev/kvm can be opened (the tests that need it skip otherwise). */
  static boolean kvmUsable() {
    try (dev.carapace.runtime.kvm.Kvm kvm = dev.carapace.runtime.kvm.Kvm.open()) {
      return true;
    } catch (dev.carapace.runtime.kvm.KvmException | RuntimeException | LinkageError e) {
      return false;
    }
  }
}
