package dev.carapace.guest.kbs;

import dev.carapace.guest.kbs.KbsClientException.Reason;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The HTTP exchanges of the KBS protocol over {@link HttpClient}: JSON bodies, per-request
 * timeout, bounded response bodies, the session cookie and the bearer token set explicitly
 * (never through a cookie store). Thread-safe.
 */
final class KbsHttp {
  static final String USER_AGENT = "carapace-guest-kbs-client/0.1";

  /** A response: status, body (at most the bound), and the session cookie it set, if any. */
  record Answer(int status, byte[] body, @Nullable String sessionCookie) {}

  private final HttpClient http;
  private final URI base;
  private final Duration timeout;
  private final int maxResponseBytes;

  KbsHttp(HttpClient http, URI base, Duration timeout, int maxResponseBytes) {
    this.http = Objects.requireNonNull(http, "http");
    String b = base.toString();
    this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.maxResponseBytes = maxResponseBytes;
  }

  Answer post(String path, byte[] json, @Nullable String cookie) throws KbsClientException {
    HttpRequest.Builder b = request(path, cookie, null)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json));
    return send(b.build(), path);
  }

  Answer get(String path, @Nullable String cookie, @Nullable String bearer)
      throws KbsClientException {
    return send(request(path, cookie, bearer).GET().build(), path);
  }

  private HttpRequest.Builder request(String path, @Nullable String cookie,
      @Nullable String bearer) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(timeout)
        .header("User-Agent", USER_AGENT)
        .header("Accept", "application/json");
    if (cookie != null) {
      b.header("Cookie", dev.carapace.kbs.protocol.KbsProtocol.SESSION_COOKIE + "=" + cookie);
    }
    if (bearer != null) {
      b.header("Authorization", "Bearer " + bearer);
    }
    return b;
  }

  private Answer send(HttpRequest request, String path) throws KbsClientException {
    HttpResponse<InputStream> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    } catch (HttpTimeoutException e) {
      throw new KbsClientException(Reason.TRANSPORT, path + " timed out after " + timeout, null,
          e);
    } catch (IOException e) {
      throw new KbsClientException(Reason.TRANSPORT, path + " failed: " + e.getClass()
          .getSimpleName(), null, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KbsClientException(Reason.TRANSPORT, path + " was interrupted", null, e);
    }
    byte[] body;
    try (InputStream in = response.body()) {
      body = in.readNBytes(maxResponseBytes + 1);
    } catch (IOException e) {
      throw new KbsClientException(Reason.TRANSPORT, "reading the " + path + " response failed",
          null, e);
    }
    if (body.length > maxResponseBytes) {
      throw new KbsClientException(Reason.MALFORMED_RESPONSE, "the " + path
          + " response exceeds " + maxResponseBytes + " bytes");
    }
    return new Answer(response.statusCode(), body, sessionCookie(response).orElse(null));
  }

  /** The {@code kbs-session-id} value of a {@code Set-Cookie} header, if present. */
  static Optional<String> sessionCookie(HttpResponse<?> response) {
    String prefix = dev.carapace.kbs.protocol.KbsProtocol.SESSION_COOKIE + "=";
    for (String header : response.headers().allValues("set-cookie")) {
      String first = header.split(";", 2)[0].strip();
      if (first.startsWith(prefix) && first.length() > prefix.length()) {
        return Optional.of(first.substring(prefix.length()));
      }
    }
    return Optional.empty();
  }

  URI base() {
    return base;
  }
}
