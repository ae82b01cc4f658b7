package dev.carapace.snp.kds;

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
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KdsClientRetryTest {
  @RegisterExtension
  static final WireMockExtension WM = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private static final String VCEK_URL = KdsStubs.GSG_MILAN_URL;
  private static final String CHAIN_URL = "/vcek/v1/Milan/cert_chain";
  private static final String CRL_URL = "/vcek/v1/Milan/crl";

  private KdsStubs kds;

  @BeforeEach
  void serve() {
    kds = new KdsStubs(WM);
    kds.serveAll();
  }

  private static ResponseDefinitionBuilder vcekResponse() {
    return KdsStubs.der(KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
  }

  /** The VCEK URL answers {@code first}, then the real VCEK. */
  private static void vcekFirst(ResponseDefinitionBuilder first) {
    WM.stubFor(get(urlEqualTo(VCEK_URL)).inScenario("flaky").whenScenarioStateIs(STARTED)
        .willReturn(first).willSetStateTo("recovered"));
    WM.stubFor(get(urlEqualTo(VCEK_URL)).inScenario("flaky").whenScenarioStateIs("recovered")
        .willReturn(vcekResponse()));
  }

  private static ThrowingCallable fetchVcek(KdsClient client) {
    return () -> client.vcek(Product.MILAN, KdsVectors.chipId(KdsVectors.GSG_MILAN),
        KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN));
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(KdsException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  private void assertVcekFetched(KdsClient client) throws Throwable {
    TcbVersion tcb = KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN);
    assertThat(client.vcek(Product.MILAN, KdsVectors.chipId(KdsVectors.GSG_MILAN), tcb)
        .getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
  }

  @Test
  void vcekWhenFirstAnswerIs503ThenRetriesAfterBackoffAndSucceeds() throws Throwable {
    vcekFirst(aResponse().withStatus(503));
    assertVcekFetched(kds.builder().build());
    WM.verify(2, getRequestedFor(urlEqualTo(VCEK_URL)));
    assertThat(kds.sleeps).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void vcekWhen429WithRetryAfterSecondsThenWaitsThatLongAndSucceeds() throws Throwable {
    vcekFirst(aResponse().withStatus(429).withHeader("Retry-After", "3"));
    assertVcekFetched(kds.builder().build());
    WM.verify(2, getRequestedFor(urlEqualTo(VCEK_URL)));
    assertThat(kds.sleeps).containsExactly(Duration.ofSeconds(3));
  }

  @Test
  void vcekWhen429WithRetryAfterHttpDateThenWaitsUntilThatDateByTheClock() throws Throwable {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME
        .format(KdsVectors.TEST_TIME.plusSeconds(7).atOffset(ZoneOffset.UTC));
    vcekFirst(aResponse().withStatus(429).withHeader("Retry-After", date));
    assertVcekFetched(kds.builder().build());
    assertThat(kds.sleeps).containsExactly(Duration.ofSeconds(7));
  }

  @Test
  void vcekWhen429WithoutRetryAfterThenWaitsTheKdsThrottleWindow() throws Throwable {
    vcekFirst(aResponse().withStatus(429));
    assertVcekFetched(kds.builder().build());
    assertThat(kds.sleeps).containsExactly(Duration.ofSeconds(10));
  }

  @Test
  void vcekWhenAlways429ThenRateLimitedAfterConfiguredRetries() {
    WM.stubFor(get(urlEqualTo(VCEK_URL)).willReturn(aResponse().withStatus(429)
        .withBody("Too Many Requests")));
    assertThatThrownBy(fetchVcek(kds.builder().build()))
        .isInstanceOfSatisfying(KdsException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED))
        .hasMessageContaining("4 attempt(s)")
        .hasMessageContaining("HTTP 429 (Too Many Requests)");
    WM.verify(4, getRequestedFor(urlEqualTo(VCEK_URL)));
    assertThat(kds.sleeps).containsExactly(
        Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(10));
  }

  @Test
  void vcekWhen429AsksToWaitLongerThanTheBoundThenRateLimitedWithoutRetry() {
    vcekFirst(aResponse().withStatus(429).withHeader("Retry-After", "3600"));
    assertThatThrownBy(fetchVcek(kds.builder().build()))
        .isInstanceOfSatisfying(KdsException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.RATE_LIMITED))
        .hasMessageContaining("retry after 3600 s");
    WM.verify(1, getRequestedFor(urlEqualTo(VCEK_URL)));
    assertThat(kds.sleeps).isEmpty();
  }

  @Test
  void vcekWhen503AsksToWaitLongerThanTheBoundThenUnavailableWithoutRetry() {
    vcekFirst(aResponse().withStatus(503).withHeader("Retry-After", "31"));
    assertReason(fetchVcek(kds.builder().build()), Reason.UNAVAILABLE);
    WM.verify(1, getRequestedFor(urlEqualTo(VCEK_URL)));
  }

  @Test
  void vcekWhenServerKeepsFailingThenUnavailableWithDoublingBackoffAndBodyExcerpt() {
    WM.stubFor(get(urlEqualTo(VCEK_URL)).willReturn(aResponse().withStatus(500)
        .withBody("internal error \u0007" + "x".repeat(300))));
    assertThatThrownBy(fetchVcek(kds.builder().maxRetries(2).build()))
        .isInstanceOfSatisfying(KdsException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("3 attempt(s)")
        .hasMessageContaining("HTTP 500 (internal error ?xxx")
        .hasMessageContaining("xx...)");
    WM.verify(3, getRequestedFor(urlEqualTo(VCEK_URL)));
    assertThat(kds.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void vcekWhenConnectionResetThenRetriesAndSucceeds() throws Throwable {
    vcekFirst(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    assertVcekFetched(kds.builder().build());
    WM.verify(2, getRequestedFor(urlEqualTo(VCEK_URL)));
  }

  @Test
  void vcekWhen404ThenNotFoundWithoutRetryAndNotCached() throws Throwable {
    vcekFirst(aResponse().withStatus(404).withBody("no such chip"));
    KdsClient client = kds.builder().build();
    assertThatThrownBy(fetchVcek(client)).isInstanceOfSatisfying(KdsException.class,
        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND))
        .hasMessageContaining("HTTP 404 (no such chip)");
    assertThat(kds.sleeps).isEmpty();
    assertVcekFetched(client); // failures are not cached
    WM.verify(2, getRequestedFor(urlEqualTo(VCEK_URL)));
  }

  @Test
  void vcekWhen404HasAHugeBodyThenStillNotFound() {
    WM.stubFor(get(urlEqualTo(VCEK_URL)).willReturn(aResponse().withStatus(404)
        .withBody(new byte[KdsDocuments.MAX_DOCUMENT_SIZE * 4])));
    assertReason(fetchVcek(kds.builder().build()), Reason.NOT_FOUND);
  }

  @Test
  void vcekWhenOther4xxOr2xxOr3xxThenBadResponseWithoutRetry() {
    KdsClient client = kds.builder().build();
    for (int status : new int[] {400, 401, 403, 204, 304}) {
      WM.stubFor(get(urlEqualTo(VCEK_URL)).willReturn(aResponse().withStatus(status)));
      assertReason(fetchVcek(client), Reason.BAD_RESPONSE);
    }
    WM.verify(5, getRequestedFor(urlEqualTo(VCEK_URL)));
    assertThat(kds.sleeps).isEmpty();
  }

  @Test
  void vcekWhenResponseSlowerThanTimeoutThenUnavailable() {
    WM.stubFor(get(urlEqualTo(VCEK_URL)).willReturn(vcekResponse().withFixedDelay(1500)));
    KdsClient client = kds.builder().requestTimeout(Duration.ofMillis(200)).maxRetries(1)
        .build();
    assertThatThrownBy(fetchVcek(client)).isInstanceOfSatisfying(KdsException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
      assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
    });
    WM.verify(2, getRequestedFor(urlEqualTo(VCEK_URL)));
  }

  @Test
  void vcekWhenBodyExceedsLimitThenBadResponseWithoutRetry() {
    WM.stubFor(get(urlEqualTo(VCEK_URL))
        .willReturn(KdsStubs.der(new byte[KdsDocuments.MAX_DOCUMENT_SIZE + 1])));
    assertThatThrownBy(fetchVcek(kds.builder().build()))
        .isInstanceOfSatisfying(KdsException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
        .hasMessageContaining("too large");
    WM.verify(1, getRequestedFor(urlEqualTo(VCEK_URL)));
  }

  @Test
  void certChainWhenChunkedBodyExceedsLimitThenBadResponse() {
    WireMockServer chunked = new WireMockServer(wireMockConfig().dynamicPort()
        .bindAddress("127.0.0.1")
        .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.ALWAYS));
    chunked.start();
    try {
      byte[] big = new byte[KdsDocuments.MAX_DOCUMENT_SIZE + 4096];
      Arrays.fill(big, (byte) 'A');
      chunked.stubFor(get(urlEqualTo(CHAIN_URL)).willReturn(KdsStubs.pem(big)));
      KdsClient client = KdsClient.builder(URI.create(chunked.baseUrl())).clock(kds.clock)
          .sleeper(kds.sleeps::add).build();
      assertThatThrownBy(() -> client.certChain(Product.MILAN, SignerKind.VCEK))
          .isInstanceOfSatisfying(KdsException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
          .hasMessageContaining("too large");
    } finally {
      chunked.stop();
    }
  }

  @Test
  void vcekWhenBodyIsNotACertificateThenMalformedWithoutRetry() {
    WM.stubFor(get(urlEqualTo(VCEK_URL)).willReturn(KdsStubs.der(
        "<html>maintenance</html>".getBytes(StandardCharsets.US_ASCII))));
    assertThatThrownBy(fetchVcek(kds.builder().build()))
        .isInstanceOfSatisfying(KdsException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining(VCEK_URL);
    WM.verify(1, getRequestedFor(urlEqualTo(VCEK_URL)));
    assertThat(kds.sleeps).isEmpty();
  }

  @Test
  void vcekWhenDerHasTrailingBytesOrIsTruncatedThenMalformed() {
    byte[] der = KdsVectors.vcekDer(KdsVectors.GSG_MILAN);
    KdsClient client = kds.builder().build();
    WM.stubFor(get(urlEqualTo(VCEK_URL))
        .willReturn(KdsStubs.der(Arrays.copyOf(der, der.length + 1))));
    assertReason(fetchVcek(client), Reason.MALFORMED);
    WM.stubFor(get(urlEqualTo(VCEK_URL))
        .willReturn(KdsStubs.der(Arrays.copyOf(der, der.length - 10))));
    assertReason(fetchVcek(client), Reason.MALFORMED);
  }

  @Test
  void vcekWhenServedAsPemThenAccepted() throws Throwable {
    WM.stubFor(get(urlEqualTo(KdsStubs.GCP_MILAN_URL))
        .willReturn(KdsStubs.pem(KdsVectors.bytes(KdsVectors.GCP_MILAN + "/vcek.pem"))));
    assertThat(kds.builder().build().vcek(Product.MILAN, KdsVectors.chipId(KdsVectors.GCP_MILAN),
        KdsVectors.reportedTcb(KdsVectors.GCP_MILAN, Product.MILAN)).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GCP_MILAN));
  }

  @Test
  void certChainWhenPemIsNotTwoLinkedCertificatesThenMalformed() throws Exception {
    String milan = KdsVectors.text(KdsVectors.chainPem(Product.MILAN, SignerKind.VCEK));
    String genoa = KdsVectors.text(KdsVectors.chainPem(Product.GENOA, SignerKind.VCEK));
    int split = milan.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length();
    String milanAsk = milan.substring(0, split) + "\n";
    String genoaArk = genoa.substring(genoa.indexOf("-----END CERTIFICATE-----")
        + "-----END CERTIFICATE-----".length()).strip() + "\n";
    String[] bad = {
        "",
        "not pem at all",
        milanAsk, // one certificate
        milan + milanAsk, // three
        milanAsk + genoaArk, // ASK-Milan under ARK-Genoa
        milan.replace("MII", "M!I"), // bad base64 character
        milan.substring(0, milan.length() - 30), // unterminated
        milan.replace("CERTIFICATE", "PRIVATE KEY"),
    };
    KdsClient client = kds.builder().cacheCapacity(0).build();
    for (String body : bad) {
      WM.stubFor(get(urlEqualTo(CHAIN_URL))
          .willReturn(KdsStubs.pem(body.getBytes(StandardCharsets.US_ASCII))));
      assertReason(() -> client.certChain(Product.MILAN, SignerKind.VCEK), Reason.MALFORMED);
    }
    assertThat(kds.sleeps).isEmpty();
  }

  @Test
  void certChainWhenArkComesFirstThenReordered() throws Exception {
    String milan = KdsVectors.text(KdsVectors.chainPem(Product.MILAN, SignerKind.VCEK));
    int split = milan.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length();
    String reversed = milan.substring(split).strip() + "\n" + milan.substring(0, split) + "\n";
    WM.stubFor(get(urlEqualTo(CHAIN_URL))
        .willReturn(KdsStubs.pem(reversed.getBytes(StandardCharsets.US_ASCII))));
    assertThat(kds.builder().build().certChain(Product.MILAN, SignerKind.VCEK))
        .isEqualTo(KdsVectors.chain(Product.MILAN, SignerKind.VCEK));
  }

  @Test
  void crlWhenBodyIsNotACrlThenMalformed() {
    KdsClient client = kds.builder().build();
    WM.stubFor(get(urlEqualTo(CRL_URL)).willReturn(KdsStubs.der(new byte[] {0x30, 0x03, 1, 2})));
    assertReason(() -> client.crl(Product.MILAN, SignerKind.VCEK), Reason.MALFORMED);
    // A certificate is not a CRL either.
    WM.stubFor(get(urlEqualTo(CRL_URL))
        .willReturn(KdsStubs.der(KdsVectors.vcekDer(KdsVectors.GSG_MILAN))));
    assertReason(() -> client.crl(Product.MILAN, SignerKind.VCEK), Reason.MALFORMED);
  }

  @Test
  void vcekWhenInterruptedWhileBackingOffThenUnavailableAndInterruptKept() {
    WM.stubFor(get(urlEqualTo(VCEK_URL)).willReturn(aResponse().withStatus(503)));
    KdsClient client = kds.builder().sleeper(d -> {
      throw new InterruptedException();
    }).build();
    try {
      assertReason(fetchVcek(client), Reason.UNAVAILABLE);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
