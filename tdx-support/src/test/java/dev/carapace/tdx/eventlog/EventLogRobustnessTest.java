package dev.carapace.tdx.eventlog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.tdx.eventlog.EventLogParseException.Reason;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Parser guarantee: any input yields an EventLog or a typed exception, never an unchecked one. */
class EventLogRobustnessTest {
  private static final byte[] GTG_LOG = Vectors.read(Vectors.GTG + "ccel_data.dat");

  @Test
  void parseWhenGceLogTruncatedAtAnyPrefixThenShorterLogOrTruncated() throws Exception {
    EventLog full = EventLogParser.parse(GTG_LOG);
    int boundaries = 0;
    int dense = full.endOffset() + 64;
    for (int length = 0; length <= GTG_LOG.length; length += length < dense ? 1 : 4093) {
      byte[] prefix = Arrays.copyOf(GTG_LOG, length);
      EventLog log;
      try {
        log = EventLogParser.parse(prefix);
      } catch (EventLogParseException e) {
        assertThat(e.reason()).as("prefix %d", length).isEqualTo(Reason.TRUNCATED);
        continue;
      }
      int n = log.events().size();
      assertThat(log.events()).as("prefix %d", length).isEqualTo(full.events().subList(0, n));
      assertThat(log.endOffset()).isLessThanOrEqualTo(length);
      if (length <= full.endOffset()) {
        assertThat(log.endOffset()).as("prefix %d", length).isEqualTo(length);
        boundaries++;
      } else {
        assertThat(log.endOffset()).isEqualTo(full.endOffset());
      }
      RtmrReplayer.replay(log);
    }
    // the Spec ID event end plus one boundary after each of the 43 events
    assertThat(boundaries).isEqualTo(44);
  }

  @Test
  void parseWhenRandomlyMutatedThenLogOrTypedError() {
    Random random = new Random(20240601L);
    int window = 18101 + 16;
    int parsed = 0;
    for (int i = 0; i < 5000; i++) {
      byte[] mutated = Arrays.copyOf(GTG_LOG, window + random.nextInt(64));
      int flips = 1 + random.nextInt(8);
      for (int f = 0; f < flips; f++) {
        mutated[random.nextInt(window)] = (byte) random.nextInt(256);
      }
      if (random.nextInt(4) == 0) {
        mutated = Arrays.copyOf(mutated, random.nextInt(mutated.length + 1));
      }
      parsed += parseAndReplay(mutated) ? 1 : 0;
    }
    assertThat(parsed).isPositive();
  }

  @Test
  void parseWhenLengthFieldsOverwrittenWithExtremesThenLogOrTypedError() throws Exception {
    EventLog full = EventLogParser.parse(GTG_LOG);
    int[] extremes = {0, 1, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 0xffff_fffe, 18101};
    for (CcEvent event : full.events()) {
      int countAt = event.offset() + 8;
      int sizeAt = event.offset() + 12 + 2 + 48;
      for (int at : new int[] {event.offset(), event.offset() + 4, countAt, sizeAt}) {
        for (int value : extremes) {
          byte[] mutated = GTG_LOG.clone();
          for (int b = 0; b < 4; b++) {
            mutated[at + b] = (byte) (value >>> (8 * b));
          }
          parseAndReplay(mutated);
        }
      }
    }
    for (int at = 0; at < 65 + 8; at++) {
      for (int value : new int[] {0, 0xff, 0x7f, 0x80}) {
        byte[] mutated = GTG_LOG.clone();
        mutated[at] = (byte) value;
        parseAndReplay(mutated);
      }
    }
  }

  @Test
  void parseWhenRandomBytesThenLogOrTypedError() {
    Random random = new Random(7L);
    byte[] header = Arrays.copyOf(GTG_LOG, 65);
    for (int i = 0; i < 3000; i++) {
      byte[] noise = new byte[random.nextInt(512)];
      random.nextBytes(noise);
      byte[] input = noise;
      if (i % 2 == 0) {
        input = Arrays.copyOf(header, header.length + noise.length);
        System.arraycopy(noise, 0, input, header.length, noise.length);
      }
      parseAndReplay(input);
    }
  }

  /** Returns whether the input parsed; fails the test on any unchecked exception. */
  private static boolean parseAndReplay(byte[] input) {
    EventLog log;
    try {
      log = EventLogParser.parse(input);
    } catch (EventLogParseException e) {
      assertThat(e.reason()).isNotNull();
      return false;
    }
    assertThat(log.endOffset()).isBetween(0, input.length);
    try {
      RtmrReplay replay = RtmrReplayer.replay(log);
      assertThat(replay.values()).hasSize(4);
    } catch (EventLogReplayException e) {
      assertThat(e.reason()).isNotNull();
    }
    return true;
  }
}
