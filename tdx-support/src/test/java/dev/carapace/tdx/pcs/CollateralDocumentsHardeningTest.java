package dev.carapace.tdx.pcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CollateralDocumentsHardeningTest {
  private static final String BODY = PcsVectors.text(PcsVectors.TCB_INFO);
  private static final String SIGNED =
      BODY.substring("{\"tcbInfo\":".length(), BODY.indexOf(",\"signature\""));

  private static void assertMalformed(String body) {
    assertThatThrownBy(() -> CollateralDocuments.parseTcbInfoResponse(
        body.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void parseTcbInfoResponseWhenSecondTcbInfoMemberFollowsThenMalformed() {
    // Without duplicate detection the signed span was the first member, the value the second.
    String forged = SIGNED.replace(
        "\"tcbEvaluationDataNumber\":15", "\"tcbEvaluationDataNumber\":99");
    assertThat(forged).isNotEqualTo(SIGNED);
    assertMalformed(BODY.replace(",\"signature\"", ",\"tcbInfo\":" + forged + ",\"signature\""));
  }

  @Test
  void parseTcbInfoResponseWhenDuplicateMemberInsideSignedObjectThenMalformed() {
    assertMalformed(BODY.replace("\"id\":\"TDX\",", "\"id\":\"TDX\",\"id\":\"SGX\","));
  }

  @Test
  void parseTcbInfoResponseWhenTrailingTokensThenMalformed() {
    assertMalformed(BODY + "{}");
  }

  @Test
  void parseTcbInfoResponseWhenWellFormedThenValueIsParseOfSignedBytes() throws Exception {
    Signed<TcbInfo> s = CollateralDocuments.parseTcbInfoResponse(
        BODY.getBytes(StandardCharsets.UTF_8));
    assertThat(s.value()).isEqualTo(CollateralDocuments.tcbInfo(
        SIGNED.getBytes(StandardCharsets.UTF_8), s.signature().toHex()).value());
  }

  @Test
  void parseCrlWhenLargerThanDocumentCapThenMalformed() {
    assertThatThrownBy(() -> CollateralDocuments.parseCrl(
        new byte[CollateralDocuments.MAX_DOCUMENT_SIZE + 1]))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }
}
