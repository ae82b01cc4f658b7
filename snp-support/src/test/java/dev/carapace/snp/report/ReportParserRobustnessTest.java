package dev.carapace.snp.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Seeded random mutations: the parser throws only its checked exception, and round-trips. */
class ReportParserRobustnessTest {
  private static final long SEED = 0x5e7_5e7_5e7L;
  private static final int ITERATIONS = 20_000;

  @Test
  void parseWhenRandomlyMutatedGoldenReportsThenOnlyCheckedExceptionsAndRoundTrip() {
    Random rnd = new Random(SEED);
    byte[][] golden = ReportVectors.golden().map(ReportVectors.Vector::report)
        .toArray(byte[][]::new);
    int parsed = 0;
    int rejected = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] raw = mutate(golden[rnd.nextInt(golden.length)], rnd);
      try {
        AttestationReport r = ReportParser.parse(raw);
        assertThat(ReportEncoder.encode(r)).isEqualTo(raw);
        parsed++;
      } catch (ReportParseException e) {
        assertThat(e.reason()).isNotNull();
        rejected++;
      } catch (RuntimeException e) {
        fail("iteration " + i + " (seed " + SEED + ") threw " + e, e);
      }
    }
    assertThat(parsed).isPositive();
    assertThat(rejected).isPositive();
  }

  private static byte[] mutate(byte[] base, Random rnd) {
    byte[] raw = base.clone();
    switch (rnd.nextInt(6)) {
      case 0 -> raw[rnd.nextInt(raw.length)] ^= (byte) (1 << rnd.nextInt(8));
      case 1 -> {
        for (int n = rnd.nextInt(16) + 1; n > 0; n--) {
          raw[rnd.nextInt(raw.length)] = (byte) rnd.nextInt(256);
        }
      }
      case 2 -> raw = Arrays.copyOf(raw, rnd.nextInt(raw.length + 64));
      case 3 -> {
        int off = rnd.nextInt(0x2A0);
        Arrays.fill(raw, off, Math.min(raw.length, off + rnd.nextInt(32)), (byte) 0xff);
      }
      case 4 -> raw[rnd.nextInt(0x50)] = (byte) rnd.nextInt(256); // header fields
      default -> rnd.nextBytes(raw);
    }
    return raw;
  }
}
