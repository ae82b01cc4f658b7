package dev.carapace.tdx.pcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.carapace.evidence.io.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** WireMock stubs that answer like Intel PCS with the go-tdx-guest recordings. */
final class PcsStubs {
  static final String TCB_PATH = "/tdx/certification/v4/tcb";
  static final String TCB_URL = TCB_PATH + "?fmspc=50806f000000";
  static final String QE_URL = "/tdx/certification/v4/qe/identity";
  static final String PCK_CRL_URL = "/sgx/certification/v4/pckcrl?ca=platform&encoding=der";
  static final String ROOT_CRL_URL = "/IntelSGXRootCA.der";
  /** go-tdx-guest's upstream test time: every recorded document is valid then. */
  static final Instant TEST_TIME = Instant.parse("2023-07-01T01:00:00Z");

  private final WireMockExtension wm;
  final MutableClock clock = new MutableClock(TEST_TIME);
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  PcsStubs(WireMockExtension wm) {
    this.wm = wm;
  }

  static ResponseDefinitionBuilder tcbInfoResponse() {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withHeader("TCB-Info-Issuer-Chain",
            PcsVectors.pcsHeader(PcsVectors.text(PcsVectors.TCB_INFO_CHAIN)))
        .withBody(PcsVectors.bytes(PcsVectors.TCB_INFO));
  }

  static ResponseDefinitionBuilder qeIdentityResponse() {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withHeader("SGX-Enclave-Identity-Issuer-Chain",
            PcsVectors.pcsHeader(PcsVectors.text(PcsVectors.TCB_INFO_CHAIN)))
        .withBody(PcsVectors.bytes(PcsVectors.QE_IDENTITY));
  }

  static ResponseDefinitionBuilder pckCrlResponse() {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/pkix-crl")
        .withHeader("SGX-PCK-CRL-Issuer-Chain",
            PcsVectors.pcsHeader(PcsVectors.text(PcsVectors.PCK_CRL_CHAIN)))
        .withBody(PcsVectors.bytes(PcsVectors.PCK_CRL));
  }

  static ResponseDefinitionBuilder rootCrlResponse() {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/pkix-crl")
        .withBody(PcsVectors.bytes(PcsVectors.ROOT_CRL));
  }

  /** Serves all four documents; tests override single stubs afterwards. */
  void serveAll() {
    wm.stubFor(get(urlPathEqualTo(TCB_PATH)).withQueryParam("fmspc", equalTo("50806f000000"))
        .willReturn(tcbInfoResponse()));
    wm.stubFor(get(urlPathEqualTo(QE_URL)).willReturn(qeIdentityResponse()));
    wm.stubFor(get(urlEqualTo(PCK_CRL_URL)).willReturn(pckCrlResponse()));
    wm.stubFor(get(urlEqualTo(ROOT_CRL_URL)).willReturn(rootCrlResponse()));
  }

  /** A builder aimed at the stub server, with the test clock and a recording sleeper. */
  PcsCollateralSource.Builder builder() {
    return PcsCollateralSource.builder(URI.create(wm.baseUrl()))
        .rootCaCrlUrl(URI.create(wm.baseUrl() + ROOT_CRL_URL))
        .clock(clock)
        .sleeper(sleeps::add)
        .requestTimeout(Duration.ofSeconds(5));
  }
}
