package dev.carapace.tdx.pcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.tdx.Vectors;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Regression tests for collateral parser bugs (see also CollateralDocumentsFuzzTest seeds). */
class CollateralDocumentsTest {
  private static final String TCB_INFO = Vectors.text("go-tdx-guest/sample_tcbInfo_response");
  private static final String QE_IDENTITY =
      Vectors.text("go-tdx-guest/sample_qeIdentity_response");

  /**
   * A second top-level "tcbInfo" used to win the parse while the signature was checked over the
   * first: anyone holding one genuine response could substitute TCB levels of their choosing.
   */
  @Test
  void parseTcbInfoResponseWhenTcbInfoMemberRepeatedThenMalformed() throws Exception {
    String signed = member(TCB_INFO, "tcbInfo");
    String forged = signed.replace("\"OutOfDate\"", "\"UpToDate\"");
    assertThat(forged).isNotEqualTo(signed);
    String response = TCB_INFO.replace(
        "\"tcbInfo\":" + signed, "\"tcbInfo\":" + signed + ",\"tcbInfo\":" + forged);

    assertThatThrownBy(() -> CollateralDocuments.parseTcbInfoResponse(utf8(response)))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED));
  }

  @Test
  void parseQeIdentityResponseWhenEnclaveIdentityMemberRepeatedThenMalformed() {
    String signed = member(QE_IDENTITY, "enclaveIdentity");
    String response = QE_IDENTITY.replace("\"enclaveIdentity\":" + signed,
        "\"enclaveIdentity\":" + signed + ",\"enclaveIdentity\":" + signed);

    assertThatThrownBy(() -> CollateralDocuments.parseQeIdentityResponse(utf8(response)))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED));
  }

  @Test
  void tcbInfoWhenNestedMemberRepeatedThenMalformed() {
    String signed = member(TCB_INFO, "tcbInfo");
    String repeated = signed.replaceFirst("\"version\":3,", "\"version\":3,\"version\":2,");

    assertThatThrownBy(() -> CollateralDocuments.tcbInfo(utf8(repeated), "00".repeat(64)))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED));
  }

  /** Jackson reads UTF-16/32 without byte offsets; slicing the signed body used to throw AIOOBE. */
  @ParameterizedTest
  @ValueSource(strings = {"UTF-16BE", "UTF-16LE", "UTF-32BE", "UTF-32LE"})
  void parseResponseWhenNotUtf8ThenMalformed(String charset) {
    Charset cs = Charset.forName(charset);
    assertThatThrownBy(() -> CollateralDocuments.parseQeIdentityResponse(QE_IDENTITY.getBytes(cs)))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED));
    assertThatThrownBy(() -> CollateralDocuments.parseTcbInfoResponse(TCB_INFO.getBytes(cs)))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED));
  }

  @Test
  void parseResponseWhenUtf8WithByteOrderMarkThenSignedBodyIsExactSlice() throws Exception {
    byte[] bom = {(byte) 0xef, (byte) 0xbb, (byte) 0xbf};
    byte[] body = utf8(QE_IDENTITY);
    byte[] withBom = new byte[bom.length + body.length];
    System.arraycopy(bom, 0, withBom, 0, bom.length);
    System.arraycopy(body, 0, withBom, bom.length, body.length);

    Signed<QeIdentity> plain = CollateralDocuments.parseQeIdentityResponse(body);
    assertThat(CollateralDocuments.parseQeIdentityResponse(withBom)).isEqualTo(plain);
  }

  /** The JSON text of a top-level object member, as it appears in the response. */
  private static String member(String response, String name) {
    int start = response.indexOf("\"" + name + "\":") + name.length() + 3;
    int end = response.lastIndexOf(",\"signature\"");
    return response.substring(start, end);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
