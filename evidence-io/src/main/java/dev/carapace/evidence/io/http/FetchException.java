package dev.carapace.evidence.io.http;

import java.net.URI;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * A GET by {@link HttpFetcher} did not produce a 200 answer. The message names the URI and the
 * (last) failure, without the reason; the cause is the last I/O exception (for example an {@link
 * java.net.http.HttpTimeoutException}), the {@link InterruptedException}, or none when the server
 * answered. Callers map {@link #reason()} to their own exception's reasons.
 */
public final class FetchException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. Stable: callers switch on it. */
  public enum Reason {
    /** HTTP 404; not retried. */
    NOT_FOUND,
    /** A status other than 200, 404, 429 and 5xx (including 2xx and 3xx); not retried. */
    BAD_STATUS,
    /** I/O errors or 5xx until the retries ran out, or a 5xx asking to wait too long. */
    UNAVAILABLE,
    /** 429 until the retries ran out, or a 429 asking to wait too long. */
    RATE_LIMITED,
    /** A 200 body over the size limit; not retried. */
    TOO_LARGE,
    /** The last attempt got no complete answer within the request timeout. */
    TIMEOUT,
    /** The thread was interrupted while waiting for an answer or between attempts. */
    INTERRUPTED,
  }

  private final Reason reason;
  private final URI uri;
  private final int status;

  /**
   * @param status the last HTTP status, or 0 when the failure was not an HTTP answer
   */
  public FetchException(Reason reason, URI uri, int status, String message,
      @Nullable Throwable cause) {
    super(Objects.requireNonNull(message, "message"), cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.uri = Objects.requireNonNull(uri, "uri");
    this.status = status;
  }

  public Reason reason() {
    return reason;
  }

  public URI uri() {
    return uri;
  }

  /** The status of the last answer, if the last attempt got one. */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }

  @Override
  public String getMessage() {
    String m = super.getMessage();
    return m == null ? "" : m;
  }
}
