package dev.carapace.runtime.kernel;

import static dev.carapace.runtime.kernel.ElfKernelTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.runtime.kernel.KernelFormatException.Reason;
import dev.carapace.runtime.kernel.TestKernels.BzOptions;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class BzImageTest {
  private static final byte[] PAYLOAD = TestKernels.pattern(3000, 5);

  @Test
  void parseWhenProtocol215ThenHeaderFieldsRead() throws Exception {
    BzOptions o = new BzOptions();
    BzImage bz = (BzImage) KernelImage.parse(TestKernels.bzImage(PAYLOAD, o));

    SetupHeader h = bz.header();
    assertThat(h.versionText()).isEqualTo("2.15");
    assertThat(h.setupSects()).isEqualTo(3);
    assertThat(bz.protectedModeOffset()).isEqualTo(4 * 512);
    assertThat(bz.protectedModeSize()).isEqualTo((0x300 + 3000 + 15) / 16 * 16);
    assertThat(h.payloadOffset()).isEqualTo(0x300);
    assertThat(h.payloadLength()).isEqualTo(3000);
    assertThat(h.prefAddress()).isEqualTo(0x1000000);
    assertThat(h.initSize()).isEqualTo(0x400000);
    assertThat(h.cmdlineSize()).isEqualTo(2047);
    assertThat(h.relocatable()).isTrue();
    assertThat(h.headerEnd()).isEqualTo(0x26c);
    assertThat(bz.setupHeaderBytes().size()).isEqualTo(0x26c - 0x1f1);
    assertThat(bz.setupHeaderBytes().getUnsigned(0x202 - 0x1f1)).isEqualTo('H');
  }

  @Test
  void parseWhenZeroSetupSectsThenFourAreAssumed() throws Exception {
    BzOptions o = new BzOptions();
    o.setupSects = 4;
    byte[] image = TestKernels.bzImage(PAYLOAD, o);
    image[0x1f1] = 0;

    assertThat(BzImage.parse(image).protectedModeOffset()).isEqualTo(5 * 512);
  }

  @Test
  void parseWhenProtocolOlderThan212ThenUnsupported() {
    BzOptions o = new BzOptions();
    o.version = 0x020b;
    assertReason(TestKernels.bzImage(PAYLOAD, o), Reason.UNSUPPORTED_BOOT_PROTOCOL);
  }

  @Test
  void parseWhenNo64BitEntryOrNotLoadedHighThenNot64Bit() {
    BzOptions o = new BzOptions();
    o.xloadflags = 0x02;
    assertReason(TestKernels.bzImage(PAYLOAD, o), Reason.NOT_64_BIT);
    BzOptions p = new BzOptions();
    p.loadflags = 0;
    assertReason(TestKernels.bzImage(PAYLOAD, p), Reason.NOT_64_BIT);
  }

  @Test
  void parseWhenSyssizeOrPayloadBeyondImageThenTruncated() {
    byte[] image = TestKernels.bzImage(PAYLOAD, new BzOptions());
    assertReason(ElfKernelTest.putLong(image, 0x1f4, 0x100000), Reason.TRUNCATED);
    byte[] payloadTooLong = image.clone();
    java.nio.ByteBuffer.wrap(payloadTooLong).order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt(0x24c, 1 << 20);
    assertReason(payloadTooLong, Reason.TRUNCATED);
  }

  @Test
  void parseWhenBootFlagMissingThenUnsupported() {
    byte[] image = TestKernels.bzImage(PAYLOAD, new BzOptions());
    image[0x1fe] = 0;
    assertReason(image, Reason.UNSUPPORTED_BOOT_PROTOCOL);
  }

  @Test
  void parseWhenAnyPrefixThenCheckedException() {
    byte[] image = TestKernels.bzImage(PAYLOAD, new BzOptions());
    for (int n = 0x206; n < image.length; n += 7) {
      byte[] prefix = Arrays.copyOf(image, n);
      assertThatThrownBy(() -> KernelImage.parse(prefix)).as("prefix %d", n)
          .isInstanceOf(KernelFormatException.class);
    }
  }
}
