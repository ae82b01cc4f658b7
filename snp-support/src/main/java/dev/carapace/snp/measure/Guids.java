package dev.carapace.snp.measure;

import dev.carapace.attestation.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.UUID;

/** UEFI GUIDs in their mixed-endian wire form (Python's {@code uuid.bytes_le}). */
final class Guids {
  private Guids() {}

  /** The 16 wire bytes of {@code guid}: time fields little-endian, the last 8 bytes as written. */
  static Bytes toBytesLe(UUID guid) {
    ByteBuffer be = ByteBuffer.allocate(16).order(ByteOrder.BIG_ENDIAN);
    be.putLong(guid.getMostSignificantBits()).putLong(guid.getLeastSignificantBits());
    byte[] b = be.array();
    byte[] out = {
      b[3], b[2], b[1], b[0], b[5], b[4], b[7], b[6],
      b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]
    };
    return Bytes.copyOf(out);
  }

  /** Inverse of {@link #toBytesLe}: reads a GUID from 16 wire bytes at {@code offset}. */
  static UUID fromBytesLe(byte[] data, int offset) {
    byte[] b = new byte[16];
    int[] order = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    for (int i = 0; i < 16; i++) {
      b[i] = data[offset + order[i]];
    }
    ByteBuffer be = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
    return new UUID(be.getLong(), be.getLong());
  }
}
