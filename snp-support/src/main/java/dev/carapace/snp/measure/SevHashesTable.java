package dev.carapace.snp.measure;

import dev.carapace.attestation.model.Bytes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * The SEV hashes table QEMU places in guest memory for measured direct boot
 * ({@code target/i386/sev.c}, {@code sev_add_kernel_loader_hashes}): a header
 * {@code {GUID, u16 length = 0xA8}} followed by three {@code {GUID, u16 length = 0x32,
 * SHA-256[32]}} entries in the order cmdline, initrd, kernel, zero-padded to a multiple of 16
 * bytes (176 bytes in all).
 *
 * @param cmdlineSha256 SHA-256 of the NUL-terminated kernel command line
 * @param initrdSha256 SHA-256 of the initrd (of empty input when there is none)
 * @param kernelSha256 SHA-256 of the kernel image
 */
public record SevHashesTable(Bytes cmdlineSha256, Bytes initrdSha256, Bytes kernelSha256) {
  public static final UUID TABLE_HEADER_GUID =
      UUID.fromString("9438d606-4f22-4cc9-b479-a793d411fd21");
  public static final UUID CMDLINE_ENTRY_GUID =
      UUID.fromString("97d02dd8-bd20-4c94-aa78-e7714d36ab2a");
  public static final UUID INITRD_ENTRY_GUID =
      UUID.fromString("44baf731-3a2f-4bd7-9af1-41e29169781d");
  public static final UUID KERNEL_ENTRY_GUID =
      UUID.fromString("4de79437-abd2-427f-b835-d5b172d2045b");

  private static final int ENTRY_SIZE = 16 + 2 + 32;
  private static final int TABLE_SIZE = 16 + 2 + 3 * ENTRY_SIZE;
  /** Size of the padded table in bytes (176). */
  public static final int PADDED_SIZE = (TABLE_SIZE + 15) & ~15;

  public SevHashesTable {
    for (Bytes h : new Bytes[] {cmdlineSha256, initrdSha256, kernelSha256}) {
      if (Objects.requireNonNull(h, "hash").size() != 32) {
        throw new IllegalArgumentException("SHA-256 hashes are 32 bytes, got " + h.size());
      }
    }
  }

  /**
   * Hashes the boot components as QEMU does: {@code initrd} absent hashes as empty input, the
   * command line is UTF-8 with a terminating NUL (a lone NUL when absent or empty).
   */
  public static SevHashesTable of(Bytes kernel, @Nullable Bytes initrd, @Nullable String append) {
    Objects.requireNonNull(kernel, "kernel");
    byte[] cmd = append == null ? new byte[0] : append.getBytes(StandardCharsets.UTF_8);
    byte[] cmdline = new byte[cmd.length + 1];
    System.arraycopy(cmd, 0, cmdline, 0, cmd.length);
    byte[] initrdData = initrd == null ? new byte[0] : initrd.toByteArray();
    return new SevHashesTable(sha256(cmdline), sha256(initrdData), sha256(kernel.toByteArray()));
  }

  /** The padded table bytes ({@link #PADDED_SIZE} long). */
  public Bytes toBytes() {
    byte[] out = new byte[PADDED_SIZE];
    int at = putHeader(out, 0, TABLE_HEADER_GUID, TABLE_SIZE);
    at = putEntry(out, at, CMDLINE_ENTRY_GUID, cmdlineSha256);
    at = putEntry(out, at, INITRD_ENTRY_GUID, initrdSha256);
    putEntry(out, at, KERNEL_ENTRY_GUID, kernelSha256);
    return Bytes.copyOf(out);
  }

  /**
   * A zeroed 4 KiB page with the padded table at {@code offsetInPage} (the low 12 bits of the
   * table GPA), as measured in the SNP_KERNEL_HASHES section.
   *
   * @throws IllegalArgumentException when the table does not fit in the page at that offset
   */
  public Bytes toPage(int offsetInPage) {
    if (offsetInPage < 0 || offsetInPage + PADDED_SIZE > 4096) {
      throw new IllegalArgumentException(
          "hashes table does not fit at page offset " + offsetInPage);
    }
    byte[] page = new byte[4096];
    toBytes().copyTo(page, offsetInPage);
    return Bytes.copyOf(page);
  }

  private static int putHeader(byte[] out, int at, UUID guid, int length) {
    Guids.toBytesLe(guid).copyTo(out, at);
    out[at + 16] = (byte) length;
    out[at + 17] = (byte) (length >>> 8);
    return at + 18;
  }

  private static int putEntry(byte[] out, int at, UUID guid, Bytes hash) {
    int next = putHeader(out, at, guid, ENTRY_SIZE);
    hash.copyTo(out, next);
    return next + 32;
  }

  static Bytes sha256(byte[] data) {
    try {
      return Bytes.copyOf(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is a required JDK algorithm", e);
    }
  }
}
