package dev.carapace.tdx.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carapace.tdx.eventlog.CcEvent;
import dev.carapace.tdx.eventlog.CcelTable;
import dev.carapace.tdx.eventlog.EventLog;
import dev.carapace.tdx.eventlog.EventLogParseException;
import dev.carapace.tdx.eventlog.EventLogParser;
import dev.carapace.tdx.eventlog.EventLogReplayException;
import dev.carapace.tdx.eventlog.EventType;
import dev.carapace.tdx.eventlog.ReplayedRtmr;
import dev.carapace.tdx.eventlog.RtmrReplay;
import dev.carapace.tdx.eventlog.RtmrReplayer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Fuzz tests for {@link EventLogParser}, {@link RtmrReplayer} and {@link CcelTable}.
 *
 * <p>Contract checked: parsing returns a log or throws {@link EventLogParseException}; replaying a
 * parsed log returns four RTMRs or throws {@link EventLogReplayException}; any other exception is
 * a finding. A parsed log is consistent with the input: events are in order, inside the input,
 * and end where the log says it ends.
 */
class EventLogParserFuzzTest {

  @FuzzTest(maxDuration = FuzzBudget.PARSER)
  void eventLog(byte[] data) {
    EventLog log;
    try {
      log = EventLogParser.parse(data);
    } catch (EventLogParseException e) {
      assertThat(e.reason()).isNotNull();
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("EventLogParser.parse threw an unchecked exception", e);
    }
    assertThat(log.endOffset()).isBetween(0, data.length);
    int previousOffset = -1;
    int sequence = 1;
    for (CcEvent event : log.events()) {
      assertThat(event.sequenceNumber()).isEqualTo(sequence++);
      assertThat(event.offset()).isGreaterThan(previousOffset).isLessThan(log.endOffset());
      assertThat(event.digests().size()).isLessThanOrEqualTo(log.algorithms().size());
      previousOffset = event.offset();
    }
    replay(log);
  }

  private static void replay(EventLog log) {
    RtmrReplay replay;
    try {
      replay = RtmrReplayer.replay(log);
    } catch (EventLogReplayException e) {
      assertThat(e.reason()).isNotNull();
      return;
    } catch (RuntimeException e) {
      throw new AssertionError("RtmrReplayer.replay threw an unchecked exception", e);
    }
    assertThat(replay.rtmrs()).hasSize(RtmrReplayer.RTMR_COUNT);
    int measured = 0;
    for (ReplayedRtmr rtmr : replay.rtmrs()) {
      assertThat(rtmr.value().size()).isEqualTo(RtmrReplayer.RTMR_SIZE);
      measured += rtmr.events().size();
    }
    long expected = log.events().stream()
        .filter(e -> !e.type().equals(EventType.EV_NO_ACTION) && e.mrIndex() != 0)
        .count();
    assertThat(measured).isEqualTo(expected);
  }

  @FuzzTest(maxDuration = FuzzBudget.FIXED_SIZE_CODEC)
  void ccelTable(byte[] data) {
    try {
      CcelTable table = CcelTable.parse(data);
      assertThat(data).hasSize(CcelTable.SIZE);
      assertThat(table.revision()).isEqualTo(data[8] & 0xff);
    } catch (EventLogParseException e) {
      assertThat(e.reason()).isEqualTo(EventLogParseException.Reason.MALFORMED_CCEL_TABLE);
    } catch (RuntimeException e) {
      throw new AssertionError("CcelTable.parse threw an unchecked exception", e);
    }
    // The checksum makes almost every mutation fail early; also parse a repaired copy, which
    // must be accepted whatever its other fields hold.
    byte[] table = Arrays.copyOf(data, CcelTable.SIZE);
    System.arraycopy("CCEL".getBytes(StandardCharsets.US_ASCII), 0, table, 0, 4);
    table[4] = CcelTable.SIZE;
    table[5] = 0;
    table[6] = 0;
    table[7] = 0;
    table[9] = 0;
    int sum = 0;
    for (byte b : table) {
      sum += b & 0xff;
    }
    table[9] = (byte) -sum;
    CcelTable parsed;
    try {
      parsed = CcelTable.parse(table);
    } catch (EventLogParseException | RuntimeException e) {
      throw new AssertionError("a well-formed CCEL table was rejected", e);
    }
    assertThat(parsed.ccType()).isEqualTo(table[36] & 0xff);
    assertThat(parsed.logAreaStartAddress()).isEqualTo(littleEndian64(table, 48));
    assertThat(parsed.logAreaMinimumLength()).isEqualTo(littleEndian64(table, 40));
  }

  private static long littleEndian64(byte[] b, int offset) {
    long v = 0;
    for (int i = 7; i >= 0; i--) {
      v = v << 8 | (b[offset + i] & 0xff);
    }
    return v;
  }
}
