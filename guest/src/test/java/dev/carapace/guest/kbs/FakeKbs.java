package dev.carapace.guest.kbs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.carapace.guest.Vectors;
import dev.carapace.kbs.protocol.ErrorInformation;
import dev.carapace.kbs.protocol.Jwe;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.Messages;
import dev.carapace.kbs.protocol.TeePublicKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process KBS speaking protocol 0.4.0 on a loopback port: {@code /auth} answers a fixed
 * nonce and a new session cookie, {@code /attest} returns a JWT with the configured {@code exp}
 * and remembers the attested TEE key, resource GETs answer the queued scripted responses and
 * otherwise encrypt {@link #secret} to the attested key. Every request is recorded.
 */
final class FakeKbs implements AutoCloseable {
  /** One recorded request. */
  record Request(String method, String path, String cookie, String authorization, byte[] body) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(body);
    }
  }

  /** A scripted response. */
  record Scripted(int status, String body) {}

  final List<Request> requests = new CopyOnWriteArrayList<>();
  final Deque<Scripted> authResponses = new ArrayDeque<>();
  final Deque<Scripted> resourceResponses = new ArrayDeque<>();
  String nonce = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
  String extraParams = "\"\"";
  long tokenExp = 4_102_444_800L; // 2100-01-01
  byte[] secret = "model-key".getBytes(StandardCharsets.UTF_8);
  private volatile TeePublicKey attestedKey;
  private int sessions;
  private final HttpServer server;
  private final SecureRandom random = new SecureRandom();

  FakeKbs() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/kbs/v0/auth", this::auth);
    server.createContext("/kbs/v0/attest", this::attest);
    server.createContext("/kbs/v0/resource/", this::resource);
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  List<Request> requests(String pathPrefix) {
    return requests.stream().filter(r -> r.path().startsWith(pathPrefix)).toList();
  }

  static String error(String name, String detail) {
    return KbsJson.write(Messages.toJson(ErrorInformation.of(name, detail)));
  }

  String token(long exp) {
    Base64.Encoder e = Base64.getUrlEncoder().withoutPadding();
    return e.encodeToString("{\"alg\":\"ES256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
        + "." + e.encodeToString(("{\"iss\":\"fake-kbs\",\"exp\":" + exp + "}")
            .getBytes(StandardCharsets.UTF_8)) + ".c2ln";
  }

  private Request record(HttpExchange x) throws IOException {
    Request r = new Request(x.getRequestMethod(), x.getRequestURI().getPath(),
        x.getRequestHeaders().getFirst("Cookie"), x.getRequestHeaders().getFirst("Authorization"),
        x.getRequestBody().readAllBytes());
    requests.add(r);
    return r;
  }

  private synchronized void auth(HttpExchange x) throws IOException {
    record(x);
    Scripted s = authResponses.poll();
    if (s != null) {
      send(x, s.status(), s.body(), null);
      return;
    }
    sessions++;
    send(x, 200, "{\"nonce\":\"" + nonce + "\",\"extra-params\":" + extraParams + "}",
        "kbs-session-id=" + String.format("%032x", sessions) + "; Expires=Wed, 01 Jan 2100 "
            + "00:00:00 GMT");
  }

  private void attest(HttpExchange x) throws IOException {
    Request r = record(x);
    try {
      Messages.Attestation a = Messages.Attestation.read(r.body());
      attestedKey = a.teePubkey();
    } catch (Exception e) {
      send(x, 401, error("AttestationError", "bad attestation"), null);
      return;
    }
    ObjectNode body = KbsJson.object();
    body.put("token", token(tokenExp));
    send(x, 200, KbsJson.write(body), null);
  }

  private synchronized void resource(HttpExchange x) throws IOException {
    record(x);
    Scripted s = resourceResponses.poll();
    if (s != null) {
      send(x, s.status(), s.body(), null);
      return;
    }
    try {
      send(x, 200, KbsJson.write(Jwe.encrypt(secret, attestedKey, random, Vectors.BC).toJson()),
          null);
    } catch (Exception e) {
      send(x, 500, error("JweError", "cannot encrypt"), null);
    }
  }

  private static void send(HttpExchange x, int status, String body, String cookie)
      throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    x.getResponseHeaders().set("Content-Type", "application/json");
    if (cookie != null) {
      x.getResponseHeaders().set("Set-Cookie", cookie);
    }
    x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
    if (b.length > 0) {
      x.getResponseBody().write(b);
    }
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
