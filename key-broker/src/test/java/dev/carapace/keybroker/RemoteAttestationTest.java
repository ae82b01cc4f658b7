package dev.carapace.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.AttestationServiceApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The broker with a remote attestation service (our standalone service over Trustee's REST API):
 * the same release for a registered TDX guest and the same refusal for an unregistered one, with
 * tokens verified through the service's JWKS.
 */
class RemoteAttestationTest {
  @Test
  void brokerWithRemoteAttestationServiceReleasesAndRefusesAsTheBuiltInOne() throws Exception {
    Path data = Fixtures.dataDirectory();
    Path asData = data.resolve("attestation");
    Bytes mrTd = Bytes.fromHex("d4".repeat(48));
    byte[] secret = "remote-attestation-secret".getBytes(StandardCharsets.US_ASCII);
    try (ConfigurableApplicationContext as = new SpringApplicationBuilder(
        AttestationServiceApplication.class).run("--server.port=0",
        "--carapace.attestation.data-dir=" + asData, "--carapace.attestation.dev=true",
        "--carapace.attestation.snp.dev-products=Genoa")) {
      URI asUrl = URI.create("http://127.0.0.1:" + as.getEnvironment()
          .getProperty("local.server.port"));
      HttpResponse<String> rv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          asUrl.resolve("/reference-values")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"tdx.mr_td\",\"values\":[\""
              + mrTd.toHex() + "\"]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(rv.statusCode()).as(rv.body()).isEqualTo(201);
      try (ConfigurableApplicationContext broker = new SpringApplicationBuilder(
          KeyBrokerApplication.class).run("--server.port=0",
          "--carapace.kbs.data-dir=" + data.resolve("broker"),
          "--carapace.kbs.attestation-url=" + asUrl,
          "--carapace.kbs.admin.public-keys[0]=" + Fixtures.adminKeyFile(data))) {
        URI kbs = URI.create("http://127.0.0.1:" + broker.getEnvironment()
            .getProperty("local.server.port"));
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            kbs.resolve("/kbs/v0/resource/default/key/remote"))
            .header("Authorization", "Bearer " + Fixtures.adminToken())
            .POST(HttpRequest.BodyPublishers.ofByteArray(secret)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        TestGuest good = TestGuest.tdx(kbs, Fixtures.tdxSimulator(), mrTd);
        String token = good.handshake();
        HttpResponse<String> r = good.get("/kbs/v0/resource/default/key/remote");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(good.decrypt(r.body())).isEqualTo(secret);
        HttpResponse<String> bearer = good.getWithBearer("/kbs/v0/resource/default/key/remote",
            token);
        assertThat(bearer.statusCode()).as(bearer.body()).isEqualTo(200);

        TestGuest other = TestGuest.tdx(kbs, Fixtures.tdxSimulator(),
            Bytes.fromHex("e5".repeat(48)));
        other.handshake();
        HttpResponse<String> denied = other.get("/kbs/v0/resource/default/key/remote");
        assertThat(denied.statusCode()).isEqualTo(401);
        assertThat(denied.body()).contains("PolicyDeny").contains("warning");

        HttpResponse<String> adminRv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            kbs.resolve("/kbs/v0/reference-value")).header("Authorization", "Bearer "
            + Fixtures.adminToken()).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(adminRv.statusCode()).isEqualTo(404);
        assertThat(adminRv.body()).contains("PluginNotFound");
      }
    }
  }
}
