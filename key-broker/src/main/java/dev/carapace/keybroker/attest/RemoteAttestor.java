package dev.carapace.keybroker.attest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.jwk.JWKSet;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocolException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A remote attestation service with Trustee's REST API ({@code POST /attestation}, {@code GET
 * /.well-known/jwks.json}): ours or Trustee's restful-as. The JWKS is cached and fetched again
 * after an unknown key id, at most every 30 seconds. Thread-safe.
 */
public final class RemoteAttestor implements Attestor {
  private static final Duration REFRESH_FLOOR = Duration.ofSeconds(30);
  private static final int MAX_ANSWER = 1024 * 1024;
  private final URI base;
  private final String policyId;
  private final HttpClient http;
  private final Clock clock;
  private volatile JWKSet keys;
  private volatile Instant fetchedAt = Instant.EPOCH;

  public RemoteAttestor(URI base, String policyId, Clock clock) {
    this.base = base;
    this.policyId = policyId;
    this.clock = clock;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  @Override
  public String attest(AttestationCall call) throws AttestationRefusedException {
    ObjectNode req = KbsJson.object();
    ObjectNode one = req.putArray("verification_requests").addObject();
    one.put("tee", call.tee());
    one.put("evidence", KbsJson.base64Url(
        KbsJson.write(call.primaryEvidence()).getBytes(StandardCharsets.UTF_8)));
    one.putObject("runtime_data").set("structured", call.structuredRuntimeData());
    if (call.initData() != null) {
      one.putObject("init_data").put("init_data_toml", call.initData().body());
    }
    one.put("runtime_data_hash_algorithm", "sha384");
    req.putArray("policy_ids").add(policyId);
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/attestation"))
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(KbsJson.write(req))).build());
    String body = new String(r.body(), StandardCharsets.UTF_8);
    if (r.statusCode() != 200) {
      throw new AttestationRefusedException("the attestation service refused the evidence ("
          + r.statusCode() + "): " + detail(r.body()));
    }
    return body.strip();
  }

  @Override
  public JWKSet tokenKeys(boolean refresh) throws AttestationRefusedException {
    JWKSet k = keys;
    Instant now = clock.instant();
    if (k != null && (!refresh || now.isBefore(fetchedAt.plus(REFRESH_FLOOR)))) {
      return k;
    }
    HttpResponse<byte[]> r = send(HttpRequest.newBuilder(base.resolve("/.well-known/jwks.json"))
        .timeout(Duration.ofSeconds(10)).GET().build());
    if (r.statusCode() != 200) {
      throw new AttestationRefusedException("the attestation service's JWKS answered "
          + r.statusCode());
    }
    try {
      k = JWKSet.parse(new String(r.body(), StandardCharsets.UTF_8));
    } catch (ParseException e) {
      throw new AttestationRefusedException("the attestation service's JWKS is malformed", e);
    }
    keys = k;
    fetchedAt = now;
    return k;
  }

  private HttpResponse<byte[]> send(HttpRequest request) throws AttestationRefusedException {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      if (r.body().length > MAX_ANSWER) {
        throw new AttestationRefusedException("the attestation service's answer is too large");
      }
      return r;
    } catch (IOException e) {
      throw new AttestationRefusedException("the attestation service is unreachable: "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AttestationRefusedException("interrupted", e);
    }
  }

  private static String detail(byte[] body) {
    try {
      JsonNode n = KbsJson.parse(body);
      if (n.hasNonNull("detail")) {
        return n.get("detail").asText();
      }
    } catch (KbsProtocolException e) {
      // plain text (Trustee's restful-as answers errors in text)
    }
    String s = new String(body, StandardCharsets.UTF_8).strip();
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
