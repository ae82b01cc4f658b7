package dev.carapace.evidence.io.http;

import dev.carapace.evidence.io.http.FetchException.Reason;
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
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * GETs a document with {@link HttpClient}: a deadline for each whole exchange (headers and body),
 * a bounded body ({@link BoundedBodySubscriber}), and retries.
 *
 * <ul>
 *   <li>200: the {@link FetchedResponse}.
 *   <li>I/O errors (including timeouts) and 5xx: retried after an exponential backoff ({@link
 *       Builder#retryBackoff} doubling per retry up to {@link Builder#maxBackoff}); a 5xx's
 *       {@code Retry-After} replaces the backoff.
 *   <li>429: retried after its {@code Retry-After} or, without one, after the backoff but at
 *       least {@link Builder#rateLimitBackoff}.
 *   <li>A {@code Retry-After} (delta-seconds or HTTP-date, the latter by the injected clock) over
 *       {@link Builder#maxRetryAfter} ends the retries at once.
 *   <li>After {@link Builder#maxRetries} retries: {@link Reason#UNAVAILABLE}, {@link
 *       Reason#RATE_LIMITED} (last answer 429) or {@link Reason#TIMEOUT} (last attempt timed out).
 *   <li>404: {@link Reason#NOT_FOUND}; any other status: {@link Reason#BAD_STATUS}; a 200 body
 *       over {@link Builder#maxBodySize}: {@link Reason#TOO_LARGE}. None of these is retried.
 * </ul>
 *
 * <p>Error messages carry a short printable detail of an error answer: by default an excerpt of
 * its body ({@link #bodyExcerpt}), see {@link Builder#errorDetail}. Immutable and thread-safe; no
 * logging.
 */
public final class HttpFetcher {
  /** Waits between attempts; tests inject one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** A short printable description of an error answer for messages, or an empty string. */
  @FunctionalInterface
  public interface ErrorDetail {
    String describe(FetchedResponse response);
  }

  /** Longest text {@link #printable} keeps. */
  private static final int PRINTABLE_LENGTH = 120;

  private final HttpClient client;
  private final Clock clock;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration retryBackoff;
  private final Duration maxBackoff;
  private final Duration rateLimitBackoff;
  private final Duration maxRetryAfter;
  private final Sleeper sleeper;
  private final int maxBodySize;
  private final int errorExcerpt;
  private final ErrorDetail errorDetail;

  private HttpFetcher(Builder b, HttpClient client) {
    this.client = client;
    this.clock = b.clock;
    this.requestTimeout = b.requestTimeout;
    this.maxRetries = b.maxRetries;
    this.retryBackoff = b.retryBackoff;
    this.maxBackoff = b.maxBackoff;
    this.rateLimitBackoff = b.rateLimitBackoff;
    this.maxRetryAfter = b.maxRetryAfter;
    this.sleeper = b.sleeper;
    this.maxBodySize = b.maxBodySize;
    this.errorExcerpt = b.errorExcerpt;
    this.errorDetail = b.errorDetail;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * GETs {@code uri} by the rules above, turning a {@link FetchException} into the caller's own
   * exception with {@code failure}.
   */
  public <E extends Exception> FetchedResponse get(URI uri,
      Function<? super FetchException, ? extends E> failure) throws E {
    try {
      return get(uri);
    } catch (FetchException e) {
      throw failure.apply(e);
    }
  }

  /** GETs {@code uri} by the rules above. */
  public FetchedResponse get(URI uri) throws FetchException {
    for (int attempt = 0; ; attempt++) {
      Reason failReason = Reason.UNAVAILABLE;
      int failStatus = 0;
      String failure;
      @Nullable Throwable cause = null;
      Duration wait = backoff(attempt);
      try {
        FetchedResponse response = send(uri);
        int status = response.status();
        if (status == 200) {
          return response;
        }
        failStatus = status;
        failure = "HTTP " + status + detail(response);
        if (status == 404) {
          throw new FetchException(Reason.NOT_FOUND, uri, status, uri + " answered " + failure,
              null);
        }
        Optional<Duration> retryAfter = retryAfter(response.headers(), clock.instant());
        if (status == 429) {
          failReason = Reason.RATE_LIMITED;
          wait = retryAfter.orElse(max(wait, rateLimitBackoff));
        } else if (status >= 500 && status <= 599) {
          wait = retryAfter.orElse(wait);
        } else {
          throw new FetchException(Reason.BAD_STATUS, uri, status, uri + " answered " + failure,
              null);
        }
        if (retryAfter.isPresent() && retryAfter.get().compareTo(maxRetryAfter) > 0) {
          throw new FetchException(failReason, uri, status, uri + " answered " + failure
              + " and asks to retry after " + retryAfter.get().toSeconds() + " s (more than "
              + maxRetryAfter.toSeconds() + " s)", null);
        }
      } catch (IOException e) {
        if (isTooLarge(e)) {
          throw new FetchException(Reason.TOO_LARGE, uri, 200,
              uri + ": response body too large (" + e.getMessage() + ")", e);
        }
        if (e instanceof HttpTimeoutException) {
          failReason = Reason.TIMEOUT;
        }
        failure = e.toString();
        cause = e;
      }
      if (attempt >= maxRetries) {
        throw new FetchException(failReason, uri, failStatus,
            uri + " failed after " + (attempt + 1) + " attempt(s): " + failure, cause);
      }
      try {
        sleeper.sleep(wait);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new FetchException(Reason.INTERRUPTED, uri, 0, uri + ": interrupted", e);
      }
    }
  }

  private FetchedResponse send(URI uri) throws IOException, FetchException {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(requestTimeout).GET().build();
    CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request,
        BoundedBodySubscriber.handler(maxBodySize, errorExcerpt));
    try {
      // The request timeout covers only the response headers; this bounds the whole exchange.
      HttpResponse<byte[]> r = future.get(requestTimeout.toNanos(), TimeUnit.NANOSECONDS);
      return new FetchedResponse(r.statusCode(), r.headers(), r.body());
    } catch (TimeoutException e) {
      future.cancel(true);
      throw new HttpTimeoutException("no complete response within " + requestTimeout);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw new FetchException(Reason.INTERRUPTED, uri, 0, uri + ": interrupted", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
    }
  }

  private String detail(FetchedResponse response) {
    String d = errorDetail.describe(response);
    return d.isEmpty() ? "" : " (" + d + ")";
  }

  private Duration backoff(int attempt) {
    Duration d = retryBackoff.multipliedBy(1L << Math.min(attempt, 20));
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
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
  public static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
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

  /** The default {@link ErrorDetail}: a printable excerpt of the (already truncated) body. */
  public static String bodyExcerpt(FetchedResponse response) {
    return printable(new String(response.body(), StandardCharsets.UTF_8).strip());
  }

  /**
   * {@code text} with every character outside printable ASCII replaced by {@code ?}, cut to 120
   * characters plus {@code ...}: safe to put into a message.
   */
  public static String printable(String text) {
    String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > PRINTABLE_LENGTH
        ? clean.substring(0, PRINTABLE_LENGTH) + "..." : clean;
  }

  /** Configures an {@link HttpFetcher}. Not thread-safe; {@link #build} may be repeated. */
  public static final class Builder {
    private @Nullable HttpClient httpClient;
    private Clock clock = Clock.systemUTC();
    private Duration requestTimeout = Duration.ofSeconds(10);
    private int maxRetries = 3;
    private Duration retryBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(8);
    private Duration rateLimitBackoff = Duration.ZERO;
    private Duration maxRetryAfter = Duration.ofSeconds(30);
    private Sleeper sleeper = d -> Thread.sleep(d.toMillis());
    private int maxBodySize = 1 << 20;
    private int errorExcerpt = 512;
    private ErrorDetail errorDetail = HttpFetcher::bodyExcerpt;

    private Builder() {}

    /**
     * The HTTP client (its TLS, proxy and redirect settings apply). Default: HTTP/1.1, following
     * same-or-stronger-scheme redirects, the request timeout as connect timeout.
     */
    public Builder httpClient(HttpClient value) {
      this.httpClient = Objects.requireNonNull(value, "httpClient");
      return this;
    }

    /** The clock for HTTP-date {@code Retry-After}; default system UTC. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** Deadline of one attempt, from sending to the last body byte (default 10 s). */
    public Builder requestTimeout(Duration value) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException("requestTimeout must be positive");
      }
      this.requestTimeout = value;
      return this;
    }

    /** Retries after the first attempt (default 3); 0 disables retrying. */
    public Builder maxRetries(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("maxRetries must be >= 0");
      }
      this.maxRetries = value;
      return this;
    }

    /** First retry delay (default 500 ms), doubled per retry up to {@link #maxBackoff}. */
    public Builder retryBackoff(Duration value) {
      this.retryBackoff = nonNegative(value, "retryBackoff");
      return this;
    }

    /** Longest backoff (default 8 s). */
    public Builder maxBackoff(Duration value) {
      this.maxBackoff = nonNegative(value, "maxBackoff");
      return this;
    }

    /** Least wait after a 429 without {@code Retry-After} (default 0: just the backoff). */
    public Builder rateLimitBackoff(Duration value) {
      this.rateLimitBackoff = nonNegative(value, "rateLimitBackoff");
      return this;
    }

    /** Longest {@code Retry-After} that is waited for (default 30 s); longer ones fail at once. */
    public Builder maxRetryAfter(Duration value) {
      this.maxRetryAfter = nonNegative(value, "maxRetryAfter");
      return this;
    }

    public Builder sleeper(Sleeper value) {
      this.sleeper = Objects.requireNonNull(value, "sleeper");
      return this;
    }

    /** Largest 200 body accepted, in bytes (default 1 MiB). */
    public Builder maxBodySize(int value) {
      if (value <= 0) {
        throw new IllegalArgumentException("maxBodySize must be positive");
      }
      this.maxBodySize = value;
      return this;
    }

    /** Bytes of an error body kept for {@link ErrorDetail} (default 512). */
    public Builder errorExcerpt(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("errorExcerpt must be >= 0");
      }
      this.errorExcerpt = value;
      return this;
    }

    /** How error answers are described in messages (default {@link #bodyExcerpt}). */
    public Builder errorDetail(ErrorDetail value) {
      this.errorDetail = Objects.requireNonNull(value, "errorDetail");
      return this;
    }

    public HttpFetcher build() {
      HttpClient client = httpClient != null ? httpClient : HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(requestTimeout)
          .followRedirects(HttpClient.Redirect.NORMAL)
          .build();
      return new HttpFetcher(this, client);
    }

    private static Duration nonNegative(Duration value, String what) {
      if (value.isNegative()) {
        throw new IllegalArgumentException(what + " must be >= 0");
      }
      return value;
    }
  }
}
