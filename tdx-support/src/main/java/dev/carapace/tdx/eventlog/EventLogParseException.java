package dev.carapace.tdx.eventlog;

import java.util.Objects;

/**
 * Thrown when bytes are not a well-formed CCEL table or TCG2 crypto-agile event log. The
 * {@link Reason} says which rule was broken; the message names the field and offset, never the
 * log contents.
 */
public final class EventLogParseException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why parsing failed. Stable: tests and callers switch on it. */
  public enum Reason {
    /** The input ends inside a field or inside an event whose length fields promise more. */
    TRUNCATED,
    /** The first event is not an EV_NO_ACTION carrying a consistent "Spec ID Event03" struct. */
    MALFORMED_SPEC_ID_EVENT,
    /** An event carries a digest for an algorithm that the Spec ID event does not list. */
    UNKNOWN_ALGORITHM,
    /** A count or size field exceeds the bound this parser allows (see {@link EventLogParser}). */
    OVERSIZED,
    /** An event is internally inconsistent (e.g. two digests of the same algorithm). */
    MALFORMED_EVENT,
    /** The bytes are not a 56-byte ACPI "CCEL" table with a valid checksum. */
    MALFORMED_CCEL_TABLE,
  }

  private final Reason reason;

  public EventLogParseException(Reason reason, String message) {
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
