package dev.carapace.attestation.model;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * An immutable sequence of bytes: the value type for every byte field of TDX evidence.
 *
 * <p>Records in this library hold {@code Bytes} rather than {@code byte[]} so that
 * {@code equals} compares contents. {@link #equals} is constant-time in the length of the
 * shorter operand (it uses {@link MessageDigest#isEqual}). Instances are thread-safe.
 */
public final class Bytes {
  private static final HexFormat HEX = HexFormat.of();
  private static final Bytes EMPTY = new Bytes(new byte[0]);

  private final byte[] data;

  private Bytes(byte[] data) {
    this.data = data;
  }

  /** Copies {@code data}. */
  public static Bytes copyOf(byte[] data) {
    return new Bytes(data.clone());
  }

  /** Copies {@code length} bytes of {@code data} starting at {@code offset}. */
  public static Bytes copyOf(byte[] data, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, data.length);
    return new Bytes(Arrays.copyOfRange(data, offset, offset + length));
  }

  /** Parses lower- or upper-case hex; throws {@link IllegalArgumentException} on bad input. */
  public static Bytes fromHex(String hex) {
    return new Bytes(HEX.parseHex(hex));
  }

  /**
   * Returns {@code value} when it holds exactly {@code size} bytes; otherwise throws
   * {@link IllegalArgumentException} naming the field. For value-record constructors.
   */
  public static Bytes requireSize(Bytes value, int size, String name) {
    Objects.requireNonNull(value, name);
    if (value.size() != size) {
      throw new IllegalArgumentException(
          name + " must be " + size + " bytes, got " + value.size());
    }
    return value;
  }

  /** {@code n} zero bytes. */
  public static Bytes zeros(int n) {
    return n == 0 ? EMPTY : new Bytes(new byte[n]);
  }

  public static Bytes empty() {
    return EMPTY;
  }

  public int size() {
    return data.length;
  }

  public byte get(int index) {
    return data[index];
  }

  /** Unsigned value of the byte at {@code index}. */
  public int getUnsigned(int index) {
    return data[index] & 0xff;
  }

  /** A fresh copy of the contents. */
  public byte[] toByteArray() {
    return data.clone();
  }

  /** Copies the contents into {@code dest} at {@code offset}. */
  public void copyTo(byte[] dest, int offset) {
    System.arraycopy(data, 0, dest, offset, data.length);
  }

  public Bytes slice(int offset, int length) {
    return copyOf(data, offset, length);
  }

  public boolean isAllZero() {
    int acc = 0;
    for (byte b : data) {
      acc |= b;
    }
    return acc == 0;
  }

  public String toHex() {
    return HEX.formatHex(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes other && MessageDigest.isEqual(data, other.data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(data);
  }

  /** Lower-case hex of the contents. */
  @Override
  public String toString() {
    return toHex();
  }
}
