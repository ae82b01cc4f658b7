package dev.carapace.snp.kds;

import dev.carapace.snp.kds.KdsException.Reason;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One GET with {@link KdsClient}'s rules: bounded body, a deadline per attempt, retries with
 * exponential backoff on I/O errors, 5xx and 429 (honouring {@code Retry-After} up to a bound;
 * a 429 without it waits at least the rate-limit backoff), 404 as {@link Reason#NOT_FOUND}, any
 * other status as {@link Reason#BAD_RESPONSE}. Thread-safe.
 */
final class KdsHttp {
  /** Parses a 200 body. */
  interface BodyParser<T> {
    T parse(byte[] body) throws KdsException;
  }

  /** Settings; validated by the builder. */
  record Settings(Duration timeout, int maxRetries, Duration initialBackoff, Duration maxBackoff,
      Duration rateLimitBackoff, Duration maxRetryAfter) {}

  private static final int ERROR_EXCERPT = 512;

  private final HttpClient client;
  private final Settings settings;
  private final KdsClient.Sleeper sleeper;
  private final Clock clock;

  KdsHttp(HttpClient client, Settings settings, KdsClient.Sleeper sleeper, Clock clock) {
    this.client = client;
    this.settings = settings;
    this.sleeper = sleeper;
    this.clock = clock;
  }

  <T> T get(URI uri, BodyParser<T> parser) throws KdsException {
    for (int attempt = 0; ; attempt++) {
      Reason failReason = Reason.UNAVAILABLE;
      String failure;
      @Nullable Throwable cause = null;
      Duration wait = backoff(attempt);
      try {
        HttpResponse<byte[]> response = send(uri);
        int status = response.statusCode();
        if (status == 200) {
          try {
            return parser.parse(response.body());
          } catch (KdsException e) {
            throw new KdsException(e.reason(), uri + ": " + e.detail(), e);
          }
        }
        failure = "HTTP " + status + excerpt(response.body());
        if (status == 404) {
          throw new KdsException(Reason.NOT_FOUND, uri + " answered " + failure);
        }
        Optional<Duration> retryAfter = retryAfter(response.headers(), clock.instant());
        if (status == 429) {
          failReason = Reason.RATE_LIMITED;
          wait = retryAfter.orElse(max(wait, settings.rateLimitBackoff()));
        } else if (status >= 500 && status <= 599) {
          wait = retryAfter.orElse(wait);
        } else {
          throw new KdsException(Reason.BAD_RESPONSE, uri + " answered " + failure);
        }
        if (retryAfter.isPresent() && retryAfter.get().compareTo(settings.maxRetryAfter()) > 0) {
          throw new KdsException(failReason, uri + " answered " + failure
              + " and asks to retry after " + retryAfter.get().toSeconds() + " s (more than "
              + settings.maxRetryAfter().toSeconds() + " s)");
        }
      } catch (IOException e) {
        if (isTooLarge(e)) {
          throw new KdsException(Reason.BAD_RESPONSE, uri + ": response body too large ("
              + e.getMessage() + ")", e);
        }
        failure = e.toString();
        cause = e;
      }
      if (attempt >= settings.maxRetries()) {
        throw new KdsException(failReason,
            uri + " failed after " + (attempt + 1) + " attempt(s): " + failure, cause);
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new KdsException(Reason.UNAVAILABLE, uri + ": interrupted", e);
      }
    }
  }

  private HttpResponse<byte[]> send(URI uri) throws IOException, KdsException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(settings.timeout()).GET().build();
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request,
        BoundedBodySubscriber.handler(KdsDocuments.MAX_DOCUMENT_SIZE, ERROR_EXCERPT));
    try {
      // The request timeout covers only the response headers; this bounds the whole exchange.
      return future.get(settings.timeout().toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new HttpTimeoutException("no complete response within " + settings.timeout());
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new KdsException(Reason.UNAVAILABLE, uri + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
    }
  }

  private Duration backoff(int attempt) {
    Duration d = settings.initialBackoff().multipliedBy(1L << Math.min(attempt, 20));
    return d.compareTo(settings.maxBackoff()) > 0 ? settings.maxBackoff() : d;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static boolean isTooLarge(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof BoundedBodySubscriber.TooLargeException) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code Retry-After} as delta-seconds or an HTTP-date (relative to {@code now}, at least
   * zero); empty if absent or unparsable.
   */
  static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
    Optional<String> header = headers.firstValue("Retry-After");
    if (header.isEmpty()) {
      return Optional.empty();
    }
    String v = header.get().trim();
    if (v.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    if (v.length() > 64) {
      return Optional.empty();
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(now, at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** A short printable excerpt of an error body, or nothing. */
  private static String excerpt(byte[] body) {
    String text = new String(body, StandardCharsets.UTF_8).strip()
        .replaceAll("[^\\x20-\\x7e]", "?");
    if (text.isEmpty()) {
      return "";
    }
    return " (" + (text.length() > 120 ? text.substring(0, 120) + "..." : text) + ")";
  }
}
