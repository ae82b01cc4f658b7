package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.quote.QuoteParseException.Reason;

/** Bounds-checked little-endian cursor over a byte array; every overrun is a typed error. */
final class LittleEndianReader {
  private final byte[] data;
  private final int limit;
  private int position;

  LittleEndianReader(byte[] data, int offset, int limit) {
    this.data = data;
    this.position = offset;
    this.limit = limit;
  }

  int position() {
    return position;
  }

  int remaining() {
    return limit - position;
  }

  private void require(int n, String field) throws QuoteParseException {
    if (n < 0 || n > remaining()) {
      throw new QuoteParseException(
          Reason.TRUNCATED,
          field + " needs " + n + " bytes at offset " + position + ", only " + remaining()
              + " remain");
    }
  }

  Bytes bytes(int n, String field) throws QuoteParseException {
    require(n, field);
    Bytes b = Bytes.copyOf(data, position, n);
    position += n;
    return b;
  }

  int u16(String field) throws QuoteParseException {
    require(2, field);
    int v = (data[position] & 0xff) | (data[position + 1] & 0xff) << 8;
    position += 2;
    return v;
  }

  /** Unsigned 32-bit value as a long. */
  long u32(String field) throws QuoteParseException {
    require(4, field);
    long v = (data[position] & 0xffL)
        | (data[position + 1] & 0xffL) << 8
        | (data[position + 2] & 0xffL) << 16
        | (data[position + 3] & 0xffL) << 24;
    position += 4;
    return v;
  }
}
