package dev.carapace.tdx.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteEncoder;
import dev.carapace.tdx.quote.QuoteParseException;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.quote.TdReport;
import dev.carapace.tdx.quote.TdReportCodec;
import java.util.Arrays;

/**
 * Fuzz tests for {@link QuoteParser} and {@link TdReportCodec}.
 *
 * <p>Contract checked: for any input the parser returns a value or throws
 * {@link QuoteParseException}; any other exception is a finding. A parsed value encodes to the
 * bytes it was parsed from (the parser ignores trailing bytes) and re-parses to an equal value.
 *
 * <p>{@code mvn test} runs these on the seeds in {@code QuoteParserFuzzTestInputs/<method>/}
 * (regression mode); {@code mvn -Pfuzz test} fuzzes each method for {@link FuzzBudget}.
 */
class QuoteParserFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.PARSER)
  void quote(byte[] data) {
    Quote quote;
    try {
      quote = QuoteParser.parse(data);
    } catch (QuoteParseException e) {
      assertThat(e.reason()).isNotNull();
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("QuoteParser.parse threw an unchecked exception", e);
    }
    byte[] encoded = QuoteEncoder.encode(quote);
    assertThat(encoded.length).isLessThanOrEqualTo(data.length);
    assertThat(encoded).isEqualTo(Arrays.copyOf(data, encoded.length));
    assertThat(QuoteEncoder.encodedSize(quote)).isEqualTo(encoded.length);
    byte[] signed = QuoteEncoder.signedRegion(quote);
    assertThat(signed).isEqualTo(Arrays.copyOf(data, signed.length));
    Quote reparsed;
    try {
      reparsed = QuoteParser.parse(encoded);
    } catch (QuoteParseException e) {
      throw new AssertionError("encoding of a parsed quote does not parse", e);
    }
    assertThat(reparsed).isEqualTo(quote);
  }

  @FuzzTest(maxDuration = FuzzBudget.FIXED_SIZE_CODEC)
  void tdReport(byte[] data) {
    parseTdReport(data);
    // Any 1024 bytes are a TDREPORT; fuzz that path too instead of relying on the exact length.
    if (data.length != TdReport.SIZE) {
      parseTdReport(Arrays.copyOf(data, TdReport.SIZE));
    }
  }

  private static void parseTdReport(byte[] data) {
    TdReport report;
    try {
      report = TdReportCodec.parse(data);
    } catch (QuoteParseException e) {
      assertThat(data.length).isNotEqualTo(TdReport.SIZE);
      assertThat(e.reason()).isEqualTo(data.length < TdReport.SIZE
          ? QuoteParseException.Reason.TRUNCATED : QuoteParseException.Reason.OVERSIZED);
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("TdReportCodec.parse threw an unchecked exception", e);
    }
    byte[] encoded = TdReportCodec.encode(report);
    assertThat(encoded).isEqualTo(data);
    try {
      assertThat(TdReportCodec.parse(encoded)).isEqualTo(report);
    } catch (QuoteParseException e) {
      throw new AssertionError("encoding of a parsed TDREPORT does not parse", e);
    }
  }
}
