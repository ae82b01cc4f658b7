package dev.carapace.tdx.eventlog;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.eventlog.EventLogParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The ACPI "CCEL" (Confidential Computing Event Log) table, 56 bytes: the standard 36-byte ACPI
 * header, CC type and subtype, and the location of the event-log area in guest memory.
 *
 * <p>{@link #parse} checks the signature, the length field (56), the table size and the ACPI
 * checksum; it accepts any CC type (see {@link #isTdx()}). Immutable and thread-safe.
 *
 * @param revision ACPI table revision (byte 8)
 * @param oemId 6 bytes at offset 10
 * @param oemTableId 8 bytes at offset 16
 * @param oemRevision u32 at offset 24
 * @param creatorId 4 bytes at offset 28
 * @param creatorRevision u32 at offset 32
 * @param ccType byte 36: 1 = AMD SEV, 2 = Intel TDX
 * @param ccSubtype byte 37
 * @param logAreaMinimumLength LAML, u64 at offset 40 (unsigned)
 * @param logAreaStartAddress LASA, u64 at offset 48 (unsigned guest-physical address)
 */
public record CcelTable(
    int revision,
    Bytes oemId,
    Bytes oemTableId,
    long oemRevision,
    Bytes creatorId,
    long creatorRevision,
    int ccType,
    int ccSubtype,
    long logAreaMinimumLength,
    long logAreaStartAddress) {

  public static final int SIZE = 56;
  public static final int CC_TYPE_SEV = 1;
  public static final int CC_TYPE_TDX = 2;
  private static final Bytes SIGNATURE = Bytes.copyOf("CCEL".getBytes(StandardCharsets.US_ASCII));

  public CcelTable {
    checkRange(revision, 0xff, "revision");
    checkSize(oemId, 6, "oemId");
    checkSize(oemTableId, 8, "oemTableId");
    checkRange(oemRevision, 0xffff_ffffL, "oemRevision");
    checkSize(creatorId, 4, "creatorId");
    checkRange(creatorRevision, 0xffff_ffffL, "creatorRevision");
    checkRange(ccType, 0xff, "ccType");
    checkRange(ccSubtype, 0xff, "ccSubtype");
  }

  /** Whether the CC type is 2 (Intel TDX). */
  public boolean isTdx() {
    return ccType == CC_TYPE_TDX;
  }

  /**
   * Parses the raw table as read from {@code /sys/firmware/acpi/tables/CCEL}. Exactly 56 bytes
   * are required. Never throws an unchecked exception for any non-null input.
   */
  public static CcelTable parse(byte[] raw) throws EventLogParseException {
    if (raw.length != SIZE) {
      throw malformed("table must be " + SIZE + " bytes, got " + raw.length);
    }
    EventLogReader r = new EventLogReader(raw, 0, raw.length, Reason.MALFORMED_CCEL_TABLE);
    if (!r.bytes(4, "signature").equals(SIGNATURE)) {
      throw malformed("signature is not \"CCEL\"");
    }
    long length = r.u32("length");
    if (length != SIZE) {
      throw malformed("length field must be " + SIZE + ", found " + length);
    }
    int sum = 0;
    for (byte b : raw) {
      sum += b & 0xff;
    }
    if ((sum & 0xff) != 0) {
      throw malformed("ACPI checksum does not sum to zero");
    }
    int revision = r.u8("revision");
    r.u8("checksum");
    Bytes oemId = r.bytes(6, "OEM ID");
    Bytes oemTableId = r.bytes(8, "OEM table ID");
    long oemRevision = r.u32("OEM revision");
    Bytes creatorId = r.bytes(4, "creator ID");
    long creatorRevision = r.u32("creator revision");
    int ccType = r.u8("CC type");
    int ccSubtype = r.u8("CC subtype");
    r.u16("reserved");
    long laml = r.u64("LAML");
    long lasa = r.u64("LASA");
    return new CcelTable(
        revision, oemId, oemTableId, oemRevision, creatorId, creatorRevision, ccType, ccSubtype,
        laml, lasa);
  }

  private static EventLogParseException malformed(String message) {
    return new EventLogParseException(Reason.MALFORMED_CCEL_TABLE, message);
  }

  private static void checkRange(long value, long max, String name) {
    if (value < 0 || value > max) {
      throw new IllegalArgumentException(name + " must be in [0, " + max + "], got " + value);
    }
  }

  private static void checkSize(Bytes value, int size, String name) {
    Objects.requireNonNull(value, name);
    if (value.size() != size) {
      throw new IllegalArgumentException(name + " must be " + size + " bytes, got " + value.size());
    }
  }
}
