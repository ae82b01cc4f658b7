package dev.carapace.snp.measure;

import java.util.Objects;

/**
 * One OVMF SEV metadata section descriptor ({@code {u32 gpa, u32 size, u32 type}}).
 *
 * @param gpa guest-physical start address, page aligned
 * @param size length in bytes, a positive multiple of 4 KiB
 */
public record OvmfSection(long gpa, long size, SectionType type) {
  public OvmfSection {
    Objects.requireNonNull(type, "type");
    if (gpa < 0 || gpa > 0xFFFF_FFFFL || size <= 0 || size > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("gpa and size must be unsigned 32-bit, size positive");
    }
    if ((gpa & 0xFFF) != 0 || (size & 0xFFF) != 0) {
      throw new IllegalArgumentException("section must be page aligned");
    }
  }
}
