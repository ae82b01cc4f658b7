package dev.carapace.tdx.measure;

import dev.carapace.attestation.model.Bytes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * A TDX runtime measurement register value and its extend rule,
 * {@code RTMR' = SHA-384(RTMR || digest)} with a 48-byte digest, starting from 48 zero bytes
 * (TDG.MR.RTMR.EXTEND; research notes {@code tdx.md} section 4.3, checked there by replaying a
 * CCEL event log to a quote's RTMRs). Immutable: each extend returns a new value.
 *
 * @param value the 48-byte register contents
 */
public record Rtmr(Bytes value) {
  /** Register and digest length in bytes. */
  public static final int LENGTH = 48;

  public Rtmr {
    Bytes.requireSize(Objects.requireNonNull(value, "value"), LENGTH, "RTMR");
  }

  /** The value at TD start: 48 zero bytes. */
  public static Rtmr initial() {
    return new Rtmr(Bytes.zeros(LENGTH));
  }

  /** This register extended with a 48-byte {@code digest}. */
  public Rtmr extend(Bytes digest) {
    Bytes.requireSize(Objects.requireNonNull(digest, "digest"), LENGTH, "digest");
    MessageDigest md = sha384();
    md.update(value.toByteArray());
    md.update(digest.toByteArray());
    return new Rtmr(Bytes.copyOf(md.digest()));
  }

  /** This register extended with the SHA-384 of {@code data}. */
  public Rtmr extendWithDigestOf(byte[] data) {
    return extend(Bytes.copyOf(sha384().digest(data)));
  }

  static MessageDigest sha384() {
    try {
      return MessageDigest.getInstance("SHA-384");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-384", e);
    }
  }
}
