package dev.carapace.tdx.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.eventlog.CcEvent;
import dev.carapace.tdx.eventlog.EventLog;
import dev.carapace.tdx.eventlog.EventLogParser;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import java.io.InputStream;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;

class RtmrTest {
  private static byte[] vector(String path) throws Exception {
    try (InputStream in = RtmrTest.class.getResourceAsStream("/vectors/" + path)) {
      return in.readAllBytes();
    }
  }

  @Test
  void extendWhenGceEventLogFoldedThenEqualsTheQuotesRtmrs() throws Exception {
    // go-tdx-guest testdata: a real GCE TD's CCEL and the quote taken in the same boot.
    EventLog log = EventLogParser.parse(vector("go-tdx-guest-ccel/ccel_data.dat"));
    Quote quote = QuoteParser.parse(vector("go-tdx-guest-ccel/cos-113-tdx-quote.dat"));
    Rtmr[] rtmrs = {Rtmr.initial(), Rtmr.initial(), Rtmr.initial(), Rtmr.initial()};

    for (CcEvent e : log.events()) {
      if (e.rtmrIndex().isPresent()) {
        int i = e.rtmrIndex().getAsInt();
        rtmrs[i] = rtmrs[i].extend(e.digest(0x000C).orElseThrow());
      }
    }

    for (int i = 0; i < 4; i++) {
      assertThat(rtmrs[i].value()).as("RTMR%d", i).isEqualTo(quote.body().rtmrs().get(i));
    }
  }

  @Test
  void extendWithDigestOfWhenDataGivenThenHashOfOldValueAndDataDigest() throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-384");
    byte[] inner = sha.digest("console=ttyS0\0".getBytes("UTF-8"));
    sha.update(new byte[48]);
    sha.update(inner);

    assertThat(Rtmr.initial().extendWithDigestOf("console=ttyS0\0".getBytes("UTF-8")).value())
        .isEqualTo(Bytes.copyOf(sha.digest()));
  }

  @Test
  void extendWhenDigestNot48BytesThenRejected() {
    assertThatThrownBy(() -> Rtmr.initial().extend(Bytes.zeros(32)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
