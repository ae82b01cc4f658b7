package dev.carapace.snp.measure;

import dev.carapace.attestation.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * An SEV-SNP launch digest (the report's MEASUREMENT) and its update rule, SNP ABI
 * SNP_LAUNCH_UPDATE: {@code LD' = SHA-384(PAGE_INFO)} where the 0x70-byte PAGE_INFO is
 * {@code LD || CONTENTS || u16 0x70 || u8 PAGE_TYPE || u8 IMI=0 || u8 VMPL3/2/1 perms=0 ||
 * u8 0 || u64 GPA}. CONTENTS is the SHA-384 of the page for NORMAL and VMSA pages and 48 zero
 * bytes for the other types. Immutable: each update returns a new value.
 *
 * @param value the 48-byte digest
 */
public record LaunchDigest(Bytes value) {
  /** Digest length in bytes. */
  public static final int LENGTH = 48;
  /** PAGE_INFO length in bytes. */
  public static final int PAGE_INFO_LENGTH = 0x70;
  /** The GPA KVM records for VMSA pages ((u64) -1, page aligned, bits above 51 clear). */
  public static final long VMSA_GPA = 0xFFFF_FFFF_F000L;

  private static final Bytes ZEROS = Bytes.zeros(LENGTH);

  public LaunchDigest {
    if (Objects.requireNonNull(value, "value").size() != LENGTH) {
      throw new IllegalArgumentException("launch digest is 48 bytes, got " + value.size());
    }
  }

  /** The all-zero starting value. */
  public static LaunchDigest initial() {
    return new LaunchDigest(ZEROS);
  }

  /** Extends this digest by one page update whose CONTENTS field is {@code contents}. */
  public LaunchDigest update(PageType type, long gpa, Bytes contents) {
    return new LaunchDigest(sha384(pageInfo(value, contents, type, gpa).toByteArray()));
  }

  /**
   * Extends this digest by one 4 KiB page of {@code type}: CONTENTS is SHA-384({@code page}) for
   * NORMAL and VMSA, and zero otherwise ({@code page} is then ignored).
   */
  public LaunchDigest updatePage(PageType type, long gpa, Bytes page) {
    if (type.measuresContents() && page.size() != 4096) {
      throw new IllegalArgumentException("pages are 4096 bytes, got " + page.size());
    }
    return update(type, gpa, type.measuresContents() ? sha384(page.toByteArray()) : ZEROS);
  }

  /** The 0x70-byte PAGE_INFO structure hashed by one update. */
  public static Bytes pageInfo(Bytes current, Bytes contents, PageType type, long gpa) {
    if (current.size() != LENGTH || contents.size() != LENGTH) {
      throw new IllegalArgumentException("digest and contents are 48 bytes each");
    }
    ByteBuffer b = ByteBuffer.allocate(PAGE_INFO_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
    current.copyTo(b.array(), 0);
    contents.copyTo(b.array(), LENGTH);
    b.putShort(0x60, (short) PAGE_INFO_LENGTH);
    b.put(0x62, (byte) type.code());
    b.putLong(0x68, gpa);
    return Bytes.copyOf(b.array());
  }

  /** CONTENTS value for page types that do not measure contents. */
  static Bytes zeroContents() {
    return ZEROS;
  }

  static Bytes sha384(byte[] data) {
    return sha384(data, 0, data.length);
  }

  static Bytes sha384(byte[] data, int offset, int length) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-384");
      md.update(data, offset, length);
      return Bytes.copyOf(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-384 is a required JDK algorithm", e);
    }
  }
}
