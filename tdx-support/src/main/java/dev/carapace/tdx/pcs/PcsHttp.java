package dev.carapace.tdx.pcs;

import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One GET with {@link PcsCollateralSource}'s rules: bounded body, per-attempt deadline, retries
 * with exponential backoff on I/O errors, 429 and 5xx (honouring a small {@code Retry-After}),
 * 404 as {@link Reason#NOT_FOUND}, any other status as {@link Reason#BAD_RESPONSE}. Thread-safe.
 */
final class PcsHttp {
  /** Parses a 200 response. */
  interface BodyParser<T> {
    T parse(byte[] body, HttpHeaders headers) throws CollateralException;
  }

  /** A {@code Retry-After} longer than this ends the retries at once. */
  static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(8);

  private final HttpClient client;
  private final Duration timeout;
  private final int maxRetries;
  private final Duration initialBackoff;
  private final PcsCollateralSource.Sleeper sleeper;

  PcsHttp(HttpClient client, Duration timeout, int maxRetries, Duration initialBackoff,
      PcsCollateralSource.Sleeper sleeper) {
    this.client = client;
    this.timeout = timeout;
    this.maxRetries = maxRetries;
    this.initialBackoff = initialBackoff;
    this.sleeper = sleeper;
  }

  <T> T get(URI uri, BodyParser<T> parser) throws CollateralException {
    for (int attempt = 0; ; attempt++) {
      String failure;
      @Nullable Throwable cause = null;
      Duration wait = backoff(attempt);
      try {
        HttpResponse<byte[]> response = send(uri);
        int status = response.statusCode();
        if (status == 200) {
          return parser.parse(response.body(), response.headers());
        }
        String detail = "HTTP " + status + pcsError(response.headers());
        if (status == 404) {
          throw new CollateralException(Reason.NOT_FOUND, uri + " answered " + detail);
        }
        if (status != 429 && (status < 500 || status > 599)) {
          throw new CollateralException(Reason.BAD_RESPONSE, uri + " answered " + detail);
        }
        failure = detail;
        Optional<Duration> retryAfter = retryAfter(response.headers());
        if (retryAfter.isPresent() && retryAfter.get().compareTo(MAX_RETRY_AFTER) > 0) {
          throw new CollateralException(Reason.UNAVAILABLE, uri + " answered " + detail
              + " and asks to retry after " + retryAfter.get().toSeconds() + " s");
        }
        wait = retryAfter.orElse(wait);
      } catch (IOException e) {
        if (isTooLarge(e)) {
          throw new CollateralException(
              Reason.BAD_RESPONSE, uri + ": response body too large", e);
        }
        failure = e.toString();
        cause = e;
      }
      if (attempt >= maxRetries) {
        throw new CollateralException(Reason.UNAVAILABLE,
            uri + " failed after " + (attempt + 1) + " attempt(s): " + failure, cause);
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CollateralException(Reason.UNAVAILABLE, uri + ": interrupted", e);
      }
    }
  }

  private HttpResponse<byte[]> send(URI uri) throws IOException, CollateralException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(
        request, BoundedBodySubscriber.handler(CollateralDocuments.MAX_DOCUMENT_SIZE));
    try {
      // The request timeout covers the headers only; this bounds the whole exchange.
      return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new HttpTimeoutException("no complete response within " + timeout);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new CollateralException(Reason.UNAVAILABLE, uri + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
    }
  }

  private Duration backoff(int attempt) {
    Duration d = initialBackoff.multipliedBy(1L << Math.min(attempt, 20));
    return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
  }

  private static boolean isTooLarge(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BoundedBodySubscriber.TooLargeException) {
        return true;
      }
    }
    return false;
  }

  /** {@code Retry-After} in delta-seconds form; the HTTP-date form is ignored. */
  static Optional<Duration> retryAfter(HttpHeaders headers) {
    Optional<String> v = headers.firstValue("Retry-After");
    if (v.isEmpty() || !v.get().trim().matches("\\d{1,9}")) {
      return Optional.empty();
    }
    return Optional.of(Duration.ofSeconds(Long.parseLong(v.get().trim())));
  }

  /** PCS's {@code Error-Code}/{@code Error-Message} headers, made printable and short. */
  private static String pcsError(HttpHeaders headers) {
    StringBuilder sb = new StringBuilder();
    for (String name : new String[] {"Error-Code", "Error-Message"}) {
      headers.firstValue(name).ifPresent(v -> sb.append(sb.length() == 0 ? " (" : ", ")
          .append(name).append(": ").append(printable(v)));
    }
    return sb.length() == 0 ? "" : sb.append(')').toString();
  }

  private static String printable(String s) {
    String clean = s.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > 120 ? clean.substring(0, 120) + "..." : clean;
  }
}
