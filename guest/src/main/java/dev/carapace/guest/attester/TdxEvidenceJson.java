package dev.carapace.guest.attester;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParseException;
import dev.carapace.tdx.quote.QuoteParser;
import java.util.Base64;
import org.jspecify.annotations.Nullable;

/**
 * CoCo's {@code tdx} attester evidence: {@code {"cc_eventlog": "<base64 CCEL>", "quote":
 * "<base64 TD quote>"}} (standard base64; {@code cc_eventlog} omitted without an event log).
 */
final class TdxEvidenceJson {
  private TdxEvidenceJson() {}

  static ObjectNode of(byte[] quote, byte @Nullable [] ccel) {
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    if (ccel != null) {
      o.put("cc_eventlog", Base64.getEncoder().encodeToString(ccel));
    }
    o.put("quote", Base64.getEncoder().encodeToString(quote));
    return o;
  }

  /** Parses {@code quote} and checks that it carries {@code reportData}. */
  static void check(byte[] quote, Bytes reportData) throws AttesterException {
    Quote q;
    try {
      q = QuoteParser.parse(quote);
    } catch (QuoteParseException e) {
      throw new AttesterException(AttesterException.Reason.MALFORMED_REPORT,
          "the TEE returned a malformed TD quote (" + e.reason() + ")", e);
    }
    if (!q.body().reportData().equals(reportData)) {
      throw new AttesterException(AttesterException.Reason.MALFORMED_REPORT,
          "the TD quote carries other report data than requested");
    }
  }
}
