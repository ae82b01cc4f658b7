package dev.carapace.tdx.pcs;

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
import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PcsCollateralSourceRetryTest {
  @RegisterExtension
  static final WireMockExtension WM = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private PcsStubs pcs;

  @BeforeEach
  void serve() {
    pcs = new PcsStubs(WM);
    pcs.serveAll();
  }

  /** The QE identity endpoint answers {@code first}, then the recorded response. */
  private static void qeIdentityFirst(ResponseDefinitionBuilder first) {
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).inScenario("flaky")
        .whenScenarioStateIs(STARTED).willReturn(first).willSetStateTo("recovered"));
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).inScenario("flaky")
        .whenScenarioStateIs("recovered").willReturn(PcsStubs.qeIdentityResponse()));
  }

  private ThrowingCallable fetch(PcsCollateralSource source) {
    return () -> source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
  }

  private static void assertReason(ThrowingCallable call, Reason reason) {
    assertThatThrownBy(call).isInstanceOfSatisfying(CollateralException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void collateralForWhenFirstAttemptAnswers503ThenRetriesAndSucceeds() throws Exception {
    qeIdentityFirst(aResponse().withStatus(503));
    Collateral c = pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    assertThat(c.qeIdentity().signedBody().size()).isEqualTo(461);
    WM.verify(2, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
    assertThat(pcs.sleeps).containsExactly(Duration.ofMillis(500));
  }

  @Test
  void collateralForWhenConnectionResetThenRetriesAndSucceeds() throws Exception {
    qeIdentityFirst(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
    pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    WM.verify(2, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
  }

  @Test
  void collateralForWhen429WithSmallRetryAfterThenWaitsThatLong() throws Exception {
    qeIdentityFirst(aResponse().withStatus(429).withHeader("Retry-After", "2"));
    pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    assertThat(pcs.sleeps).containsExactly(Duration.ofSeconds(2));
  }

  @Test
  void collateralForWhenRetryAfterIsLongThenUnavailableWithoutRetry() {
    qeIdentityFirst(aResponse().withStatus(503).withHeader("Retry-After", "3600"));
    assertReason(fetch(pcs.builder().build()), Reason.UNAVAILABLE);
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
    assertThat(pcs.sleeps).isEmpty();
  }

  @Test
  void collateralForWhenServerKeepsFailingThenUnavailableAfterConfiguredRetries() {
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).willReturn(aResponse().withStatus(500)
        .withHeader("Error-Code", "InternalError")
        .withHeader("Error-Message", "try later " + "x".repeat(200))));
    assertThatThrownBy(fetch(pcs.builder().maxRetries(2).build()))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE))
        .hasMessageContaining("3 attempt(s)")
        .hasMessageContaining("HTTP 500 (Error-Code: InternalError, Error-Message: try later xx")
        .hasMessageContaining("xx...)");
    WM.verify(3, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
    assertThat(pcs.sleeps).containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  @Test
  void collateralForWhenDefaultRetriesExhaustedThenFourAttemptsWithDoublingBackoff() {
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).willReturn(aResponse().withStatus(502)));
    assertReason(fetch(pcs.builder().build()), Reason.UNAVAILABLE);
    WM.verify(4, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
    assertThat(pcs.sleeps)
        .containsExactly(Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2));
  }

  @Test
  void collateralForWhen404ThenNotFoundWithoutRetry() {
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).willReturn(aResponse().withStatus(404)));
    assertReason(fetch(pcs.builder().build()), Reason.NOT_FOUND);
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
    assertThat(pcs.sleeps).isEmpty();
  }

  @Test
  void collateralForWhenOther4xxOrRedirectThenBadResponseWithoutRetry() {
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).willReturn(aResponse().withStatus(401)));
    assertReason(fetch(pcs.builder().build()), Reason.BAD_RESPONSE);
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).willReturn(aResponse().withStatus(204)));
    assertReason(fetch(pcs.builder().build()), Reason.BAD_RESPONSE);
    WM.verify(2, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
    assertThat(pcs.sleeps).isEmpty();
  }

  @Test
  void collateralForWhenResponseIsSlowerThanTimeoutThenUnavailable() {
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL))
        .willReturn(PcsStubs.qeIdentityResponse().withFixedDelay(1500)));
    PcsCollateralSource source =
        pcs.builder().requestTimeout(Duration.ofMillis(200)).maxRetries(1).build();
    assertThatThrownBy(fetch(source)).isInstanceOfSatisfying(CollateralException.class, e -> {
      assertThat(e.reason()).isEqualTo(Reason.UNAVAILABLE);
      assertThat(e.getCause()).isInstanceOf(HttpTimeoutException.class);
    });
    WM.verify(2, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
  }

  @Test
  void collateralForWhenBodyExceedsLimitThenBadResponseWithoutRetry() {
    byte[] huge = new byte[CollateralDocuments.MAX_DOCUMENT_SIZE + 1];
    WM.stubFor(get(urlEqualTo(PcsStubs.PCK_CRL_URL))
        .willReturn(PcsStubs.pckCrlResponse().withBody(huge)));
    assertThatThrownBy(fetch(pcs.builder().build()))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
        .hasMessageContaining("too large");
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.PCK_CRL_URL)));
  }

  @Test
  void collateralForWhenChunkedBodyExceedsLimitThenBadResponse() {
    WireMockServer chunked = new WireMockServer(wireMockConfig().dynamicPort()
        .bindAddress("127.0.0.1")
        .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.ALWAYS));
    chunked.start();
    try {
      chunked.stubFor(get(urlEqualTo(PcsStubs.PCK_CRL_URL)).willReturn(PcsStubs.pckCrlResponse()
          .withBody(new byte[CollateralDocuments.MAX_DOCUMENT_SIZE + 4096])));
      PcsCollateralSource source = PcsCollateralSource.builder(URI.create(chunked.baseUrl()))
          .rootCaCrlUrl(URI.create(chunked.baseUrl() + PcsStubs.ROOT_CRL_URL))
          .clock(pcs.clock).sleeper(pcs.sleeps::add).build();
      assertThatThrownBy(fetch(source)).isInstanceOfSatisfying(CollateralException.class, e -> {
        assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE);
        assertThat(e).hasMessageContaining("too large");
      });
    } finally {
      chunked.stop();
    }
  }

  @Test
  void collateralForWhenInterruptedWhileBackingOffThenUnavailableAndInterruptKept() {
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).willReturn(aResponse().withStatus(503)));
    PcsCollateralSource source = pcs.builder().sleeper(d -> {
      throw new InterruptedException();
    }).build();
    try {
      assertReason(fetch(source), Reason.UNAVAILABLE);
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
  }
}
