package dev.carapace.snp.kds;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.carapace.evidence.io.testing.MutableClock;
import dev.carapace.snp.report.Product;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** WireMock stubs answering like AMD KDS with the real certificates. */
final class KdsStubs {
  /** The KDS URL (path and query) for each real report's CHIP_ID and REPORTED_TCB. */
  static final String GSG_MILAN_URL = "/vcek/v1/Milan/3ac3fe21e13fb0990eb28a802e3fb6a29483a6b07"
      + "53590c951bdd3b8e53786184ca39e359669a2b76a1936776b564ea464cdce40c05f63c9b610c5068b006b5d"
      + "?blSPL=02&teeSPL=00&snpSPL=05&ucodeSPL=68";
  static final String GENOA_URL = "/vcek/v1/Genoa/371c55d6d15cb50f16dc31d39a24e300caaabff4431e8"
      + "41111429b73ec45ad67ea6e687ffae7bf84b54a5d0e6d79b3ef6ff0bd8b4cff94c2163af5c5de8718e8"
      + "?blSPL=10&teeSPL=00&snpSPL=23&ucodeSPL=25";
  static final String GCP_MILAN_URL = "/vcek/v1/Milan/980cf7b61876cb37fd517cd44ce11c72d43c5408e"
      + "66ab39138370ec59bc195e063254cb501d87d82f0b8b8dc774bcfe28019447711598f007390e4accc405361"
      + "?blSPL=04&teeSPL=00&snpSPL=27&ucodeSPL=222";
  static final String TRUSTEE_MILAN_URL = "/vcek/v1/Milan/c38427a30d4c7af9d96f7a15b97269825a64c"
      + "b76a2352ffd5d18115d89ad473f8e8c0bcd9a5d9286612bad4aadfb4426205a3b9e4fea82301135a170e477"
      + "524e?blSPL=03&teeSPL=00&snpSPL=08&ucodeSPL=115";
  static final String TURIN_URL =
      "/vcek/v1/Turin/1e550a8ee5cf9f4d?fmcSPL=00&blSPL=00&teeSPL=00&snpSPL=00&ucodeSPL=09";

  static final Instant CRL_NEXT_UPDATE = KdsVectors.TEST_TIME.plus(Duration.ofDays(7));

  private final WireMockExtension wm;
  final MutableClock clock = new MutableClock(KdsVectors.TEST_TIME);
  final List<Duration> sleeps = new CopyOnWriteArrayList<>();

  KdsStubs(WireMockExtension wm) {
    this.wm = wm;
  }

  static String chainPath(Product p, SignerKind k) {
    return "/" + k.kdsPath() + "/v1/" + p.kdsName() + "/cert_chain";
  }

  static String crlPath(Product p, SignerKind k) {
    return "/" + k.kdsPath() + "/v1/" + p.kdsName() + "/crl";
  }

  static ResponseDefinitionBuilder der(byte[] body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/octet-stream")
        .withBody(body);
  }

  static ResponseDefinitionBuilder pem(byte[] body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/x-pem-file")
        .withBody(body);
  }

  /** Chains and CRLs of every product and kind, and the VCEKs of the real reports. */
  void serveAll() {
    for (Product p : Product.values()) {
      for (SignerKind k : SignerKind.values()) {
        wm.stubFor(get(urlEqualTo(chainPath(p, k))).willReturn(pem(KdsVectors.chainPem(p, k))));
        wm.stubFor(get(urlEqualTo(crlPath(p, k))).willReturn(der(KdsVectors.syntheticCrl(p,
            KdsVectors.TEST_TIME.minus(Duration.ofDays(1)), CRL_NEXT_UPDATE))));
      }
    }
    wm.stubFor(get(urlEqualTo(GSG_MILAN_URL))
        .willReturn(der(KdsVectors.vcekDer(KdsVectors.GSG_MILAN))));
    wm.stubFor(get(urlEqualTo(GENOA_URL)).willReturn(der(KdsVectors.vcekDer(KdsVectors.GENOA))));
    wm.stubFor(get(urlEqualTo(GCP_MILAN_URL))
        .willReturn(der(KdsVectors.vcekDer(KdsVectors.GCP_MILAN))));
    wm.stubFor(get(urlEqualTo(TRUSTEE_MILAN_URL))
        .willReturn(der(KdsVectors.vcekDer(KdsVectors.TRUSTEE_MILAN))));
    wm.stubFor(get(urlEqualTo(TURIN_URL)).willReturn(der(KdsVectors.vcekDer(KdsVectors.TURIN))));
  }

  /** A builder aimed at the stub server, with the test clock and a recording sleeper. */
  KdsClient.Builder builder() {
    return KdsClient.builder(URI.create(wm.baseUrl())).clock(clock).sleeper(sleeps::add)
        .requestTimeout(Duration.ofSeconds(5));
  }
}
