package dev.carapace.runtime.kernel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Runnable vmlinux-shaped ELF "kernels" for VMM tests: a few bytes of 64-bit code at physical
 * 1 MiB, entered by the Linux direct boot in long mode. They write to COM1 and then reset the
 * machine, halt forever (interrupts are off at entry) or triple-fault.
 */
public final class TinyKernels {
  /** Where the code is loaded and entered. */
  public static final long ENTRY = 0x10_0000;

  private TinyKernels() {}

  /** Prints {@code text} on COM1, then resets through the i8042 (0xfe to port 0x64). */
  public static byte[] printThenReset(String text) {
    return elf(print(text).append(0xb0, 0xfe, 0xe6, 0x64, 0xf4, 0xeb, 0xfd));
  }

  /** Prints {@code text} on COM1, then halts with interrupts off (runs until stopped). */
  public static byte[] printThenHalt(String text) {
    return elf(print(text).append(0xf4, 0xeb, 0xfd));
  }

  /** Prints {@code text} on COM1, then executes UD2 with no IDT: a triple fault. */
  public static byte[] printThenTripleFault(String text) {
    return elf(print(text).append(0x0f, 0x0b));
  }

  private static Code print(String text) {
    Code c = new Code().append(0x66, 0xba, 0xf8, 0x03); // mov dx, 0x3f8
    for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
      c.append(0xb0, b & 0xff, 0xee); // mov al, b; out dx, al
    }
    return c;
  }

  private static byte[] elf(Code code) {
    return TestKernels.elf(ENTRY,
        List.of(new TestKernels.Segment(ENTRY, ENTRY, code.out.toByteArray(), 0)));
  }

  private static final class Code {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Code append(int... bytes) {
      for (int b : bytes) {
        out.write(b);
      }
      return this;
    }
  }
}
