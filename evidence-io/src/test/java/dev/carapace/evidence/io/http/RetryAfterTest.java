package dev.carapace.evidence.io.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RetryAfterTest {
  private static final Instant NOW = Instant.parse("2015-10-21T07:28:00Z");

  private static HttpHeaders retryAfter(String value) {
    return HttpHeaders.of(Map.of("Retry-After", List.of(value)), (a, b) -> true);
  }

  @Test
  void retryAfterWhenDeltaSecondsThenThatDuration() {
    assertThat(HttpFetcher.retryAfter(retryAfter(" 120 "), NOW)).hasValue(Duration.ofMinutes(2));
    assertThat(HttpFetcher.retryAfter(retryAfter("0"), NOW)).hasValue(Duration.ZERO);
  }

  @Test
  void retryAfterWhenHttpDateThenTheTimeUntilItOrZero() {
    assertThat(HttpFetcher.retryAfter(retryAfter("Wed, 21 Oct 2015 07:28:30 GMT"), NOW))
        .hasValue(Duration.ofSeconds(30));
    assertThat(HttpFetcher.retryAfter(retryAfter("Wed, 21 Oct 2015 07:00:00 GMT"), NOW))
        .hasValue(Duration.ZERO);
  }

  @Test
  void retryAfterWhenAbsentOrUnparsableThenEmpty() {
    assertThat(HttpFetcher.retryAfter(HttpHeaders.of(Map.of(), (a, b) -> true), NOW)).isEmpty();
    for (String bad : new String[] {"-1", "1.5", "soon", "1234567890", "x".repeat(65)}) {
      assertThat(HttpFetcher.retryAfter(retryAfter(bad), NOW)).as(bad).isEmpty();
    }
  }

  @Test
  void printableWhenControlCharactersOrLongThenReplacedAndCut() {
    assertThat(HttpFetcher.printable("a\u0007b\u00e9")).isEqualTo("a?b?");
    assertThat(HttpFetcher.printable("y".repeat(121))).isEqualTo("y".repeat(120) + "...");
    assertThat(HttpFetcher.printable("y".repeat(120))).isEqualTo("y".repeat(120));
  }
}
