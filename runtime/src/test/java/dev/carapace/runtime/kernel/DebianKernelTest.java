package dev.carapace.runtime.kernel;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Debian's real cloud kernel (linux-image-*-cloud-amd64, bookworm): a boot protocol 2.15 bzImage
 * whose payload is an LZ4 legacy frame. Skipped when the kernel has not been fetched.
 */
class DebianKernelTest {
  private static BzImage bzImage;
  private static byte[] file;

  @BeforeAll
  static void load() throws Exception {
    Path path = DebianKernel.require();
    file = Files.readAllBytes(path);
    bzImage = (BzImage) KernelImage.parse(file);
  }

  @Test
  void parseWhenDebianCloudKernelThenSixtyFourBitRelocatableBzImage() {
    SetupHeader h = bzImage.header();
    assertThat(h.version()).isGreaterThanOrEqualTo(0x020c);
    assertThat(h.xloadflags() & SetupHeader.XLF_KERNEL_64).isNotZero();
    assertThat(h.relocatable()).isTrue();
    assertThat(h.prefAddress()).isEqualTo(0x1000000);
    assertThat(h.initSize()).isGreaterThan(bzImage.protectedModeSize());
    // Debian signs its kernels for Secure Boot: the signature follows the protected-mode kernel.
    assertThat(bzImage.protectedModeOffset() + bzImage.protectedModeSize())
        .isLessThanOrEqualTo(file.length);
  }

  @Test
  void extractWhenDebianCloudKernelThenLz4PayloadYieldsVmlinuxOfTheTrailerSize()
      throws Exception {
    VmlinuxExtractor.Extraction x =
        new VmlinuxExtractor().extract(bzImage, VmlinuxExtractor.Progress.NONE);

    int payloadEnd = bzImage.protectedModeOffset() + (int) bzImage.header().payloadOffset()
        + (int) bzImage.header().payloadLength();
    long trailer = ByteBuffer.wrap(file, payloadEnd - 4, 4).order(ByteOrder.LITTLE_ENDIAN)
        .getInt() & 0xffffffffL;
    assertThat(x.compression()).isEqualTo(Compression.LZ4_LEGACY);
    assertThat((long) x.vmlinux().fileSize()).isEqualTo(trailer);
    assertThat(x.vmlinux().physicalEntryPoint()).isEqualTo(0x1000000);
    assertThat(x.vmlinux().physicalStart()).isEqualTo(0x1000000);
    assertThat(x.vmlinux().segments()).hasSizeGreaterThanOrEqualTo(3);
    // The kernel's decompressor needs init_size bytes from the load address for the vmlinux.
    assertThat(x.vmlinux().physicalEnd() - 0x1000000)
        .isLessThanOrEqualTo(bzImage.header().initSize());
  }

  @Test
  void extractByScanWhenDebianCloudKernelThenSameVmlinuxAsFromPayloadFields()
      throws Exception {
    VmlinuxExtractor extractor = new VmlinuxExtractor();

    byte[] byHeader = VmlinuxExtractorTest.bytes(
        extractor.extract(bzImage, VmlinuxExtractor.Progress.NONE).vmlinux());
    byte[] byScan = VmlinuxExtractorTest.bytes(
        extractor.extractByScan(bzImage, VmlinuxExtractor.Progress.NONE).vmlinux());

    assertThat(byScan).isEqualTo(byHeader);
  }
}
