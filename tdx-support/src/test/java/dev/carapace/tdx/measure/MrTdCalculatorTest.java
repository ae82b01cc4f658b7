package dev.carapace.tdx.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MrTdCalculatorTest {
  /** "MEM.PAGE.ADD", 4 zero bytes, GPA 0xffe20000 little-endian, zeros to 128 bytes. */
  private static final String PAGE_ADD_FFE20000 =
      "4d454d2e504147452e414444000000000000e2ff00000000" + "00".repeat(104);
  /** "MR.EXTEND", 7 zero bytes, GPA 0xffe20100 little-endian, zeros to 128 bytes. */
  private static final String MR_EXTEND_FFE20100 =
      "4d522e455854454e44000000000000000001e2ff00000000" + "00".repeat(104);

  @Test
  void pageAddWhenOnePageThenHashOfTheSpecifiedBuffer() throws Exception {
    Bytes mrTd = new MrTdCalculator().pageAdd(0xffe20000L).finish();

    assertThat(mrTd).isEqualTo(sha384(HexFormat.of().parseHex(PAGE_ADD_FFE20000)));
  }

  @Test
  void mrExtendWhenChunkGivenThenHeaderBufferThenChunkAsTwoBlocks() throws Exception {
    byte[] chunk = new byte[256];
    for (int i = 0; i < chunk.length; i++) {
      chunk[i] = (byte) i;
    }
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    stream.writeBytes(HexFormat.of().parseHex(MR_EXTEND_FFE20100));
    stream.writeBytes(chunk);

    Bytes mrTd = new MrTdCalculator().mrExtend(0xffe20100L, chunk, 0).finish();

    assertThat(mrTd).isEqualTo(sha384(stream.toByteArray()));
  }

  @Test
  void addPageWhenExtendedThenPageAddFollowedBySixteenExtendsInAddressOrder() throws Exception {
    byte[] page = new byte[4096];
    page[300] = 7;
    MrTdCalculator expected = new MrTdCalculator().pageAdd(0x5000);
    for (int i = 0; i < 16; i++) {
      expected.mrExtend(0x5000 + 256L * i, page, 256 * i);
    }

    assertThat(new MrTdCalculator().addPage(0x5000, page, 0, true).finish())
        .isEqualTo(expected.finish());
    assertThat(new MrTdCalculator().addPage(0x5000, page, 0, false).finish())
        .isEqualTo(new MrTdCalculator().pageAdd(0x5000).finish());
  }

  @Test
  void pageAddWhenGpaUnalignedOrFinishedThenRejected() {
    assertThatThrownBy(() -> new MrTdCalculator().pageAdd(0x5100))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new MrTdCalculator().mrExtend(0x5010, new byte[256], 0))
        .isInstanceOf(IllegalArgumentException.class);
    MrTdCalculator done = new MrTdCalculator();
    done.finish();
    assertThatThrownBy(() -> done.pageAdd(0)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void quoteRequestWhenMeasurementsGivenThenCarriesThemAndReportData() {
    Bytes mrTd = Bytes.fromHex("11".repeat(48));
    List<Bytes> rtmrs = List.of(Bytes.zeros(48), Bytes.fromHex("22".repeat(48)),
        Bytes.fromHex("33".repeat(48)), Bytes.zeros(48));
    Bytes reportData = Bytes.fromHex("44".repeat(64));

    TdQuoteRequest request = new TdMeasurements(mrTd, rtmrs).quoteRequest(reportData);

    assertThat(request.mrTd()).isEqualTo(mrTd);
    assertThat(request.rtmrs()).isEqualTo(rtmrs);
    assertThat(request.reportData()).isEqualTo(reportData);
    assertThatThrownBy(() -> new TdMeasurements(mrTd, rtmrs.subList(0, 3)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Bytes sha384(byte[] data) throws Exception {
    return Bytes.copyOf(MessageDigest.getInstance("SHA-384").digest(data));
  }
}
