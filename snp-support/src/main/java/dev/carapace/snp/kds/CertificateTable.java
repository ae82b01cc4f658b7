package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.snp.kds.KdsException.Reason;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The certificate table of an SEV-SNP extended report: what {@code SNP_GET_EXT_REPORT} writes to
 * its certificate buffer and configfs-tsm exposes as {@code auxblob} (GHCB specification; AMD
 * SEV-SNP ABI). Layout: 24-byte entries {@code {GUID[16], u32 offset, u32 length}} (little-endian
 * u32, GUID in RFC 4122 byte order), ended by an all-zero entry, followed by the data; offsets
 * are relative to the start of the table and point past the entries.
 *
 * <p>{@link #parse} accepts arbitrary bytes and fails only with {@link KdsException} ({@link
 * Reason#MALFORMED}); it is bounded by {@link #MAX_SIZE} and {@link #MAX_ENTRIES}. An empty or
 * all-zero buffer is an empty table (the host supplied no certificates). Duplicate GUIDs, an
 * entry with a null GUID but data, data overlapping the entries or past the end are refused.
 * Instances are immutable.
 */
public final class CertificateTable {
  /** VCEK (DER). */
  public static final UUID VCEK_GUID = UUID.fromString("63da758d-e664-4564-adc5-f4b93be8accd");
  /** VLEK (DER). */
  public static final UUID VLEK_GUID = UUID.fromString("a8074bc2-a25a-483e-aae6-39c045a0b8a1");
  /** ASK, or the ASVK when the endorsement key is a VLEK (DER). */
  public static final UUID ASK_GUID = UUID.fromString("4ab7b379-bbac-4fe4-a02f-05aef327c782");
  /** ARK (DER). */
  public static final UUID ARK_GUID = UUID.fromString("c0b406a4-a803-4952-9743-3fb6014cd0ae");
  /** go-sev-guest's ExtraPlatformInfo (CPUID for version 2 reports); not a certificate. */
  public static final UUID EXTRA_PLATFORM_INFO_GUID =
      UUID.fromString("ecae0c0f-9502-43b1-afa2-0ae2e0d565b6");

  /** Size of one entry. */
  public static final int ENTRY_SIZE = 24;
  /** Largest table parsed (the kernel's buffer is at most 16 KiB today). */
  public static final int MAX_SIZE = 1 << 20;
  /** Most entries parsed (excluding the terminator). */
  public static final int MAX_ENTRIES = 64;

  private static final UUID NIL = new UUID(0, 0);

  /** One entry: a GUID and its data. */
  public record Entry(UUID guid, Bytes data) {
    public Entry {
      Objects.requireNonNull(guid, "guid");
      Objects.requireNonNull(data, "data");
      if (guid.equals(NIL)) {
        throw new IllegalArgumentException("the nil GUID marks the end of the table");
      }
    }
  }

  private final List<Entry> entries;

  private CertificateTable(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  /**
   * A table of {@code entries}, in order.
   *
   * @throws IllegalArgumentException on duplicate GUIDs or more than {@link #MAX_ENTRIES}
   */
  public static CertificateTable of(List<Entry> entries) {
    Set<UUID> seen = new HashSet<>();
    for (Entry e : entries) {
      if (!seen.add(e.guid())) {
        throw new IllegalArgumentException("duplicate GUID " + e.guid());
      }
    }
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException("more than " + MAX_ENTRIES + " entries");
    }
    return new CertificateTable(entries);
  }

  /** The table with no entries. */
  public static CertificateTable empty() {
    return new CertificateTable(List.of());
  }

  /** Parses a certificate table; trailing bytes after the last datum (padding) are ignored. */
  public static CertificateTable parse(byte[] table) throws KdsException {
    Objects.requireNonNull(table, "table");
    if (table.length > MAX_SIZE) {
      throw malformed("table of " + table.length + " bytes exceeds " + MAX_SIZE);
    }
    if (table.length == 0) {
      return empty();
    }
    ByteBuffer guids = ByteBuffer.wrap(table).order(ByteOrder.BIG_ENDIAN);
    ByteBuffer ints = ByteBuffer.wrap(table).order(ByteOrder.LITTLE_ENDIAN);
    record Raw(UUID guid, long offset, long length) {}
    List<Raw> raws = new ArrayList<>();
    int pos = 0;
    while (true) {
      if (table.length - pos < ENTRY_SIZE) {
        throw malformed("no terminating all-zero entry within " + table.length + " bytes");
      }
      UUID guid = new UUID(guids.getLong(pos), guids.getLong(pos + 8));
      long offset = Integer.toUnsignedLong(ints.getInt(pos + 16));
      long length = Integer.toUnsignedLong(ints.getInt(pos + 20));
      pos += ENTRY_SIZE;
      if (guid.equals(NIL)) {
        if (offset != 0 || length != 0) {
          throw malformed("entry " + raws.size() + " has the nil GUID but offset " + offset
              + ", length " + length);
        }
        break;
      }
      if (raws.size() == MAX_ENTRIES) {
        throw malformed("more than " + MAX_ENTRIES + " entries");
      }
      raws.add(new Raw(guid, offset, length));
    }
    int headerEnd = pos;
    List<Entry> entries = new ArrayList<>(raws.size());
    Set<UUID> seen = new HashSet<>();
    for (int i = 0; i < raws.size(); i++) {
      Raw r = raws.get(i);
      if (!seen.add(r.guid())) {
        throw malformed("entry " + i + " repeats GUID " + r.guid());
      }
      if (r.length() > 0 && r.offset() < headerEnd) {
        throw malformed("entry " + i + " (" + r.guid() + ") has offset " + r.offset()
            + " inside the " + headerEnd + "-byte entry list");
      }
      if (r.offset() + r.length() > table.length) {
        throw malformed("entry " + i + " (" + r.guid() + ") spans [" + r.offset() + ", "
            + (r.offset() + r.length()) + ") beyond the " + table.length + "-byte table");
      }
      entries.add(new Entry(r.guid(), Bytes.copyOf(table, (int) r.offset(), (int) r.length())));
    }
    return new CertificateTable(entries);
  }

  /**
   * Encodes the table: the entries, the all-zero terminator, then each datum in entry order.
   * Callers that need a page-sized buffer (the guest request ABI) pad with zeros.
   */
  public byte[] encode() {
    int headerEnd = (entries.size() + 1) * ENTRY_SIZE;
    long total = headerEnd;
    for (Entry e : entries) {
      total += e.data().size();
    }
    if (total > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("table too large: " + total + " bytes");
    }
    ByteBuffer buf = ByteBuffer.allocate((int) total);
    int offset = headerEnd;
    for (Entry e : entries) {
      buf.order(ByteOrder.BIG_ENDIAN)
          .putLong(e.guid().getMostSignificantBits())
          .putLong(e.guid().getLeastSignificantBits());
      buf.order(ByteOrder.LITTLE_ENDIAN).putInt(offset).putInt(e.data().size());
      offset += e.data().size();
    }
    buf.put(new byte[ENTRY_SIZE]);
    for (Entry e : entries) {
      buf.put(e.data().toByteArray());
    }
    return buf.array();
  }

  public List<Entry> entries() {
    return entries;
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The data of the entry with {@code guid}. */
  public Optional<Bytes> find(UUID guid) {
    for (Entry e : entries) {
      if (e.guid().equals(guid)) {
        return Optional.of(e.data());
      }
    }
    return Optional.empty();
  }

  private static KdsException malformed(String message) {
    return new KdsException(Reason.MALFORMED, "certificate table: " + message);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CertificateTable t && entries.equals(t.entries);
  }

  @Override
  public int hashCode() {
    return entries.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("CertificateTable[");
    for (int i = 0; i < entries.size(); i++) {
      sb.append(i == 0 ? "" : ", ").append(entries.get(i).guid()).append(':')
          .append(entries.get(i).data().size()).append(" B");
    }
    return sb.append(']').toString();
  }
}
