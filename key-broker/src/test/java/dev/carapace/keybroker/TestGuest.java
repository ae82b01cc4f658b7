package dev.carapace.keybroker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.kbs.protocol.JweResponse;
import dev.carapace.kbs.protocol.Jwe;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.Messages.Attestation;
import dev.carapace.kbs.protocol.Messages.AuthRequest;
import dev.carapace.kbs.protocol.Messages.Challenge;
import dev.carapace.kbs.protocol.RuntimeDataBinding;
import dev.carapace.kbs.protocol.RuntimeDataBinding.HashAlgorithm;
import dev.carapace.kbs.protocol.TeePublicKey;
import dev.carapace.snp.simulate.SnpReportRequest;
import dev.carapace.snp.simulate.SnpReportSimulator;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.function.Function;

/**
 * A minimal CoCo-style guest for the broker's HTTP tests, written against the wire types only
 * (the real client is module {@code guest}): RCAR with a cookie jar, evidence from the
 * development simulators, JWE decryption with its own key.
 */
final class TestGuest {
  final HttpClient http;
  final URI base;
  final KeyPair keys;
  final TeePublicKey teeKey;
  final String tee;
  final Function<Bytes, JsonNode> evidence;

  TestGuest(URI base, String tee, Function<Bytes, JsonNode> evidence) throws Exception {
    this.http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
    this.base = base;
    this.tee = tee;
    this.evidence = evidence;
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    this.keys = g.generateKeyPair();
    this.teeKey = TeePublicKey.of(keys.getPublic());
  }

  static TestGuest tdx(URI base, TdxQuoteSimulator sim, Bytes mrTd) throws Exception {
    return new TestGuest(base, "tdx", reportData -> {
      try {
        ObjectNode e = KbsJson.object();
        e.put("quote", Base64.getEncoder().encodeToString(
            sim.quote(TdQuoteRequest.of(mrTd, reportData))));
        return e;
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    });
  }

  static TestGuest snp(URI base, SnpReportSimulator sim, Bytes measurement) throws Exception {
    return new TestGuest(base, "snp", reportData -> {
      try {
        var r = sim.report(SnpReportRequest.builder().reportData(reportData)
            .measurement(measurement).build());
        ObjectNode e = KbsJson.object();
        e.put("report", Base64.getEncoder().encodeToString(r.bytes()));
        e.put("vcek", Base64.getEncoder().encodeToString(r.endorsementKey().getEncoded()));
        return e;
      } catch (Exception ex) {
        throw new IllegalStateException(ex);
      }
    });
  }

  HttpResponse<String> post(String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> getWithBearer(String path, String token) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve(path))
        .header("Authorization", "Bearer " + token).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  Challenge auth() throws Exception {
    HttpResponse<String> r = post("/kbs/v0/auth", KbsJson.write(
        new AuthRequest("0.4.0", tee, KbsJson.parse(
            "{\"supported-hash-algorithms\":[\"sha384\"]}".getBytes())).toJson()));
    if (r.statusCode() != 200) {
      throw new AssertionError("auth failed: " + r.statusCode() + " " + r.body());
    }
    return Challenge.read(r.body().getBytes(StandardCharsets.UTF_8));
  }

  /** The /attest body for {@code nonce}, with evidence bound to it. */
  String attestation(String nonce) {
    Bytes digest = RuntimeDataBinding.digest(teeKey, nonce, "", HashAlgorithm.SHA384);
    JsonNode ev = evidence.apply(RuntimeDataBinding.reportData(digest, 64));
    return KbsJson.write(new Attestation(null, nonce, teeKey, ev, "").toJson());
  }

  HttpResponse<String> attest(String nonce) throws Exception {
    return post("/kbs/v0/attest", attestation(nonce));
  }

  /** auth + attest; the token. */
  String handshake() throws Exception {
    HttpResponse<String> r = attest(auth().nonce());
    if (r.statusCode() != 200) {
      throw new AssertionError("attest failed: " + r.statusCode() + " " + r.body());
    }
    return KbsJson.parse(r.body().getBytes(StandardCharsets.UTF_8)).get("token").asText();
  }

  byte[] decrypt(String jweJson) throws Exception {
    return Jwe.decrypt(JweResponse.read(jweJson.getBytes(StandardCharsets.UTF_8)),
        keys.getPrivate(), null).toByteArray();
  }
}
