package dev.carapace.guest.attester;

import dev.carapace.attestation.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The GHCB certificate table that SEV-SNP hosts supply with an extended report (configfs-tsm
 * {@code auxblob}): 24-byte entries {@code GUID (RFC 4122 byte order), offset u32le, length
 * u32le} ended by an all-zero entry, offsets relative to the table start.
 */
final class SnpCertTable {
  static final UUID VCEK = UUID.fromString("63da758d-e664-4564-adc5-f4b93be8accd");
  static final UUID VLEK = UUID.fromString("a8074bc2-a25a-483e-aae6-39c045a0b8a1");
  static final UUID ASK = UUID.fromString("4ab7b379-bbac-4fe4-a02f-05aef327c782");
  static final UUID ARK = UUID.fromString("c0b406a4-a803-4952-9743-3fb6014cd0ae");
  static final UUID CRL = UUID.fromString("92f81bc3-5811-4d3d-97ff-d19f88dc67ea");
  private static final int ENTRY = 24;

  /** One certificate: its sev-crate type name (VCEK, VLEK, ASK, ARK, CRL) and bytes. */
  record Entry(String type, Bytes data) {
    Entry {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(data, "data");
    }
  }

  private SnpCertTable() {}

  /** The known entries of {@code table} in table order; entries of unknown GUIDs are skipped. */
  static List<Entry> parse(Bytes table) throws AttesterException {
    List<Entry> out = new ArrayList<>();
    byte[] t = table.toByteArray();
    for (int at = 0; ; at += ENTRY) {
      if (at + ENTRY > t.length) {
        if (t.length == 0) {
          return out; // the host supplied no certificates
        }
        throw malformed("certificate table has no terminating entry");
      }
      long msb = be64(t, at);
      long lsb = be64(t, at + 8);
      long offset = le32(t, at + 16);
      long length = le32(t, at + 20);
      if (msb == 0 && lsb == 0) {
        return out;
      }
      if (offset + length > t.length) {
        throw malformed("certificate table entry at " + at + " points past the table end");
      }
      String type = typeOf(new UUID(msb, lsb));
      if (type != null) {
        out.add(new Entry(type, Bytes.copyOf(t, (int) offset, (int) length)));
      }
    }
  }

  private static @Nullable String typeOf(UUID guid) {
    if (guid.equals(VCEK)) {
      return "VCEK";
    } else if (guid.equals(VLEK)) {
      return "VLEK";
    } else if (guid.equals(ASK)) {
      return "ASK";
    } else if (guid.equals(ARK)) {
      return "ARK";
    } else if (guid.equals(CRL)) {
      return "CRL";
    }
    return null;
  }

  private static long be64(byte[] b, int at) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[at + i] & 0xff);
    }
    return v;
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }

  private static AttesterException malformed(String message) {
    return new AttesterException(AttesterException.Reason.MALFORMED_REPORT, message);
  }
}
