package dev.carapace.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.runtime.kernel.KernelFormatException.Reason;
import dev.carapace.runtime.kernel.TestKernels.Segment;
import dev.carapace.runtime.memory.HeapGuestMemory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ElfKernelTest {
  @Test
  void parseWhenLinuxLikeVmlinuxThenSegmentsAndPhysicalEntry() throws Exception {
    ElfKernel k = ElfKernel.parse(TestKernels.smallVmlinux());

    assertThat(k.segments()).hasSize(2);
    assertThat(k.segments().get(0).physicalAddress()).isEqualTo(0x1000000);
    assertThat(k.segments().get(1).memorySize()).isEqualTo(10_000 + 0x3000);
    assertThat(k.physicalEntryPoint()).isEqualTo(0x1000000);
    assertThat(k.physicalStart()).isEqualTo(0x1000000);
    assertThat(k.physicalEnd()).isEqualTo(0x1200000 + 10_000 + 0x3000);
  }

  @Test
  void parseWhenEntryIsVirtualThenTranslatedToPhysical() throws Exception {
    byte[] elf = TestKernels.elf(0xffffffff81000100L, List.of(
        new Segment(0xffffffff81000000L, 0x2000000, TestKernels.pattern(4096, 2), 0)));

    assertThat(ElfKernel.parse(elf).physicalEntryPoint()).isEqualTo(0x2000100);
  }

  @Test
  void writeSegmentWhenLoadedThenBytesAtPhysicalAddress() throws Exception {
    byte[] data = TestKernels.pattern(5000, 9);
    ElfKernel k = ElfKernel.parse(TestKernels.elf(0x200000, List.of(
        new Segment(0x200000, 0x200000, data, 0))));
    HeapGuestMemory memory = new HeapGuestMemory(4 << 20);

    k.writeSegment(k.segments().get(0), memory);

    assertThat(memory.read(0x200000, data.length)).isEqualTo(data);
  }

  @Test
  void parseWhenEntryOutsideSegmentsThenBadEntryPoint() {
    byte[] elf = TestKernels.elf(0x5000000, List.of(
        new Segment(0x1000000, 0x1000000, new byte[100], 0)));

    assertThatThrownBy(() -> ElfKernel.parse(elf)).isInstanceOfSatisfying(
        KernelFormatException.class, e -> assertThat(e.reason()).isEqualTo(Reason.BAD_ENTRY_POINT));
  }

  @Test
  void parseWhenHeaderFieldsWrongThenReasonNamesTheRule() {
    assertReason(patch(TestKernels.smallVmlinux(), 4, (byte) 1), Reason.UNSUPPORTED_ELF);
    assertReason(patch(TestKernels.smallVmlinux(), 5, (byte) 2), Reason.UNSUPPORTED_ELF);
    assertReason(patch(TestKernels.smallVmlinux(), 18, (byte) 40), Reason.UNSUPPORTED_ELF);
    assertReason(patch(TestKernels.smallVmlinux(), 16, (byte) 3), Reason.UNSUPPORTED_ELF);
    assertReason(patch(TestKernels.smallVmlinux(), 54, (byte) 32), Reason.MALFORMED_ELF);
  }

  @Test
  void parseWhenSegmentInconsistentThenMalformedOrTruncated() {
    byte[] base = TestKernels.smallVmlinux();
    // p_filesz of segment 0 past the end of the file.
    assertReason(putLong(base, 64 + 32, 1L << 40), Reason.TRUNCATED);
    // p_memsz < p_filesz.
    assertReason(putLong(base, 64 + 40, 10), Reason.MALFORMED_ELF);
    // Physical range beyond 2^52.
    assertReason(putLong(base, 64 + 24, 1L << 52), Reason.MALFORMED_ELF);
    // Segment 1 moved onto segment 0.
    assertReason(putLong(base, 64 + 56 + 24, 0x1000100), Reason.MALFORMED_ELF);
    // Program headers past the end.
    assertReason(putLong(base, 32, base.length - 10), Reason.TRUNCATED);
  }

  @Test
  void parseWhenNoLoadSegmentThenMalformed() {
    byte[] elf = TestKernels.smallVmlinux();
    ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN).putInt(64, 6).putInt(64 + 56, 6);

    assertReason(elf, Reason.MALFORMED_ELF);
  }

  @Test
  void parseWhenAnyPrefixOfTheHeadersThenCheckedException() {
    byte[] elf = TestKernels.smallVmlinux();
    for (int n = 0; n < 4096 + 100; n += (n < 300 ? 1 : 97)) {
      byte[] prefix = Arrays.copyOf(elf, n);
      assertThatThrownBy(() -> KernelImage.parse(prefix)).as("prefix %d", n)
          .isInstanceOf(KernelFormatException.class);
    }
  }

  @Test
  void parseWhenNeitherElfNorBzImageThenUnknownFormat() {
    assertReason(new byte[4096], Reason.UNKNOWN_FORMAT);
  }

  static byte[] patch(byte[] b, int at, byte v) {
    byte[] c = b.clone();
    c[at] = v;
    return c;
  }

  static byte[] putLong(byte[] b, int at, long v) {
    byte[] c = b.clone();
    ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    return c;
  }

  static void assertReason(byte[] image, Reason reason) {
    assertThatThrownBy(() -> KernelImage.parse(image)).isInstanceOfSatisfying(
        KernelFormatException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
