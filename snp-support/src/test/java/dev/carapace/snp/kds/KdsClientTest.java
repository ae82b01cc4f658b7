package dev.carapace.snp.kds;

import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.net.URI;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class KdsClientTest {
  @RegisterExtension
  static final WireMockExtension WM = WireMockExtension.newInstance()
      .options(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")).build();

  private KdsStubs kds;

  @BeforeEach
  void serve() {
    kds = new KdsStubs(WM);
    kds.serveAll();
  }

  private static List<String> names(List<X509Certificate> certs) {
    return certs.stream().map(c -> AmdNames.commonName(c).orElseThrow()).toList();
  }

  private static void assertReason(Throwable t, Reason reason) {
    assertThat(t).isInstanceOfSatisfying(KdsException.class,
        e -> assertThat(e.reason()).isEqualTo(reason));
  }

  @Test
  void certChainWhenKdsServesRealChainsThenReturnsIntermediateThenPinnedArkForEachProduct()
      throws Exception {
    KdsClient client = kds.builder().build();
    Map<Product, String> arkPins = Map.of(Product.MILAN, KdsVectors.MILAN_ARK_SHA256,
        Product.GENOA, KdsVectors.GENOA_ARK_SHA256, Product.TURIN, KdsVectors.TURIN_ARK_SHA256);
    for (Product p : Product.values()) {
      List<X509Certificate> vcekChain = client.certChain(p, SignerKind.VCEK);
      assertThat(names(vcekChain)).containsExactly("SEV-" + p.kdsName(), "ARK-" + p.kdsName());
      assertThat(KdsVectors.sha256(vcekChain.get(1).getEncoded())).isEqualTo(arkPins.get(p));
      List<X509Certificate> vlekChain = client.certChain(p, SignerKind.VLEK);
      assertThat(names(vlekChain))
          .containsExactly("SEV-VLEK-" + p.kdsName(), "ARK-" + p.kdsName());
      assertThat(vlekChain.get(1)).isEqualTo(vcekChain.get(1));
      WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.chainPath(p, SignerKind.VCEK))));
      WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.chainPath(p, SignerKind.VLEK))));
    }
  }

  @Test
  void vcekWhenGoSevGuestMilanReportThenRequestsExactKdsUrlAndReturnsItsVcek() throws Exception {
    X509Certificate vcek = kds.builder().build().vcek(Product.MILAN,
        KdsVectors.chipId(KdsVectors.GSG_MILAN),
        KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN));
    assertThat(vcek.getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
    assertThat(AmdNames.commonName(vcek)).contains("SEV-VCEK");
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));
    WM.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void vcekWhenGenoaReportThenRequestsGenoaUrlWithTwoDigitSpls() throws Exception {
    X509Certificate vcek = kds.builder().build().vcek(Product.GENOA,
        KdsVectors.chipId(KdsVectors.GENOA), KdsVectors.reportedTcb(KdsVectors.GENOA,
            Product.GENOA));
    assertThat(vcek.getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.GENOA));
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GENOA_URL)));
  }

  @Test
  void vcekWhenMicrocodeSplHasThreeDigitsThenSendsItUnpadded() throws Exception {
    X509Certificate vcek = kds.builder().build().vcek(Product.MILAN,
        KdsVectors.chipId(KdsVectors.GCP_MILAN),
        KdsVectors.reportedTcb(KdsVectors.GCP_MILAN, Product.MILAN));
    assertThat(vcek.getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.GCP_MILAN));
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GCP_MILAN_URL)));
  }

  @Test
  void vcekWhenReportedTcbDiffersFromCurrentThenUrlUsesTheReportedTcb() throws Exception {
    TcbVersion reported = KdsVectors.reportedTcb(KdsVectors.TRUSTEE_MILAN, Product.MILAN);
    TcbVersion current = KdsVectors.currentTcb(KdsVectors.TRUSTEE_MILAN, Product.MILAN);
    assertThat(current.microcode()).isEqualTo(206);
    assertThat(reported.microcode()).isEqualTo(115);
    X509Certificate vcek = kds.builder().build().vcek(Product.MILAN,
        KdsVectors.chipId(KdsVectors.TRUSTEE_MILAN), reported);
    assertThat(vcek.getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.TRUSTEE_MILAN));
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.TRUSTEE_MILAN_URL)));
  }

  @Test
  void vcekWhenTurinThenRequestsEightByteHwidWithFmcSplFirst() throws Exception {
    KdsClient client = kds.builder().cacheCapacity(0).build();
    X509Certificate fromChipId =
        client.vcek(Product.TURIN, KdsVectors.turinChipId(), KdsVectors.TURIN_TCB);
    X509Certificate fromHwid = client.vcek(Product.TURIN, KdsVectors.TURIN_HWID,
        KdsVectors.TURIN_TCB);
    assertThat(fromChipId.getEncoded()).isEqualTo(KdsVectors.vcekDer(KdsVectors.TURIN));
    assertThat(fromHwid).isEqualTo(fromChipId);
    assertThat(KdsStubs.TURIN_URL).startsWith("/vcek/v1/Turin/1e550a8ee5cf9f4d?fmcSPL=00&blSPL=");
    WM.verify(2, getRequestedFor(urlEqualTo(KdsStubs.TURIN_URL)));
    WM.verify(2, anyRequestedFor(anyUrl()));
  }

  @Test
  void vcekUriWhenDefaultBaseThenEqualsTheKdsUrlsOfTheTestDataUpToZeroPadding() {
    // expected.json "kds_url" of the shared test data (go-sev-guest style, unpadded decimals).
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put(KdsVectors.GSG_MILAN, "https://kdsintf.amd.com/vcek/v1/Milan/3ac3fe21e13fb0990eb"
        + "28a802e3fb6a29483a6b0753590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c0"
        + "5f63c9b610c5068b006b5d?blSPL=2&teeSPL=0&snpSPL=5&ucodeSPL=68");
    expected.put(KdsVectors.GENOA, "https://kdsintf.amd.com/vcek/v1/Genoa/371c55d6d15cb50f16dc31"
        + "d39a24e300caaabff4431e841111429b73ec45ad67ea6e687ffae7bf84b54a5d0e6d79b3ef6ff0bd8b4cff9"
        + "4c2163af5c5de8718e8?blSPL=10&teeSPL=0&snpSPL=23&ucodeSPL=25");
    expected.put(KdsVectors.GCP_MILAN, "https://kdsintf.amd.com/vcek/v1/Milan/980cf7b61876cb37fd"
        + "517cd44ce11c72d43c5408e66ab39138370ec59bc195e063254cb501d87d82f0b8b8dc774bcfe280194477"
        + "11598f007390e4accc405361?blSPL=4&teeSPL=0&snpSPL=27&ucodeSPL=222");
    expected.put(KdsVectors.TRUSTEE_MILAN, "https://kdsintf.amd.com/vcek/v1/Milan/c38427a30d4c7a"
        + "f9d96f7a15b97269825a64cb76a2352ffd5d18115d89ad473f8e8c0bcd9a5d9286612bad4aadfb4426205a"
        + "3b9e4fea82301135a170e477524e?blSPL=3&teeSPL=0&snpSPL=8&ucodeSPL=115");
    KdsClient amd = KdsClient.builder().build(); // never called: no request leaves the test
    assertThat(amd.baseUrl()).isEqualTo(URI.create("https://kdsintf.amd.com"));
    expected.forEach((dir, url) -> {
      Product p = dir.equals(KdsVectors.GENOA) ? Product.GENOA : Product.MILAN;
      URI ours = amd.vcekUri(VcekId.of(p, KdsVectors.chipId(dir), KdsVectors.reportedTcb(dir, p)));
      URI theirs = URI.create(url);
      assertThat(ours.getScheme() + "://" + ours.getHost() + ours.getPath())
          .isEqualTo(theirs.getScheme() + "://" + theirs.getHost() + theirs.getPath());
      assertThat(numericQuery(ours)).isEqualTo(numericQuery(theirs));
    });
  }

  private static List<String> numericQuery(URI uri) {
    List<String> out = new ArrayList<>();
    for (String kv : uri.getQuery().split("&")) {
      String[] p = kv.split("=");
      out.add(p[0] + "=" + Integer.parseInt(p[1]));
    }
    return out;
  }

  @Test
  void certChainAndCrlUriWhenDefaultBaseThenAreAmdUrls() {
    KdsClient amd = KdsClient.builder().build();
    assertThat(amd.certChainUri(Product.GENOA, SignerKind.VCEK))
        .hasToString("https://kdsintf.amd.com/vcek/v1/Genoa/cert_chain");
    assertThat(amd.certChainUri(Product.TURIN, SignerKind.VLEK))
        .hasToString("https://kdsintf.amd.com/vlek/v1/Turin/cert_chain");
    assertThat(amd.crlUri(Product.MILAN, SignerKind.VCEK))
        .hasToString("https://kdsintf.amd.com/vcek/v1/Milan/crl");
    assertThat(amd.crlUri(Product.MILAN, SignerKind.VLEK))
        .hasToString("https://kdsintf.amd.com/vlek/v1/Milan/crl");
    assertThat(KdsClient.builder(URI.create("http://proxy:8080/kds/")).build()
        .certChainUri(Product.MILAN, SignerKind.VCEK))
        .hasToString("http://proxy:8080/kds/vcek/v1/Milan/cert_chain");
  }

  @Test
  void crlWhenKdsServesDerCrlThenParsesIt() throws Exception {
    X509CRL crl = kds.builder().build().crl(Product.GENOA, SignerKind.VLEK);
    assertThat(crl.getIssuerX500Principal().getName()).contains("CN=ARK-Genoa");
    assertThat(crl.getNextUpdate().toInstant()).isEqualTo(KdsStubs.CRL_NEXT_UPDATE);
    assertThat(crl.getRevokedCertificates()).hasSize(1);
    WM.verify(1, getRequestedFor(urlEqualTo("/vlek/v1/Genoa/crl")));
  }

  @Test
  void vcekWhenCalledAgainBeforeNotAfterThenMakesNoRequestAndRefetchesFromNotAfter()
      throws Exception {
    KdsClient client = kds.builder().build();
    Bytes chip = KdsVectors.chipId(KdsVectors.GSG_MILAN);
    TcbVersion tcb = KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN);
    X509Certificate first = client.vcek(Product.MILAN, chip, tcb);
    Instant notAfter = first.getNotAfter().toInstant();
    assertThat(notAfter).isEqualTo(Instant.parse("2029-09-24T00:55:28Z"));

    kds.clock.set(notAfter.minusSeconds(1));
    assertThat(client.vcek(Product.MILAN, chip, tcb)).isSameAs(first);
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));

    kds.clock.set(notAfter);
    client.vcek(Product.MILAN, chip, tcb);
    WM.verify(2, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));
    // Fetched already expired: not kept.
    client.vcek(Product.MILAN, chip, tcb);
    WM.verify(3, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));
  }

  @Test
  void vcekWhenReservedTcbBytesDifferThenSameCacheEntry() throws Exception {
    KdsClient client = kds.builder().build();
    Bytes chip = KdsVectors.chipId(KdsVectors.GSG_MILAN);
    TcbVersion tcb = KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN);
    TcbVersion withReserved = TcbVersion.decode(Product.MILAN, tcb.raw() | 0x0000_00ff_ff00_0000L);
    client.vcek(Product.MILAN, chip, tcb);
    client.vcek(Product.MILAN, chip, withReserved);
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));
  }

  @Test
  void vcekWhenTcbDiffersThenSeparateRequest() throws Exception {
    KdsClient client = kds.builder().build();
    Bytes chip = KdsVectors.chipId(KdsVectors.GSG_MILAN);
    client.vcek(Product.MILAN, chip, TcbVersion.of(Product.MILAN, 2, 0, 5, 68, 0));
    assertThatThrownBy(() -> client.vcek(Product.MILAN, chip,
        TcbVersion.of(Product.MILAN, 2, 0, 5, 69, 0)))
        .satisfies(t -> assertReason(t, Reason.NOT_FOUND)); // WireMock: unmatched -> 404
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL.replace("=68", "=69"))));
  }

  @Test
  void certChainWhenCachedThenKeptUntilEarliestNotAfter() throws Exception {
    KdsClient client = kds.builder().build();
    List<X509Certificate> chain = client.certChain(Product.MILAN, SignerKind.VCEK);
    Instant earliest = chain.stream().map(c -> c.getNotAfter().toInstant())
        .min(Instant::compareTo).orElseThrow();
    kds.clock.set(earliest.minusSeconds(1));
    assertThat(client.certChain(Product.MILAN, SignerKind.VCEK)).isSameAs(chain);
    WM.verify(1, getRequestedFor(urlEqualTo("/vcek/v1/Milan/cert_chain")));
    kds.clock.set(earliest);
    client.certChain(Product.MILAN, SignerKind.VCEK);
    WM.verify(2, getRequestedFor(urlEqualTo("/vcek/v1/Milan/cert_chain")));
  }

  @Test
  void crlWhenCachedThenKeptUntilNextUpdate() throws Exception {
    KdsClient client = kds.builder().build();
    X509CRL crl = client.crl(Product.MILAN, SignerKind.VCEK);
    kds.clock.set(KdsStubs.CRL_NEXT_UPDATE.minusSeconds(1));
    assertThat(client.crl(Product.MILAN, SignerKind.VCEK)).isSameAs(crl);
    WM.verify(1, getRequestedFor(urlEqualTo("/vcek/v1/Milan/crl")));
    kds.clock.set(KdsStubs.CRL_NEXT_UPDATE);
    client.crl(Product.MILAN, SignerKind.VCEK);
    WM.verify(2, getRequestedFor(urlEqualTo("/vcek/v1/Milan/crl")));
  }

  @Test
  void lookupsWhenMaxCacheAgeElapsesThenRefetch() throws Exception {
    KdsClient client = kds.builder().maxCacheAge(Duration.ofHours(1)).build();
    Bytes chip = KdsVectors.chipId(KdsVectors.GSG_MILAN);
    TcbVersion tcb = KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN);
    client.vcek(Product.MILAN, chip, tcb);
    client.crl(Product.MILAN, SignerKind.VCEK);
    kds.clock.advance(Duration.ofMinutes(59));
    client.vcek(Product.MILAN, chip, tcb);
    client.crl(Product.MILAN, SignerKind.VCEK);
    kds.clock.advance(Duration.ofMinutes(1));
    client.vcek(Product.MILAN, chip, tcb);
    client.crl(Product.MILAN, SignerKind.VCEK);
    WM.verify(2, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));
    WM.verify(2, getRequestedFor(urlEqualTo("/vcek/v1/Milan/crl")));
  }

  @Test
  void lookupsWhenCacheDisabledOrClearedThenRefetch() throws Exception {
    KdsClient uncached = kds.builder().cacheCapacity(0).build();
    uncached.certChain(Product.TURIN, SignerKind.VCEK);
    uncached.certChain(Product.TURIN, SignerKind.VCEK);
    assertThat(uncached.cachedCount()).isZero();
    WM.verify(2, getRequestedFor(urlEqualTo("/vcek/v1/Turin/cert_chain")));

    KdsClient cached = kds.builder().build();
    cached.certChain(Product.TURIN, SignerKind.VCEK);
    assertThat(cached.cachedCount()).isEqualTo(1);
    cached.clearCache();
    cached.certChain(Product.TURIN, SignerKind.VCEK);
    WM.verify(4, getRequestedFor(urlEqualTo("/vcek/v1/Turin/cert_chain")));
  }

  @Test
  void vcekWhenMoreChipsThanCapacityThenEvictsLeastRecentlyUsed() throws Exception {
    KdsClient client = kds.builder().cacheCapacity(2).build();
    String[] dirs = {KdsVectors.GSG_MILAN, KdsVectors.GCP_MILAN, KdsVectors.TRUSTEE_MILAN};
    for (String dir : dirs) {
      client.vcek(Product.MILAN, KdsVectors.chipId(dir),
          KdsVectors.reportedTcb(dir, Product.MILAN));
    }
    assertThat(client.cachedCount()).isEqualTo(2);
    // gsg was evicted; gcp and trustee are still cached.
    for (String dir : new String[] {KdsVectors.TRUSTEE_MILAN, KdsVectors.GCP_MILAN,
        KdsVectors.GSG_MILAN}) {
      client.vcek(Product.MILAN, KdsVectors.chipId(dir),
          KdsVectors.reportedTcb(dir, Product.MILAN));
    }
    WM.verify(2, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GCP_MILAN_URL)));
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.TRUSTEE_MILAN_URL)));
  }

  @Test
  void vcekWhenManyThreadsAskForTheSameVcekThenOneRequestIsMade() throws Exception {
    WM.stubFor(get(urlEqualTo(KdsStubs.GSG_MILAN_URL)).willReturn(
        KdsStubs.der(KdsVectors.vcekDer(KdsVectors.GSG_MILAN)).withFixedDelay(300)));
    KdsClient client = kds.builder().build();
    Bytes chip = KdsVectors.chipId(KdsVectors.GSG_MILAN);
    TcbVersion tcb = KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<X509Certificate>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return client.vcek(Product.MILAN, chip, tcb);
        }));
      }
      start.countDown();
      X509Certificate first = results.get(0).get();
      for (Future<X509Certificate> f : results) {
        assertThat(f.get()).isSameAs(first);
      }
    } finally {
      pool.shutdownNow();
    }
    WM.verify(1, getRequestedFor(urlEqualTo(KdsStubs.GSG_MILAN_URL)));
  }

  @Test
  void vcekWhenChipIdIsMaskedThenNotFoundWithoutRequest() {
    KdsClient client = kds.builder().build();
    assertThatThrownBy(() -> client.vcek(Product.MILAN, Bytes.zeros(64),
        TcbVersion.of(Product.MILAN, 4, 0, 24, 217, 0)))
        .satisfies(t -> assertReason(t, Reason.NOT_FOUND))
        .hasMessageContaining("MASK_CHIP_ID");
    WM.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void vcekWhenArgumentsInconsistentThenIllegalArgumentWithoutRequest() {
    KdsClient client = kds.builder().build();
    Bytes chip = KdsVectors.chipId(KdsVectors.GSG_MILAN);
    TcbVersion milanTcb = TcbVersion.of(Product.MILAN, 2, 0, 5, 68, 0);
    assertThatThrownBy(() -> client.vcek(Product.MILAN, chip.slice(0, 8), milanTcb))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.vcek(Product.GENOA, chip, milanTcb))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TCB is for Milan");
    assertThatThrownBy(() -> client.vcek(Product.TURIN, chip, KdsVectors.TURIN_TCB))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8..63 zero");
    WM.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void builderWhenBaseUrlOrSettingsInvalidThenIllegalArgument() {
    assertThatThrownBy(() -> KdsClient.builder(URI.create("file:///etc")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdsClient.builder(URI.create("https://kds/?a=b")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdsClient.builder(URI.create("kdsintf.amd.com")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdsClient.builder().maxRetries(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdsClient.builder().requestTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdsClient.builder().maxRetryAfter(Duration.ofHours(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KdsClient.builder().cacheCapacity(-1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
