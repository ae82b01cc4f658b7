package dev.carapace.snp.verify;

import static dev.carapace.snp.verify.ReportVerifierVectorsTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportVectors;
import dev.carapace.snp.report.ReportVectors.Vector;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ReportVerificationException.Reason;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VcekExtensionsTest {
  private static final String A = VcekExtensions.ARC;

  static Stream<Vector> golden() {
    return ReportVectors.golden();
  }

  @ParameterizedTest
  @MethodSource("golden")
  void parseWhenRealCertificateThenValuesMatchItsDerExtensions(Vector v) throws Exception {
    VcekExtensions ext = VcekExtensions.of(v.certificate());
    assertThat(ext.signingKey()).isEqualTo(v.signer());
    assertThat(ext.product()).contains(v.product());
    assertThat(ext.structVersion()).isEqualTo(v.product() == Product.TURIN ? 1 : 0);
    ReportVectors.expected(v.name()).ifPresent(e -> {
      JsonNode hex = e.get("cert_extensions_hex");
      assertThat(ext.blSpl()).isEqualTo(derInt(hex, A + ".3.1"));
      assertThat(ext.teeSpl()).isEqualTo(derInt(hex, A + ".3.2"));
      assertThat(ext.snpSpl()).isEqualTo(derInt(hex, A + ".3.3"));
      assertThat(ext.ucodeSpl()).isEqualTo(derInt(hex, A + ".3.8"));
      assertThat(ext.structVersion()).isEqualTo(derInt(hex, A + ".1"));
    });
  }

  @Test
  void parseWhenUcodeSplAbove127ThenTwoByteIntegerDecoded() throws Exception {
    VcekExtensions ext = VcekExtensions.of(ReportVectors.named("gcp_milan_v5").certificate());
    assertThat(ext.ucodeSpl()).isEqualTo(222);
    assertThat(ext.productName()).isEqualTo("Milan-B0");
    assertThat(ext.tcb(Product.MILAN)).isEqualTo(TcbVersion.of(Product.MILAN, 4, 0, 27, 222, 0));
  }

  @Test
  void parseWhenVlekThenCspIdAndNoHwId() throws Exception {
    VcekExtensions ext = VcekExtensions.of(
        ReportVectors.named("trustee_milan_v3_vlek").certificate());
    assertThat(ext.signingKey()).isEqualTo(SigningKey.VLEK);
    assertThat(ext.cspIdValue()).contains("CN=cc-us-east-2.amazonaws.com");
    assertThat(ext.productName()).isEqualTo("Milan");
  }

  @Test
  void parseWhenHwIdRawOrOctetStringThenSameValue() throws Exception {
    byte[] id = new byte[64];
    id[0] = 0x04; // raw bytes that begin like an OCTET STRING stay raw
    id[1] = 0x3e;
    assertThat(VcekExtensions.parse(vcek(raw(id))).hwId()).isEqualTo(Bytes.copyOf(id));
    byte[] wrapped = new byte[66];
    wrapped[0] = 0x04;
    wrapped[1] = 0x40;
    System.arraycopy(id, 0, wrapped, 2, 64);
    assertThat(VcekExtensions.parse(vcek(raw(wrapped))).hwId()).isEqualTo(Bytes.copyOf(id));
    byte[] turin = {0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8};
    assertThat(VcekExtensions.parse(vcek(raw(turin))).hwId())
        .isEqualTo(Bytes.fromHex("0102030405060708"));
  }

  @Test
  void parseWhenMalformedThenExtensionsMalformed() {
    assertMalformed(m -> m.remove(A + ".1"));
    assertMalformed(m -> m.remove(A + ".2"));
    assertMalformed(m -> m.remove(A + ".3.8"));
    assertMalformed(m -> m.put(A + ".3.1", wrap(der("0c0141")))); // UTF8String, not INTEGER
    assertMalformed(m -> m.put(A + ".3.1", wrap(der("0201ff")))); // -1
    assertMalformed(m -> m.put(A + ".3.1", wrap(der("02020100")))); // 256
    assertMalformed(m -> m.put(A + ".3.1", der("020101"))); // not wrapped in OCTET STRING
    assertMalformed(m -> m.put(A + ".3.1", wrap(der("02010100")))); // trailing byte
    assertMalformed(m -> m.put(A + ".3.1", wrap(der("0203000001")))); // non-minimal INTEGER
    assertMalformed(m -> m.put(A + ".2", wrap(der("020100"))));
    assertMalformed(m -> m.put(A + ".4", raw(new byte[7])));
    assertMalformed(m -> m.put(A + ".4", raw(new byte[65])));
    assertMalformed(m -> m.put(A + ".5", wrap(der("1601" + "41")))); // hwID and cspId
    assertMalformed(m -> m.remove(A + ".4")); // neither
    assertMalformed(m -> m.put(A + ".1", new byte[2000]));
    assertMalformed(m -> m.put(A + ".1", new byte[0]));
  }

  @Test
  void tcbWhenProductLayoutsDifferThenChecked() throws Exception {
    Map<String, byte[]> m = vcek(raw(new byte[8]));
    VcekExtensions milan = VcekExtensions.parse(m);
    assertReason(() -> milan.tcb(Product.TURIN), Reason.EXTENSIONS_MALFORMED); // no fmcSPL
    m.put(A + ".3.9", wrap(der("020105")));
    VcekExtensions turin = VcekExtensions.parse(m);
    assertThat(turin.fmcSplValue()).hasValue(5);
    assertThat(turin.tcb(Product.TURIN)).isEqualTo(TcbVersion.of(Product.TURIN, 2, 0, 5, 68, 5));
    assertReason(() -> turin.tcb(Product.MILAN), Reason.EXTENSIONS_MALFORMED);
    m.put(A + ".3.6", wrap(der("020101")));
    VcekExtensions reserved = VcekExtensions.parse(m);
    assertThat(reserved.reservedSpls()).containsExactly(0, 0, 1, 0);
    assertReason(() -> reserved.tcb(Product.TURIN), Reason.EXTENSIONS_MALFORMED);
  }

  @Test
  void recordWhenInconsistentThenIllegalArgument() {
    assertThatThrownBy(() -> new VcekExtensions(0, "Milan", 0, 0, 0, 0, null, List.of(0, 0, 0, 0),
        null, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VcekExtensions(0, "Milan", 0, 0, 0, 300, null,
        List.of(0, 0, 0, 0), Bytes.zeros(64), null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new VcekExtensions(0, "Milan", 0, 0, 0, 0, null, List.of(0),
        Bytes.zeros(64), null)).isInstanceOf(IllegalArgumentException.class);
  }

  /** A minimal Milan VCEK extension set (bl2 tee0 snp5 ucode68) with {@code hwId}. */
  static Map<String, byte[]> vcek(byte[] hwIdValue) {
    Map<String, byte[]> m = new HashMap<>();
    m.put(A + ".1", wrap(der("020100")));
    m.put(A + ".2", wrap(der("16084d696c616e2d4230")));
    m.put(A + ".3.1", wrap(der("020102")));
    m.put(A + ".3.2", wrap(der("020100")));
    m.put(A + ".3.3", wrap(der("020105")));
    m.put(A + ".3.8", wrap(der("020144")));
    m.put(A + ".4", hwIdValue);
    return m;
  }

  interface Change {
    void apply(Map<String, byte[]> m);
  }

  private static void assertMalformed(Change change) {
    Map<String, byte[]> m = vcek(raw(new byte[64]));
    change.apply(m);
    assertReason(() -> VcekExtensions.parse(m), Reason.EXTENSIONS_MALFORMED);
  }

  private static int derInt(JsonNode hex, String oid) {
    Bytes b = Bytes.fromHex(hex.get(oid).asText());
    return new java.math.BigInteger(b.slice(2, b.size() - 2).toByteArray()).intValueExact();
  }

  static byte[] der(String hex) {
    return Bytes.fromHex(hex).toByteArray();
  }

  /** The extnValue OCTET STRING around {@code content} (short form lengths only). */
  static byte[] wrap(byte[] content) {
    byte[] out = new byte[content.length + 2];
    out[0] = 0x04;
    out[1] = (byte) content.length;
    System.arraycopy(content, 0, out, 2, content.length);
    return out;
  }

  static byte[] raw(byte[] hwId) {
    return wrap(hwId);
  }
}
