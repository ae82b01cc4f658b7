package dev.carapace.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.carapace.runtime.kernel.KernelFormatException.Reason;
import dev.carapace.runtime.kernel.TestKernels.BzOptions;
import dev.carapace.runtime.kernel.TestKernels.Segment;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class VmlinuxExtractorTest {
  private static final byte[] VMLINUX = TestKernels.smallVmlinux();
  private final VmlinuxExtractor extractor = new VmlinuxExtractor();

  static Stream<Arguments> javaEncoders() {
    return Stream.of(
        Arguments.of(Compression.GZIP, (UnaryOperator<byte[]>) Compressors::gzip),
        Arguments.of(Compression.XZ, (UnaryOperator<byte[]>) Compressors::xz),
        Arguments.of(Compression.ZSTD, (UnaryOperator<byte[]>) Compressors::zstd),
        Arguments.of(Compression.LZ4_LEGACY, (UnaryOperator<byte[]>) Compressors::lz4Legacy));
  }

  /** The kernel build's compression commands (scripts/Makefile.lib). */
  static Stream<Arguments> kernelBuildTools() {
    return Stream.of(
        Arguments.of(Compression.GZIP, new String[] {"gzip", "-n", "-f", "-9"}),
        Arguments.of(Compression.XZ,
            new String[] {"xz", "--check=crc32", "--x86", "--lzma2=,dict=32MiB"}),
        Arguments.of(Compression.ZSTD, new String[] {"zstd", "-22", "--ultra", "-c"}),
        Arguments.of(Compression.LZ4_LEGACY,
            new String[] {"lz4", "-l", "-12", "--favor-decSpeed", "-c"}));
  }

  @ParameterizedTest
  @MethodSource("javaEncoders")
  void extractWhenPayloadCompressedThenOriginalElfBack(Compression c, UnaryOperator<byte[]> enc)
      throws Exception {
    BzImage bz = bzImageAround(enc.apply(VMLINUX), c);

    VmlinuxExtractor.Extraction x = extractor.extract(bz, VmlinuxExtractor.Progress.NONE);

    assertThat(x.compression()).isEqualTo(c);
    assertThat(bytes(x.vmlinux())).isEqualTo(VMLINUX);
    assertThat(x.vmlinux().physicalEntryPoint()).isEqualTo(0x1000000);
  }

  @ParameterizedTest
  @MethodSource("kernelBuildTools")
  void extractWhenCompressedByTheKernelBuildsToolThenOriginalElfBack(Compression c,
      String[] command) throws Exception {
    Optional<byte[]> compressed = Compressors.tool(VMLINUX, command);
    assumeTrue(compressed.isPresent(), command[0] + " is not installed; skipping");

    VmlinuxExtractor.Extraction x = extractor.extract(bzImageAround(compressed.get(), c),
        VmlinuxExtractor.Progress.NONE);

    assertThat(x.compression()).isEqualTo(c);
    assertThat(bytes(x.vmlinux())).isEqualTo(VMLINUX);
  }

  @Test
  void extractWhenLz4PayloadSpansSeveralBlocksThenAllDecodedAndProgressReported()
      throws Exception {
    byte[] big = TestKernels.elf(0x1000000, List.of(
        new Segment(0xffffffff81000000L, 0x1000000, TestKernels.pattern(9 << 20, 3), 0)));
    List<Long> progress = new ArrayList<>();

    VmlinuxExtractor.Extraction x = extractor.extract(
        bzImageAround(Compressors.lz4Legacy(big), Compression.LZ4_LEGACY, big.length),
        progress::add);

    assertThat(bytes(x.vmlinux())).isEqualTo(big);
    assertThat(progress).isNotEmpty().isSorted().allSatisfy(p -> assertThat(p).isPositive());
  }

  @ParameterizedTest
  @MethodSource("javaEncoders")
  void extractWhenHeaderHasNoPayloadFieldsThenFoundByMagic(Compression c,
      UnaryOperator<byte[]> enc) throws Exception {
    BzOptions o = new BzOptions();
    o.payloadFields = false;
    byte[] payload = c == Compression.GZIP ? enc.apply(VMLINUX)
        : TestKernels.withSize(enc.apply(VMLINUX), VMLINUX.length);
    BzImage bz = BzImage.parse(TestKernels.bzImage(payload, o));

    VmlinuxExtractor.Extraction x = extractor.extract(bz, VmlinuxExtractor.Progress.NONE);

    assertThat(x.compression()).isEqualTo(c);
    assertThat(bytes(x.vmlinux())).isEqualTo(VMLINUX);
  }

  @Test
  void extractWhenBzip2LzmaOrLzoThenUnsupportedCompression() throws Exception {
    for (byte[] magic : List.of(new byte[] {'B', 'Z', 'h', '9'},
        new byte[] {0x5d, 0, 0, 0, 1}, new byte[] {(byte) 0x89, 'L', 'Z', 'O'})) {
      byte[] payload = TestKernels.withSize(concat(magic, new byte[200]), 1000);
      BzImage bz = BzImage.parse(TestKernels.bzImage(payload, new BzOptions()));
      assertThatThrownBy(() -> extractor.extract(bz, VmlinuxExtractor.Progress.NONE))
          .isInstanceOfSatisfying(KernelFormatException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_COMPRESSION));
    }
  }

  @Test
  void extractWhenTrailerDisagreesWithOutputThenCorruptPayload() throws Exception {
    byte[] payload = TestKernels.withSize(Compressors.zstd(VMLINUX), VMLINUX.length - 1);
    assertReason(payload, Reason.CORRUPT_PAYLOAD);
    byte[] longer = TestKernels.withSize(Compressors.lz4Legacy(VMLINUX), VMLINUX.length + 1);
    assertReason(longer, Reason.CORRUPT_PAYLOAD);
  }

  @ParameterizedTest
  @MethodSource("javaEncoders")
  void extractWhenPayloadBytesFlippedThenCorruptPayloadOrNotElf(Compression c,
      UnaryOperator<byte[]> enc) throws Exception {
    byte[] payload = enc.apply(VMLINUX);
    if (c != Compression.GZIP) {
      payload = TestKernels.withSize(payload, VMLINUX.length);
    }
    for (int at = 8; at < payload.length - 8; at += Math.max(1, payload.length / 23)) {
      byte[] bad = payload.clone();
      bad[at] ^= 0x5a;
      BzImage bz = BzImage.parse(TestKernels.bzImage(bad, new BzOptions()));
      try {
        extractor.extract(bz, VmlinuxExtractor.Progress.NONE);
      } catch (KernelFormatException e) {
        assertThat(e.reason()).as("flip at %d", at)
            .isIn(Reason.CORRUPT_PAYLOAD, Reason.PAYLOAD_NOT_ELF);
      }
    }
  }

  @Test
  void extractWhenTrailerDeclaresMoreThanTheLimitThenPayloadTooLarge() throws Exception {
    byte[] payload = TestKernels.withSize(Compressors.xz(VMLINUX), VMLINUX.length);
    BzImage bz = BzImage.parse(TestKernels.bzImage(payload, new BzOptions()));

    assertThatThrownBy(() -> new VmlinuxExtractor(VMLINUX.length - 1)
        .extract(bz, VmlinuxExtractor.Progress.NONE))
        .isInstanceOfSatisfying(KernelFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE));
  }

  @Test
  void extractWhenPayloadIsNotAnElfThenPayloadNotElf() throws Exception {
    byte[] notElf = TestKernels.pattern(50_000, 4);
    assertReason(Compressors.gzip(notElf), Reason.PAYLOAD_NOT_ELF);
  }

  @Test
  void extractWhenNoPayloadFieldsAndNoMagicThenNoPayload() throws Exception {
    BzOptions o = new BzOptions();
    o.payloadFields = false;
    BzImage bz = BzImage.parse(TestKernels.bzImage(new byte[100], o));

    assertThatThrownBy(() -> extractor.extract(bz, VmlinuxExtractor.Progress.NONE))
        .isInstanceOfSatisfying(KernelFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NO_PAYLOAD));
  }

  private void assertReason(byte[] payload, Reason reason) throws Exception {
    BzImage bz = BzImage.parse(TestKernels.bzImage(payload, new BzOptions()));
    assertThatThrownBy(() -> extractor.extract(bz, VmlinuxExtractor.Progress.NONE))
        .isInstanceOfSatisfying(KernelFormatException.class,
            e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static BzImage bzImageAround(byte[] compressed, Compression c) throws KernelFormatException {
    return bzImageAround(compressed, c, VMLINUX.length);
  }

  static BzImage bzImageAround(byte[] compressed, Compression c, int size)
      throws KernelFormatException {
    byte[] payload = c == Compression.GZIP ? compressed : TestKernels.withSize(compressed, size);
    return BzImage.parse(TestKernels.bzImage(payload, new BzOptions()));
  }

  static byte[] bytes(ElfKernel k) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    k.writeFileTo(out);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
