package dev.carapace.tdx.measure;

import dev.carapace.attestation.model.Bytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * Computes a TD's MRTD the way the TDX module builds it while the VMM adds the initial pages:
 * TDH.MNG.INIT starts a SHA-384; each TDH.MEM.PAGE.ADD hashes one 128-byte buffer holding
 * {@code "MEM.PAGE.ADD"} at bytes 0-11 and the page's GPA (little-endian u64) at bytes 16-23, all
 * else zero; each TDH.MR.EXTEND of a 256-byte chunk hashes a 128-byte buffer holding
 * {@code "MR.EXTEND"} at bytes 0-8 and the chunk's GPA at bytes 16-23, followed by the chunk as two
 * 128-byte blocks; TDH.MR.FINALIZE yields the digest. KVM adds a measured page as PAGE.ADD then
 * 16 MR.EXTENDs ({@link #addPage}).
 *
 * <p>Sources: Intel TDX Module ABI specification, TDH.MEM.PAGE.ADD and TDH.MR.EXTEND, as quoted in
 * google/gce-tcb-verifier {@code tdx/measurement.go} and implemented alike by Dstack-TEE
 * {@code dstack-mr} and virtee/tdx-measure; page order from Linux {@code arch/x86/kvm/vmx/tdx.c
 * tdx_gmem_post_populate} (research notes: {@code tdx.md} section 4.2).
 *
 * <p>Not thread-safe: one calculator per measurement, used by one thread.
 */
public final class MrTdCalculator {
  /** Size of a TD page. */
  public static final int PAGE_SIZE = 4096;
  /** Granularity of TDH.MR.EXTEND. */
  public static final int CHUNK_SIZE = 256;
  private static final int BUFFER_SIZE = 128;
  private static final byte[] PAGE_ADD = ascii("MEM.PAGE.ADD");
  private static final byte[] MR_EXTEND = ascii("MR.EXTEND");

  private final MessageDigest sha384;
  private final byte[] buffer = new byte[BUFFER_SIZE];
  private boolean finished;

  public MrTdCalculator() {
    try {
      sha384 = MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-384", e);
    }
  }

  /** TDH.MEM.PAGE.ADD of the page at {@code gpa} (4 KiB aligned). */
  public MrTdCalculator pageAdd(long gpa) {
    checkAligned(gpa, PAGE_SIZE);
    hashOperation(PAGE_ADD, gpa);
    return this;
  }

  /**
   * TDH.MR.EXTEND of the 256-byte chunk at {@code gpa} (256-byte aligned) whose contents are
   * {@code data[offset, offset + 256)}.
   */
  public MrTdCalculator mrExtend(long gpa, byte[] data, int offset) {
    checkAligned(gpa, CHUNK_SIZE);
    Objects.checkFromIndexSize(offset, CHUNK_SIZE, data.length);
    hashOperation(MR_EXTEND, gpa);
    sha384.update(data, offset, CHUNK_SIZE);
    return this;
  }

  /**
   * Adds the page at {@code gpa} whose contents are {@code data[offset, offset + 4096)}: PAGE.ADD,
   * then, if {@code extend}, 16 MR.EXTENDs over it in address order.
   */
  public MrTdCalculator addPage(long gpa, byte[] data, int offset, boolean extend) {
    Objects.checkFromIndexSize(offset, PAGE_SIZE, data.length);
    pageAdd(gpa);
    if (extend) {
      for (int i = 0; i < PAGE_SIZE; i += CHUNK_SIZE) {
        mrExtend(gpa + i, data, offset + i);
      }
    }
    return this;
  }

  /** TDH.MR.FINALIZE: the 48-byte MRTD. The calculator cannot be used afterwards. */
  public Bytes finish() {
    checkOpen();
    finished = true;
    return Bytes.copyOf(sha384.digest());
  }

  private void hashOperation(byte[] name, long gpa) {
    checkOpen();
    java.util.Arrays.fill(buffer, (byte) 0);
    System.arraycopy(name, 0, buffer, 0, name.length);
    for (int i = 0; i < 8; i++) {
      buffer[16 + i] = (byte) (gpa >>> (8 * i));
    }
    sha384.update(buffer);
  }

  private void checkOpen() {
    if (finished) {
      throw new IllegalStateException("MRTD already finalized");
    }
  }

  private static void checkAligned(long gpa, int alignment) {
    if (gpa < 0 || (gpa & (alignment - 1)) != 0) {
      throw new IllegalArgumentException(
          "GPA 0x" + Long.toHexString(gpa) + " is not " + alignment + "-byte aligned");
    }
  }

  private static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }
}
