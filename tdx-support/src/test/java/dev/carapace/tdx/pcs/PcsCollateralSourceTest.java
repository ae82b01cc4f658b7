package dev.carapace.tdx.pcs;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PcsCollateralSourceTest {
  @RegisterExtension
  static final WireMockExtension WM = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private PcsStubs pcs;

  @BeforeEach
  void serve() {
    pcs = new PcsStubs(WM);
    pcs.serveAll();
  }

  @Test
  void collateralForWhenPcsServesRecordedResponsesThenParsesAllDocuments() throws Exception {
    Collateral c = pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);

    TcbInfo tcb = c.tcbInfo().value();
    assertThat(tcb.id()).isEqualTo("TDX");
    assertThat(tcb.fmspc().toHex()).isEqualTo("50806f000000");
    assertThat(tcb.tcbEvaluationDataNumber()).isEqualTo(15);
    assertThat(tcb.nextUpdate()).isEqualTo(Instant.parse("2023-07-18T08:42:58Z"));
    assertThat(c.tcbInfo().signedBody().size()).isEqualTo(2245);
    assertExactSignedSubstring(PcsVectors.TCB_INFO, "tcbInfo", c.tcbInfo());

    assertThat(c.qeIdentity().value().id()).isEqualTo("TD_QE");
    assertThat(c.qeIdentity().signedBody().size()).isEqualTo(461);
    assertExactSignedSubstring(PcsVectors.QE_IDENTITY, "enclaveIdentity", c.qeIdentity());

    assertThat(commonName(c.pckCrl().getIssuerX500Principal()))
        .isEqualTo("Intel SGX PCK Platform CA");
    assertThat(c.pckCrl().getRevokedCertificates()).hasSize(44);
    assertThat(commonName(c.rootCaCrl().getIssuerX500Principal()))
        .isEqualTo("Intel SGX Root CA");
    assertThat(subjects(c.pckCrlIssuerChain()))
        .containsExactly("Intel SGX PCK Platform CA", "Intel SGX Root CA");
    assertThat(subjects(c.tcbInfoIssuerChain()))
        .containsExactly("Intel SGX TCB Signing", "Intel SGX Root CA");
    assertThat(subjects(c.qeIdentityIssuerChain()))
        .containsExactly("Intel SGX TCB Signing", "Intel SGX Root CA");
    assertThat(c.earliestExpiry()).isEqualTo(Instant.parse("2023-07-08T07:24:59Z"));
  }

  @Test
  void pcsHeaderWhenEncodingRecordedChainThenMatchesGoTdxGuestHeaderValue() {
    // Prefix of go-tdx-guest testing/test_cases.go pckCrlIssuerChain, as PCS sends it.
    assertThat(PcsVectors.pcsHeader(PcsVectors.text(PcsVectors.PCK_CRL_CHAIN)))
        .startsWith("-----BEGIN%20CERTIFICATE-----%0AMIICljCCAj2gAwIBAgIVAJVvXc29G%2BHpQEnJ1P")
        .endsWith("XaqI%3D%0A-----END%20CERTIFICATE-----%0A");
  }

  @Test
  void collateralForWhenCalledAgainBeforeNextUpdateThenMakesNoRequest() throws Exception {
    PcsCollateralSource source = pcs.builder().build();
    Collateral first = source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    pcs.clock.advance(Duration.ofDays(6));
    Collateral second = source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);

    assertThat(second).isEqualTo(first);
    assertRequests(1, 1, 1, 1);
  }

  @Test
  void collateralForWhenClockPassesEachNextUpdateThenRefetchesOnlyExpiredDocuments()
      throws Exception {
    PcsCollateralSource source = pcs.builder().build();
    source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);

    pcs.clock.set(Instant.parse("2023-07-08T07:25:00Z")); // past QE identity nextUpdate only
    source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    assertRequests(1, 2, 1, 1);

    pcs.clock.set(Instant.parse("2023-07-19T00:00:00Z")); // past TCB info and PCK CRL too
    source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    // Documents already past nextUpdate when fetched are not cached: QE identity again.
    assertRequests(2, 3, 2, 1);
  }

  @Test
  void collateralForWhenMaxCacheAgeElapsesThenRefetchesEverything() throws Exception {
    PcsCollateralSource source = pcs.builder().maxCacheAge(Duration.ofHours(1)).build();
    source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    pcs.clock.advance(Duration.ofMinutes(59));
    source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    pcs.clock.advance(Duration.ofMinutes(2));
    source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    assertRequests(2, 2, 2, 2);
  }

  @Test
  void collateralForWhenCacheDisabledOrClearedThenRefetches() throws Exception {
    PcsCollateralSource uncached = pcs.builder().cacheCapacity(0).build();
    uncached.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    uncached.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    assertRequests(2, 2, 2, 2);

    PcsCollateralSource cached = pcs.builder().build();
    cached.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    cached.clearCache();
    cached.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    assertRequests(4, 4, 4, 4);
  }

  @Test
  void collateralForWhenUpdateEarlyThenPassesUpdateQueryToTcbAndQeIdentity() throws Exception {
    WM.stubFor(get(urlEqualTo(PcsStubs.TCB_URL + "&update=early"))
        .willReturn(PcsStubs.tcbInfoResponse()));
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL + "?update=early"))
        .willReturn(PcsStubs.qeIdentityResponse()));

    pcs.builder().update(PcsCollateralSource.Update.EARLY).build()
        .collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);

    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.TCB_URL + "&update=early")));
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.QE_URL + "?update=early")));
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.PCK_CRL_URL)));
  }

  @Test
  void collateralForWhenNoUpdateConfiguredThenSendsNoUpdateParameter() throws Exception {
    pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.TCB_URL)));
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
  }

  @Test
  void collateralForWhenProcessorCaThenRequestsProcessorPckCrl() throws Exception {
    String url = "/sgx/certification/v4/pckcrl?ca=processor&encoding=der";
    WM.stubFor(get(urlEqualTo(url)).willReturn(PcsStubs.pckCrlResponse()));
    pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PROCESSOR);
    WM.verify(1, getRequestedFor(urlEqualTo(url)));
  }

  @Test
  void collateralForWhenPccsServesHexRootCaCrlThenParsesIt() throws Exception {
    String hex = HexFormat.of().formatHex(PcsVectors.bytes(PcsVectors.ROOT_CRL));
    WM.stubFor(get(urlEqualTo(PcsCollateralSource.PCCS_ROOT_CA_CRL_PATH))
        .willReturn(aResponse().withStatus(200).withBody(hex)));

    Collateral c = PcsCollateralSource.builder(URI.create(WM.baseUrl() + "/"))
        .pccsRootCaCrl().clock(pcs.clock).build()
        .collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);

    assertThat(c.rootCaCrl().getEncoded()).isEqualTo(PcsVectors.bytes(PcsVectors.ROOT_CRL));
    WM.verify(0, getRequestedFor(urlEqualTo(PcsStubs.ROOT_CRL_URL)));
  }

  @Test
  void collateralForWhenOnlyLegacyTcbInfoHeaderThenUsesIt() throws Exception {
    WM.stubFor(get(urlEqualTo(PcsStubs.TCB_URL)).willReturn(aResponse().withStatus(200)
        .withHeader("SGX-TCB-Info-Issuer-Chain",
            PcsVectors.pcsHeader(PcsVectors.text(PcsVectors.TCB_INFO_CHAIN)))
        .withBody(PcsVectors.bytes(PcsVectors.TCB_INFO))));
    Collateral c = pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM);
    assertThat(c.tcbInfoIssuerChain()).hasSize(2);
  }

  @Test
  void collateralForWhenIssuerChainHeaderMissingThenBadResponse() {
    WM.stubFor(get(urlEqualTo(PcsStubs.PCK_CRL_URL)).willReturn(aResponse().withStatus(200)
        .withBody(PcsVectors.bytes(PcsVectors.PCK_CRL))));
    assertThatThrownBy(() -> pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
        .hasMessageContaining("SGX-PCK-CRL-Issuer-Chain");
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.PCK_CRL_URL)));
  }

  @Test
  void collateralForWhenIssuerChainHeaderIsNotPemThenMalformed() {
    WM.stubFor(get(urlEqualTo(PcsStubs.QE_URL)).willReturn(aResponse().withStatus(200)
        .withHeader("SGX-Enclave-Identity-Issuer-Chain", "-----BEGIN%20CERTIFICATE-----%ZZ")
        .withBody(PcsVectors.bytes(PcsVectors.QE_IDENTITY))));
    assertThatThrownBy(() -> pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void collateralForWhenTcbInfoIsForAnotherFmspcThenBadResponse() {
    WM.stubFor(get(urlPathEqualTo(PcsStubs.TCB_PATH)).withQueryParam("fmspc",
        equalTo("00806f050000")).willReturn(PcsStubs.tcbInfoResponse()));
    assertThatThrownBy(() -> pcs.builder().build()
        .collateralFor(Bytes.fromHex("00806f050000"), PckCa.PLATFORM))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.BAD_RESPONSE))
        .hasMessageContaining("50806f000000");
  }

  @Test
  void collateralForWhenBodyIsNotJsonThenMalformedWithoutRetry() {
    WM.stubFor(get(urlEqualTo(PcsStubs.TCB_URL))
        .willReturn(PcsStubs.tcbInfoResponse().withBody("<html>maintenance</html>")));
    assertThatThrownBy(() -> pcs.builder().build().collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    WM.verify(1, getRequestedFor(urlEqualTo(PcsStubs.TCB_URL)));
  }

  @Test
  void collateralForWhenCalledConcurrentlyThenAllCallersGetTheSameDocuments() throws Exception {
    PcsCollateralSource source = pcs.builder().cacheCapacity(2).build(); // forces evictions
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<Collateral>> results = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        results.add(pool.submit(() -> source.collateralFor(PcsVectors.FMSPC, PckCa.PLATFORM)));
      }
      Bytes expected = Bytes.copyOf(PcsVectors.bytes(PcsVectors.TCB_INFO), 11, 2245);
      for (Future<Collateral> f : results) {
        assertThat(f.get().tcbInfo().signedBody()).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void collateralForWhenFmspcIsNotSixBytesThenIllegalArgument() {
    assertThatThrownBy(() -> pcs.builder().build()
        .collateralFor(Bytes.fromHex("50806f0000"), PckCa.PLATFORM))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderWhenBaseUrlIsNotHttpThenIllegalArgument() {
    assertThatThrownBy(() -> PcsCollateralSource.builder(URI.create("file:///etc")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PcsCollateralSource.builder(URI.create("https://pcs/?a=b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void decodeChainHeaderWhenPlusIsLiteralOrFormEncodedThenKeepsBase64Intact() throws Exception {
    String pem = PcsVectors.text(PcsVectors.PCK_CRL_CHAIN);
    String literalPlus = PcsVectors.pcsHeader(pem).replace("%2B", "+");
    String formEncoded = java.net.URLEncoder.encode(pem, StandardCharsets.UTF_8);
    assertThat(IssuerChainHeaders.decode(PcsVectors.pcsHeader(pem))).isEqualTo(pem);
    assertThat(IssuerChainHeaders.decode(literalPlus)).isEqualTo(pem);
    assertThat(IssuerChainHeaders.decode(formEncoded)).isEqualTo(pem);
  }

  private static void assertRequests(int tcb, int qe, int pckCrl, int rootCrl) {
    WM.verify(tcb, getRequestedFor(urlEqualTo(PcsStubs.TCB_URL)));
    WM.verify(qe, getRequestedFor(urlEqualTo(PcsStubs.QE_URL)));
    WM.verify(pckCrl, getRequestedFor(urlEqualTo(PcsStubs.PCK_CRL_URL)));
    WM.verify(rootCrl, getRequestedFor(urlEqualTo(PcsStubs.ROOT_CRL_URL)));
  }

  /** The signed bytes are the member's value exactly as it appears in the response body. */
  static void assertExactSignedSubstring(String resource, String key, Signed<?> signed)
      throws Exception {
    String body = PcsVectors.text(resource);
    String member = "{\"" + key + "\":";
    assertThat(body).startsWith(member);
    String signedText = new String(signed.signedBody().toByteArray(), StandardCharsets.UTF_8);
    assertThat(body.substring(member.length(), member.length() + signedText.length()))
        .isEqualTo(signedText);
    assertThat(signedText).startsWith("{").endsWith("}");
    String sigHex = new ObjectMapper().readTree(body).get("signature").asText();
    assertThat(signed.signature().toHex()).isEqualTo(sigHex.toLowerCase(java.util.Locale.ROOT));
  }

  static List<String> subjects(List<X509Certificate> chain) throws Exception {
    List<String> out = new ArrayList<>();
    for (X509Certificate c : chain) {
      out.add(commonName(c.getSubjectX500Principal()));
    }
    return out;
  }

  static String commonName(X500Principal name) throws Exception {
    for (Rdn rdn : new LdapName(name.getName()).getRdns()) {
      if (rdn.getType().equalsIgnoreCase("CN")) {
        return rdn.getValue().toString();
      }
    }
    throw new AssertionError("no CN in " + name);
  }
}
