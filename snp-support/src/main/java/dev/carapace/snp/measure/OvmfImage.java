package dev.carapace.snp.measure;

import static dev.carapace.snp.measure.MeasurementException.Reason.BAD_IMAGE_SIZE;
import static dev.carapace.snp.measure.MeasurementException.Reason.MALFORMED_FOOTER_TABLE;
import static dev.carapace.snp.measure.MeasurementException.Reason.MALFORMED_METADATA;

import dev.carapace.attestation.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

/**
 * A parsed OVMF firmware image as QEMU maps it for an SEV guest: the whole image ends at 4 GiB,
 * the GUIDed footer table (ending 32 bytes before the end of the image) carries the SEV-ES reset
 * block, the SEV hashes-table location and the offset of the SEV metadata ("ASEV") listing the
 * sections that SNP_LAUNCH_UPDATE must pre-validate. Parsing follows sev-snp-measure
 * {@code ovmf.py}; inconsistent structures are rejected rather than guessed at (sev-snp-measure
 * is more lenient): entry sizes out of bounds, duplicate GUIDs, sections that are not page
 * aligned, extend beyond 4 GiB or overlap.
 */
public final class OvmfImage {
  /** The footer-table terminating entry. */
  public static final UUID FOOTER_TABLE_GUID =
      UUID.fromString("96b582de-1fb2-45f7-baea-a366c55a082d");
  /** {@code {u32 gpa, u32 size}} of the reserved SEV hashes-table area. */
  public static final UUID SEV_HASH_TABLE_RV_GUID =
      UUID.fromString("7255371f-3a3b-4b04-927b-1da6efa8d454");
  /** {@code u32} AP reset EIP used by SEV-ES/SNP application processors. */
  public static final UUID SEV_ES_RESET_BLOCK_GUID =
      UUID.fromString("00f771de-1a7e-4fcb-890e-68c77e2fb44e");
  /** {@code u32} offset of the SEV metadata header, counted back from the end of the image. */
  public static final UUID SEV_METADATA_GUID =
      UUID.fromString("dc886566-984a-4798-a75e-5585a7bf67cc");

  /** Guest-physical address at which the image ends. */
  public static final long FOUR_GIB = 0x1_0000_0000L;

  private static final int PAGE = 4096;
  private static final int ENTRY_HEADER = 18;
  private static final int FOOTER_TRAILER = 32;
  private static final int METADATA_HEADER = 16;
  private static final int METADATA_ITEM = 12;

  private final Bytes data;
  private final Map<UUID, Bytes> footerTable;
  private final List<OvmfSection> sections;

  private OvmfImage(Bytes data, Map<UUID, Bytes> footerTable, List<OvmfSection> sections) {
    this.data = data;
    this.footerTable = footerTable;
    this.sections = sections;
  }

  /**
   * Parses {@code image}. An image without a footer table or without SEV metadata parses (it can
   * still be measured for plain SEV); users of the missing parts report that themselves.
   *
   * @throws MeasurementException {@code BAD_IMAGE_SIZE}, {@code MALFORMED_FOOTER_TABLE} or
   *     {@code MALFORMED_METADATA}
   */
  public static OvmfImage parse(Bytes image) throws MeasurementException {
    Objects.requireNonNull(image, "image");
    int size = image.size();
    if (size == 0 || size % PAGE != 0) {
      throw new MeasurementException(BAD_IMAGE_SIZE,
          "OVMF image size " + size + " is not a positive multiple of 4096");
    }
    byte[] raw = image.toByteArray();
    Map<UUID, Bytes> table = parseFooterTable(raw);
    List<OvmfSection> sections = parseMetadata(raw, table);
    return new OvmfImage(image, Collections.unmodifiableMap(table), List.copyOf(sections));
  }

  /** The image bytes. */
  public Bytes data() {
    return data;
  }

  public int size() {
    return data.size();
  }

  /** Guest-physical address of the first byte: 4 GiB minus the image size. */
  public long gpa() {
    return FOUR_GIB - data.size();
  }

  /** Footer-table entries (GUID to entry data), in the order they were walked (from the end). */
  public Map<UUID, Bytes> footerTable() {
    return footerTable;
  }

  /** SEV metadata sections in table order; empty when the image has no SEV metadata. */
  public List<OvmfSection> sections() {
    return sections;
  }

  /** True when the image has SEV metadata. */
  public boolean hasMetadata() {
    return footerTable.containsKey(SEV_METADATA_GUID);
  }

  public boolean hasSection(SectionType type) {
    return sections.stream().anyMatch(s -> s.type() == type);
  }

  /** The AP reset EIP from the SEV-ES reset block, if the image has one. */
  public OptionalLong sevEsResetEip() {
    return u32Entry(SEV_ES_RESET_BLOCK_GUID);
  }

  /** The GPA of the reserved SEV hashes-table area, if the image declares one. */
  public OptionalLong sevHashesTableGpa() {
    return u32Entry(SEV_HASH_TABLE_RV_GUID);
  }

  /** True when the image declares a non-zero SEV hashes-table GPA (QEMU measured direct boot). */
  public boolean supportsSevHashesTable() {
    return sevHashesTableGpa().orElse(0) != 0;
  }

  private OptionalLong u32Entry(UUID guid) {
    Bytes entry = footerTable.get(guid);
    return entry == null ? OptionalLong.empty() : OptionalLong.of(u32(entry.toByteArray(), 0));
  }

  private static Map<UUID, Bytes> parseFooterTable(byte[] raw) throws MeasurementException {
    Map<UUID, Bytes> table = new LinkedHashMap<>();
    int footer = raw.length - FOOTER_TRAILER - ENTRY_HEADER;
    if (!Guids.fromBytesLe(raw, footer + 2).equals(FOOTER_TABLE_GUID)) {
      return table;
    }
    int tableSize = u16(raw, footer) - ENTRY_HEADER;
    int tableStart = footer - tableSize;
    if (tableSize < 0 || tableStart < 0) {
      throw new MeasurementException(MALFORMED_FOOTER_TABLE,
          "footer table size " + (tableSize + ENTRY_HEADER) + " out of bounds");
    }
    int end = footer;
    while (end - tableStart >= ENTRY_HEADER) {
      int entrySize = u16(raw, end - ENTRY_HEADER);
      if (entrySize < ENTRY_HEADER || entrySize > end - tableStart) {
        throw new MeasurementException(MALFORMED_FOOTER_TABLE,
            "footer table entry at offset " + (end - ENTRY_HEADER) + " has bad size " + entrySize);
      }
      UUID guid = Guids.fromBytesLe(raw, end - 16);
      Bytes value = Bytes.copyOf(raw, end - entrySize, entrySize - ENTRY_HEADER);
      if (table.put(guid, value) != null) {
        throw new MeasurementException(MALFORMED_FOOTER_TABLE, "duplicate footer entry " + guid);
      }
      end -= entrySize;
    }
    requireLength(table, SEV_ES_RESET_BLOCK_GUID, 4);
    requireLength(table, SEV_HASH_TABLE_RV_GUID, 8);
    requireLength(table, SEV_METADATA_GUID, 4);
    return table;
  }

  private static void requireLength(Map<UUID, Bytes> table, UUID guid, int min)
      throws MeasurementException {
    Bytes entry = table.get(guid);
    if (entry != null && entry.size() < min) {
      throw new MeasurementException(MALFORMED_FOOTER_TABLE,
          "footer entry " + guid + " has " + entry.size() + " data bytes, expected " + min);
    }
  }

  private static List<OvmfSection> parseMetadata(byte[] raw, Map<UUID, Bytes> table)
      throws MeasurementException {
    List<OvmfSection> sections = new ArrayList<>();
    Bytes entry = table.get(SEV_METADATA_GUID);
    if (entry == null) {
      return sections;
    }
    long offsetFromEnd = u32(entry.toByteArray(), 0);
    if (offsetFromEnd < METADATA_HEADER || offsetFromEnd > raw.length) {
      throw new MeasurementException(MALFORMED_METADATA,
          "SEV metadata offset " + offsetFromEnd + " outside the image");
    }
    int start = (int) (raw.length - offsetFromEnd);
    if (raw[start] != 'A' || raw[start + 1] != 'S' || raw[start + 2] != 'E'
        || raw[start + 3] != 'V') {
      throw new MeasurementException(MALFORMED_METADATA, "SEV metadata signature is not ASEV");
    }
    long headerSize = u32(raw, start + 4);
    long version = u32(raw, start + 8);
    long count = u32(raw, start + 12);
    if (version != 1) {
      throw new MeasurementException(MALFORMED_METADATA, "SEV metadata version " + version);
    }
    if (headerSize < METADATA_HEADER + count * METADATA_ITEM || headerSize > offsetFromEnd) {
      throw new MeasurementException(MALFORMED_METADATA,
          "SEV metadata size " + headerSize + " inconsistent with " + count + " items");
    }
    for (int i = 0; i < count; i++) {
      int at = start + METADATA_HEADER + i * METADATA_ITEM;
      long gpa = u32(raw, at);
      long size = u32(raw, at + 4);
      long code = u32(raw, at + 8);
      Optional<SectionType> type = SectionType.fromCode(code);
      if (type.isEmpty()) {
        throw new MeasurementException(MALFORMED_METADATA,
            "SEV metadata item " + i + " has unknown section type " + code);
      }
      if ((gpa & 0xFFF) != 0 || (size & 0xFFF) != 0 || size == 0) {
        throw new MeasurementException(MALFORMED_METADATA,
            "SEV metadata item " + i + " is not a page-aligned, non-empty range");
      }
      if (gpa + size > FOUR_GIB) {
        throw new MeasurementException(MALFORMED_METADATA,
            "SEV metadata item " + i + " extends beyond 4 GiB");
      }
      sections.add(new OvmfSection(gpa, size, type.get()));
    }
    List<OvmfSection> byGpa = new ArrayList<>(sections);
    byGpa.sort(Comparator.comparingLong(OvmfSection::gpa));
    for (int i = 1; i < byGpa.size(); i++) {
      OvmfSection prev = byGpa.get(i - 1);
      if (prev.gpa() + prev.size() > byGpa.get(i).gpa()) {
        throw new MeasurementException(MALFORMED_METADATA,
            "SEV metadata sections overlap at gpa 0x" + Long.toHexString(byGpa.get(i).gpa()));
      }
    }
    return sections;
  }

  private static int u16(byte[] b, int off) {
    return ByteBuffer.wrap(b, off, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
  }

  private static long u32(byte[] b, int off) {
    return ByteBuffer.wrap(b, off, 4).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xFFFF_FFFFL;
  }
}
