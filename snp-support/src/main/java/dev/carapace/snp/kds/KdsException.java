package dev.carapace.snp.kds;

import dev.carapace.evidence.io.http.ExpiringCache;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A KDS certificate or CRL could not be obtained or is not well-formed. */
public final class KdsException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why. Stable: callers switch on it. */
  public enum Reason {
    /** The source has no such document (HTTP 404, missing file, absent table entry). */
    NOT_FOUND,
    /** The source could not be reached or kept failing after retries (I/O, timeout, 5xx). */
    UNAVAILABLE,
    /**
     * KDS kept answering 429 Too Many Requests after the retries, or asked to wait longer than
     * the configured bound. KDS throttles identical requests to about one per 10 seconds.
     */
    RATE_LIMITED,
    /** The source answered with something other than the document (unexpected status, too big). */
    BAD_RESPONSE,
    /** A document is not the DER/PEM certificate, chain or CRL its format requires. */
    MALFORMED,
  }

  /**
   * For callers of a cache that waited for another caller's fetch: a fresh exception for this
   * thread (the loader's is the cause), or UNAVAILABLE when interrupted.
   */
  static final ExpiringCache.Failures<KdsException> CACHE_FAILURES = ExpiringCache.Failures.of(
      e -> new KdsException(e.reason(), e.detail(), e),
      e -> new KdsException(Reason.UNAVAILABLE, "interrupted waiting for a concurrent fetch", e));

  private final Reason reason;

  public KdsException(Reason reason, String message) {
    this(reason, message, null);
  }

  public KdsException(Reason reason, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  /** The message without the {@code REASON: } prefix that {@link #getMessage()} adds. */
  public String detail() {
    String m = super.getMessage();
    return m == null ? "" : m;
  }

  @Override
  public String getMessage() {
    return reason + ": " + detail();
  }
}
