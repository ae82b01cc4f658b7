package dev.carapace.tdx.eventlog;

import java.util.Objects;

/**
 * Thrown when a well-formed event log cannot be replayed into RTMRs. The {@link Reason} says
 * why; the message names the offending event by sequence number and offset.
 */
public final class EventLogReplayException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why replay failed. Stable: tests and callers switch on it. */
  public enum Reason {
    /** A measured event (or the whole log) has no SHA-384 digest, e.g. an SM3-only log. */
    MISSING_SHA384_DIGEST,
    /** A measured event names an MR index above 4, which no TDX register corresponds to. */
    MR_INDEX_OUT_OF_RANGE,
  }

  private final Reason reason;

  public EventLogReplayException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
