package dev.carapace.snp.report;

import dev.carapace.attestation.model.Bytes;
import java.util.Arrays;

/**
 * Encodes reports to their 1184-byte ABI form; the inverse of {@link ReportParser} byte for byte
 * (reserved ranges are written as zero). Stateless and thread-safe.
 */
public final class ReportEncoder {
  private ReportEncoder() {}

  /** The whole 1184-byte report. */
  public static byte[] encode(AttestationReport r) {
    byte[] out = new byte[AttestationReport.SIZE];
    put32(out, 0x00, r.version());
    put32(out, 0x04, r.guestSvn());
    put64(out, 0x08, r.policy().toRaw());
    put(out, 0x10, r.familyId());
    put(out, 0x20, r.imageId());
    put32(out, 0x30, r.vmpl());
    put32(out, 0x34, r.signatureAlgo());
    put64(out, 0x38, r.currentTcb().raw());
    put64(out, 0x40, r.platformInfo().raw());
    put32(out, 0x48, r.signerInfo().toRaw());
    put(out, 0x50, r.reportData());
    put(out, 0x90, r.measurement());
    put(out, 0xC0, r.hostData());
    put(out, 0xE0, r.idKeyDigest());
    put(out, 0x110, r.authorKeyDigest());
    put(out, 0x140, r.reportId());
    put(out, 0x160, r.reportIdMa());
    put64(out, 0x180, r.reportedTcb().raw());
    out[0x188] = (byte) r.cpuidFamily();
    out[0x189] = (byte) r.cpuidModel();
    out[0x18A] = (byte) r.cpuidStepping();
    put(out, 0x1A0, r.chipId());
    put64(out, 0x1E0, r.committedTcb().raw());
    putVersion(out, 0x1E8, r.currentVersion());
    putVersion(out, 0x1EC, r.committedVersion());
    put64(out, 0x1F0, r.launchTcb().raw());
    put64(out, 0x1F8, r.launchMitVector());
    put64(out, 0x200, r.currentMitVector());
    put(out, 0x2A0, r.signatureR());
    put(out, 0x2E8, r.signatureS());
    return out;
  }

  /** The bytes the signature covers: [0, 0x2A0) of {@link #encode}. */
  public static byte[] signedRegion(AttestationReport r) {
    return Arrays.copyOf(encode(r), AttestationReport.SIGNED_SIZE);
  }

  private static void putVersion(byte[] out, int off, FirmwareVersion v) {
    out[off] = (byte) v.build();
    out[off + 1] = (byte) v.minor();
    out[off + 2] = (byte) v.major();
  }

  private static void put(byte[] out, int off, Bytes b) {
    b.copyTo(out, off);
  }

  private static void put32(byte[] out, int off, long v) {
    for (int i = 0; i < 4; i++) {
      out[off + i] = (byte) (v >>> (8 * i));
    }
  }

  private static void put64(byte[] out, int off, long v) {
    for (int i = 0; i < 8; i++) {
      out[off + i] = (byte) (v >>> (8 * i));
    }
  }
}
