package dev.carapace.tdx.quote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.Vectors;
import dev.carapace.tdx.quote.QuoteParseException.Reason;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class QuoteParserTest {

  static Stream<String> allQuotes() {
    return Stream.of("go-tdx-guest/tdx_prod_quote_SPR_E4.dat", "go-tdx-guest/quote_v5_sample.dat",
        "go-tdx-guest/cos-113-tdx-quote.dat", "dcap-qvl/tdx_quote", "dcap-qvl/tdx_quote_outdated",
        "trustee-tdx/tdx_quote_4.dat", "trustee-tdx/tdx_quote_5.dat",
        "trustee-tdx/tdx_quote_6.dat");
  }

  @ParameterizedTest
  @MethodSource("allQuotes")
  void encodeWhenParsedGoldenQuoteThenRoundTripsByteForByte(String path) throws Exception {
    byte[] raw = Vectors.read(path);
    Quote q = QuoteParser.parse(raw);
    byte[] encoded = QuoteEncoder.encode(q);
    assertThat(encoded).isEqualTo(Arrays.copyOf(raw, encoded.length));
    assertThat(QuoteParser.parse(encoded)).isEqualTo(q);
  }

  @Test
  void parseWhenGoTdxGuestV4QuoteThenFieldsMatchReadme() throws Exception {
    byte[] raw = Vectors.read("go-tdx-guest/tdx_prod_quote_SPR_E4.dat");
    Quote q = QuoteParser.parse(raw);
    assertThat(q).isInstanceOf(QuoteV4.class);
    assertThat(q.header().teeType()).isEqualTo(0x81);
    assertThat(q.header().qeVendorId()).isEqualTo(QuoteHeader.INTEL_QE_VENDOR_ID);
    assertThat(q.header().userData().toHex()).isEqualTo("739c3f292a15bace1f726351a70d4b7900000000");
    TdQuoteBody b = q.body();
    assertThat(b.teeTcbSvn().toHex()).isEqualTo("03000400000000000000000000000000");
    assertThat(b.mrSeam().toHex()).isEqualTo(
        "2fd279c16164a93dd5bf373d834328d46008c2b693af9ebb865b08b2ced320c9a89b4869a9fab60fbe9d0c5a5363c656");
    assertThat(b.tdAttributes().toHex()).isEqualTo("0000004000000000");
    assertThat(b.attributes().protectionKeys()).isTrue();
    assertThat(b.attributes().debug()).isFalse();
    assertThat(b.xfam().toHex()).isEqualTo("e71a060000000000");
    assertThat(b.mrTd().toHex()).isEqualTo(
        "6363b8043668a3ad953278e10389574d326c6749fb78aa810ecd9336923db86f22fc00b8dcd404bc10d5e119d7215cbb");
    assertThat(b.rtmr(0).toHex()).isEqualTo(
        "2927da70461cd63266f43230cc1849c03ef25ebe490062a801d8fcc80af42976823adf08f833c1e50b51779c6593f32a");
    assertThat(b.rtmr(2).toHex()).isEqualTo(
        "8652f0caaba7e215ea442dc36a4499d8fec3362f3a0b2ca151cbe4b3e6466fe59c7368b3c2287fc7c3bf5c924eb4424e");
    assertThat(b.rtmr(3).isAllZero()).isTrue();
    assertThat(b.reportData().toHex()).isEqualTo("6c62dec1b8191749a31dab490be532a35944dea47caef1f980863993d9899545eb7406a38d1eed313b987a467dacead6f0c87a6d766c66f6f29f8acb281f1113");
    QeReportCertificationData c = q.signatureData().certification();
    assertThat(c.qeReport().isvSvn()).isEqualTo(4);
    assertThat(c.qeReport().isvProdId()).isEqualTo(2);
    assertThat(c.qeReport().mrEnclave().toHex())
        .isEqualTo("853e298f3b7cde28b06493d06fb2ad6f9566a97fea6d3de66236b2af1a35150f");
    assertThat(c.qeReport().mrSigner().toHex())
        .isEqualTo("dc9e2a7c6f948f17474e34a7fc43ed030f7c1563f1babddf6340c82e0e54a8c5");
    assertThat(c.qeAuthData().size()).isEqualTo(32);
    assertThat(c.pckCertificationData().type()).isEqualTo(5);
    assertThat(c.pckCertificationData().data().size()).isEqualTo(3677);
    assertThat(q.signatureData().encodedSize()).isEqualTo(4299);
    assertThat(QuoteEncoder.encodedSize(q)).isEqualTo(raw.length - 39);
  }

  @Test
  void parseWhenV5QuoteThenTdx15FieldsPresent() throws Exception {
    Quote q = QuoteParser.parse(Vectors.read("go-tdx-guest/quote_v5_sample.dat"));
    assertThat(q).isInstanceOfSatisfying(QuoteV5.class,
        v5 -> assertThat(v5.bodyType()).isEqualTo(QuoteV5.BODY_TYPE_TDX15));
    TdQuoteBody b = q.body();
    assertThat(b.isTdx15()).isTrue();
    assertThat(b.teeTcbSvn().toHex()).isEqualTo("0b010400000000000000000000000000");
    assertThat(b.teeTcbSvn2Value()).contains(Bytes.fromHex("0d010400000000000000000000000000"));
    assertThat(b.mrServiceTdValue().orElseThrow().isAllZero()).isTrue();
    assertThat(b.attributes().septVeDisable()).isTrue();
    assertThat(b.mrTd().toHex()).isEqualTo(
        "7348651a34b2d2d3462822e3a750ec6110125f36757c78480bbfc69cc0d21fb001a1ced3ee19747dda8f750c3bc8f876");
    assertThat(QuoteEncoder.signedRegionSize(q)).isEqualTo(702);
    assertThat(q.signatureData().certification().qeReport().isvSvn()).isEqualTo(7);
  }

  @Test
  void parseWhenCosQuoteInPaddedBufferThenIgnoresTrailingZeros() throws Exception {
    byte[] raw = Vectors.read("go-tdx-guest/cos-113-tdx-quote.dat");
    Quote q = QuoteParser.parse(raw);
    assertThat(raw.length).isEqualTo(8000);
    assertThat(QuoteEncoder.encodedSize(q)).isEqualTo(8000 - 3065);
    assertThat(q.body().reportData().isAllZero()).isTrue();
    assertThat(q.signatureData().certification().qeAuthData().isAllZero()).isTrue();
  }

  @Test
  void parseWhenVersionByteIs3ThenUnsupportedVersion() {
    byte[] raw = Vectors.read("go-tdx-guest/tdx_prod_quote_SPR_E4.dat");
    raw[0] = 3;
    assertThatThrownBy(() -> QuoteParser.parse(raw)).isInstanceOfSatisfying(
        QuoteParseException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION));
  }

  @Test
  void parseWhenSignatureDataLengthChangedThenSizeMismatch() {
    byte[] raw = Vectors.read("go-tdx-guest/tdx_prod_quote_SPR_E4.dat");
    raw[0x278] = 0x10;
    assertThatThrownBy(() -> QuoteParser.parse(raw)).isInstanceOfSatisfying(
        QuoteParseException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.SIZE_MISMATCH);
          assertThat(e.getMessage()).contains("4165").contains("3978");
        });
  }

  @Test
  void parseWhenHeaderFieldsWrongThenTypedReasons() {
    byte[] base = Vectors.read("go-tdx-guest/tdx_prod_quote_SPR_E4.dat");
    byte[] keyType = base.clone();
    keyType[2] = 3;
    byte[] tee = base.clone();
    tee[4] = 0;
    assertReason(keyType, Reason.UNSUPPORTED_ATTESTATION_KEY_TYPE);
    assertReason(tee, Reason.UNSUPPORTED_TEE_TYPE);
    byte[] v5 = Vectors.read("go-tdx-guest/quote_v5_sample.dat");
    v5[48] = 1; // SGX enclave body type
    assertReason(v5, Reason.UNSUPPORTED_BODY_TYPE);
  }

  @Test
  void parseWhenTruncatedAnywhereThenTruncatedOrSizeMismatchNeverUnchecked() {
    byte[] raw = Vectors.read("go-tdx-guest/quote_v5_sample.dat");
    for (int len = 0; len < 5006; len++) {
      byte[] prefix = Arrays.copyOf(raw, len);
      assertThatThrownBy(() -> QuoteParser.parse(prefix))
          .isInstanceOf(QuoteParseException.class);
    }
  }

  @Test
  void parseWhenOversizedSignatureDataLengthThenOversized() {
    byte[] raw = Vectors.read("go-tdx-guest/tdx_prod_quote_SPR_E4.dat");
    raw[0x278 + 3] = 0x7f;
    assertReason(raw, Reason.OVERSIZED);
  }

  @Test
  void parseWhenRandomBytesMutatedThenOnlyCheckedExceptions() {
    Random random = new Random(20261124L);
    byte[] base = Vectors.read("dcap-qvl/tdx_quote");
    for (int i = 0; i < 20_000; i++) {
      byte[] m = base.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        m[random.nextInt(Math.min(m.length, 1400))] = (byte) random.nextInt(256);
      }
      try {
        QuoteParser.parse(m);
      } catch (QuoteParseException expected) {
        assertThat(expected.reason()).isNotNull();
      }
    }
  }

  private static void assertReason(byte[] raw, Reason reason) {
    assertThatThrownBy(() -> QuoteParser.parse(raw)).isInstanceOfSatisfying(
        QuoteParseException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
