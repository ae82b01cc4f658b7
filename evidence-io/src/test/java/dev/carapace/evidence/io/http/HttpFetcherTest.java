package dev.carapace.evidence.io.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.carapace.evidence.io.http.FetchException.Reason;
import dev.carapace.evidence.io.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HttpFetcherTest {
  @RegisterExtension
  static final WireMockExtension WM = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private static final String PATH = "/doc";
  private static final byte[] DOC = "the document".getBytes(StandardCharsets.US_ASCII);
  private static final Instant NOW = Instant.parse("2024-05-01T12:00:00Z");

  private final MutableClock clock = new MutableClock(NOW);
  private final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  private HttpFetcher.Builder builder() {
    return HttpFetcher.builder().clock(clock).sleeper(sleeps::add)
        .requestTimeout(Duration.ofSeconds(5)).maxBodySize(1024);
  }

  private static URI uri() {
    return URI.create(WM.baseUrl() + PATH);
  }

  private static ResponseDefinitionBuilder ok() {
    return aResponse().withStatus(200).withHeader("X-Test", "yes").withBody(DOC);
  }

  /** The document answers {@code first}, then 200. */
  private static void first(ResponseDefinitionBuilder first) {
    WM.stubFor(get(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(first).willSetStateTo("recovered"));
    WM.stubFor(get(urlEqualTo(PATH)).inScenario("flaky").whenScenarioStateIs("recovered")
        .willReturn(ok()));
  }

  private static void always(ResponseDefinitionBuilder response) {
    WM.stubFor(get(urlEqualTo(PATH)).willReturn(response));
  }

  private static ThrowingCallable fetch(HttpFetcher fetcher) {
    return () -> fetcher.get(uri());
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(FetchException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void getWhen200ThenStatusHeadersAndBody() throws Exception {
    always(ok());
    FetchedResponse r = builder().build().get(uri());
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.headers().firstValue("X-Test")).hasValue("yes");
    assertThat(r.body()).isEqualTo(DOC);
    assertThat(sleeps).isEmpty();
  }

  @Test
  void getWhenFirstAnswerIs503ThenRetriesAfterBackoff() throws Exception {
    first(aResponse().withStatus(503));
    assertThat(builder().build().get(uri()).body()).isEqualTo(DOC);
    WM.verify(2, getRequestedFor(urlEqualTo(PATH)));
    assertThat(sleeps).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void getWhenConnectionResetThenRetries() throws Exception {
    first(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    assertThat(builder().build().get(uri()).body()).isEqualTo(DOC);
    WM.verify(2, getRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void getWhen5xxHasRetryAfterThenWaitsThatLong() throws Exception {
    first(aResponse().withStatus(503).withHeader("Retry-After", "4"));
    builder().build().get(uri());
    assertThat(sleeps).containsExactly(Duration.ofSeconds(4));
  }

  @Test
  void getWhen429WithRetryAfterHttpDateThenWaitsUntilThatDateByTheClock() throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME
        .format(NOW.plusSeconds(7).atOffset(ZoneOffset.UTC));
    first(aResponse().withStatus(429).withHeader("Retry-After", date));
    builder().build().get(uri());
    assertThat(sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void getWhen429WithoutRetryAfterThenWaitsAtLeastTheRateLimitBackoff() throws Exception {
    first(aResponse().withStatus(429));
    builder().rateLimitBackoff(Duration.ofSeconds(10)).build().get(uri());
    assertThat(sleeps).containsExactly(Duration.ofSeconds(10));
  }

  @Test
  void getWhen429WithoutRetryAfterAndNoRateLimitBackoffThenWaitsTheBackoff() throws Exception {
    first(aResponse().withStatus(429));
    builder().build().get(uri());
    assertThat(sleeps).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void getWhenAlways429ThenRateLimitedAfterTheRetriesWithBodyExcerpt() {
    always(aResponse().withStatus(429).withBody("Too Many Requests"));
    assertThatThrownBy(fetch(builder().maxRetries(2).build()))
        .isInstanceOfSatisfying(FetchException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED);
          assertThat(e.status()).isEqualTo(OptionalInt.of(429));
          assertThat(e.uri()).isEqualTo(uri());
          assertThat(e.getCause()).isNull();
        })
        .hasMessage(uri() + " failed after 3 attempt(s): HTTP 429 (Too Many Requests)");
    WM.verify(3, getRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void getWhenServerKeepsFailingThenUnavailableWithDoublingBackoffUpToTheMaximum() {
    always(aResponse().withStatus(500).withBody("internal error \u0007" + "x".repeat(300)));
    assertThatThrownBy(fetch(builder().maxRetries(5).maxBackoff(Duration.ofSeconds(3)).build()))
        .isInstanceOfSatisfying(FetchException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("6 attempt(s)")
        .hasMessageContaining("HTTP 500 (internal error ?xxx")
        .hasMessageEndingWith("xx...)");
    assertThat(sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(3));
  }

  @Test
  void getWhenRetryAfterIsOverTheBoundThenFailsAtOnce() {
    first(aResponse().withStatus(429).withHeader("Retry-After", "3600"));
    assertThatThrownBy(fetch(builder().maxRetryAfter(Duration.ofSeconds(10)).build()))
        .isInstanceOfSatisfying(FetchException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED))
        .hasMessageContaining("retry after 3600 s (more than 10 s)");
    WM.resetScenarios();
    first(aResponse().withStatus(503).withHeader("Retry-After", "31"));
    assertReason(fetch(builder().build()), Reason.UNAVAILABLE);
    WM.verify(2, getRequestedFor(urlEqualTo(PATH)));
    assertThat(sleeps).isEmpty();
  }

  @Test
  void getWhen404ThenNotFoundWithoutRetry() {
    always(aResponse().withStatus(404).withBody("no such document"));
    assertThatThrownBy(fetch(builder().build())).isInstanceOfSatisfying(FetchException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessage(uri() + " answered HTTP 404 (no such document)");
    WM.verify(1, getRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void getWhen404HasAHugeBodyThenStillNotFound() {
    always(aResponse().withStatus(404).withBody(new byte[64 * 1024]));
    assertReason(fetch(builder().build()), Reason.NOT_FOUND);
  }

  @Test
  void getWhenOtherStatusThenBadStatusWithoutRetry() {
    HttpFetcher fetcher = builder().build();
    for (int status : new int[] {400, 401, 403, 204, 304}) {
      always(aResponse().withStatus(status));
      assertThatThrownBy(fetch(fetcher)).isInstanceOfSatisfying(FetchException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.BAD_STATUS);
        assertThat(e.status()).isEqualTo(OptionalInt.of(status));
      });
    }
    WM.verify(5, getRequestedFor(urlEqualTo(PATH)));
    assertThat(sleeps).isEmpty();
  }

  @Test
  void getWhenErrorDetailIsGivenThenMessagesUseIt() {
    always(aResponse().withStatus(401).withHeader("Error-Code", "Unauthorized"));
    HttpFetcher fetcher = builder()
        .errorDetail(r -> r.headers().firstValue("Error-Code").orElse("")).build();
    assertThatThrownBy(fetch(fetcher)).hasMessageEndingWith("HTTP 401 (Unauthorized)");
    always(aResponse().withStatus(401));
    assertThatThrownBy(fetch(fetcher)).hasMessageEndingWith("HTTP 401");
  }

  @Test
  void getWhenResponseSlowerThanTimeoutThenTimeoutWithHttpTimeoutCause() {
    always(ok().withFixedDelay(1500));
    HttpFetcher fetcher = builder().requestTimeout(Duration.ofMillis(200)).maxRetries(1).build();
    assertThatThrownBy(fetch(fetcher)).isInstanceOfSatisfying(FetchException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.TIMEOUT);
      assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
      assertThat(e.status()).isEmpty();
    });
    WM.verify(2, getRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void getWhenBodyExceedsLimitThenTooLargeWithoutRetry() {
    always(aResponse().withStatus(200).withBody(new byte[1025]));
    assertThatThrownBy(fetch(builder().build())).isInstanceOfSatisfying(FetchException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE))
        .hasMessageContaining("too large");
    WM.verify(1, getRequestedFor(urlEqualTo(PATH)));
  }

  @Test
  void getWhenChunkedBodyExceedsLimitThenTooLarge() {
    WireMockServer chunked = new WireMockServer(wireMockConfig().dynamicPort()
        .bindAddress("127.0.0.1")
        .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.ALWAYS));
    chunked.start();
    try {
      chunked.stubFor(get(urlEqualTo(PATH))
          .willReturn(aResponse().withStatus(200).withBody(new byte[1024 + 4096])));
      HttpFetcher fetcher = builder().build();
      assertThatThrownBy(() -> fetcher.get(URI.create(chunked.baseUrl() + PATH)))
          .isInstanceOfSatisfying(FetchException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.TOO_LARGE));
    } finally {
      chunked.stop();
    }
  }

  @Test
  void getWhenInterruptedWhileBackingOffThenInterruptedAndFlagKept() {
    always(aResponse().withStatus(503));
    HttpFetcher fetcher = builder().sleeper(d -> {
      throw new InterruptedException();
    }).build();
    try {
      assertThatThrownBy(fetch(fetcher)).isInstanceOfSatisfying(FetchException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.INTERRUPTED);
        assertThat(e.getCause()).isInstanceOf(InterruptedException.class);
      });
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }

  @Test
  void getWithFailureFunctionWhenFetchFailsThenThrowsTheCallersException() throws Exception {
    always(aResponse().withStatus(404));
    HttpFetcher fetcher = builder().build();
    assertThatThrownBy(() -> fetcher.get(uri(), e -> new IllegalStateException(e.reason().name())))
        .isInstanceOf(IllegalStateException.class).hasMessage("NOT_FOUND");
    always(ok());
    assertThat(fetcher.get(uri(), e -> new IllegalStateException(e)).body()).isEqualTo(DOC);
  }

  @Test
  void builderWhenSettingsAreOutOfRangeThenIllegalArgument() {
    assertThatThrownBy(() -> HttpFetcher.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpFetcher.builder().maxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpFetcher.builder().retryBackoff(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> HttpFetcher.builder().maxBodySize(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
