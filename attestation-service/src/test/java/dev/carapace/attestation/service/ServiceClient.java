package dev.carapace.attestation.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/** Real HTTP to the service under test, over java.net.http. */
public final class ServiceClient {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10)).version(HttpClient.Version.HTTP_1_1).build();
  private final String base;

  public ServiceClient(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  public HttpResponse<String> send(String method, String path, @Nullable String contentType,
      BodyPublisher body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(60)).method(method, body);
    if (contentType != null) {
      b.header("Content-Type", contentType);
    }
    try {
      return http.send(b.build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path) {
    return send("GET", path, null, BodyPublishers.noBody());
  }

  public HttpResponse<String> delete(String path) {
    return send("DELETE", path, null, BodyPublishers.noBody());
  }

  public HttpResponse<String> postJson(String path, String json) {
    return send("POST", path, "application/json", BodyPublishers.ofString(json));
  }

  public HttpResponse<String> put(String path, String contentType, String body) {
    return send("PUT", path, contentType, BodyPublishers.ofString(body));
  }

  /** {@code POST /attestation} with one verification request. */
  public HttpResponse<String> attest(String tee, String evidence, @Nullable JsonNode runtimeData,
      @Nullable JsonNode initData, String... policyIds) {
    ObjectNode body = MAPPER.createObjectNode();
    ObjectNode r = body.putArray("verification_requests").addObject();
    r.put("tee", tee);
    r.put("evidence", evidence);
    if (runtimeData != null) {
      r.set("runtime_data", runtimeData);
    }
    if (initData != null) {
      r.set("init_data", initData);
    }
    var ids = body.putArray("policy_ids");
    for (String id : policyIds) {
      ids.add(id);
    }
    return postJson("/attestation", body.toString());
  }

  public static JsonNode json(HttpResponse<String> r) {
    try {
      return MAPPER.readTree(r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
