package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.eventlog.EventLogParseException.Reason;

/**
 * Bounds-checked little-endian cursor over a byte array; every overrun is an
 * {@link EventLogParseException} with the reason given at construction.
 */
final class EventLogReader {
  private final byte[] data;
  private final int limit;
  private final Reason overrun;
  private int position;

  EventLogReader(byte[] data, int offset, int limit, Reason overrun) {
    this.data = data;
    this.position = offset;
    this.limit = limit;
    this.overrun = overrun;
  }

  int position() {
    return position;
  }

  int remaining() {
    return limit - position;
  }

  private void require(long n, String field) throws EventLogParseException {
    if (n < 0 || n > remaining()) {
      throw new EventLogParseException(
          overrun,
          field + " needs " + n + " bytes at offset " + position + ", only " + remaining()
              + " remain");
    }
  }

  /** Reads {@code n} bytes; {@code n} may come straight from an untrusted u32 field. */
  Bytes bytes(long n, String field) throws EventLogParseException {
    require(n, field);
    Bytes b = Bytes.copyOf(data, position, (int) n);
    position += (int) n;
    return b;
  }

  int u8(String field) throws EventLogParseException {
    require(1, field);
    return data[position++] & 0xff;
  }

  int u16(String field) throws EventLogParseException {
    require(2, field);
    int v = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
    position += 2;
    return v;
  }

  /** Unsigned 32-bit value as a long. */
  long u32(String field) throws EventLogParseException {
    require(4, field);
    long v = peekU32(data, position);
    position += 4;
    return v;
  }

  /** Raw 64-bit value (callers treat it as unsigned). */
  long u64(String field) throws EventLogParseException {
    require(8, field);
    long v = peekU32(data, position) | peekU32(data, position + 4) << 32;
    position += 8;
    return v;
  }

  /** Unsigned 32-bit value at {@code offset}; the caller guarantees four bytes are there. */
  static long peekU32(byte[] data, int offset) {
    return (data[offset] & 0xffL)
        | (data[offset + 1] & 0xffL) << 8
        | (data[offset + 2] & 0xffL) << 16
        | (data[offset + 3] & 0xffL) << 24;
  }
}
