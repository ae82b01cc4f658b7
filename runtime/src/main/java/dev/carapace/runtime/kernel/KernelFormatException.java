package dev.carapace.runtime.kernel;

import java.util.Objects;

/**
 * Thrown when a kernel image (vmlinux ELF or bzImage) or its compressed payload is not one this
 * package accepts. The {@link Reason} says which rule was broken; the message names the field and
 * the values found, never image contents.
 */
public final class KernelFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the image was rejected. Stable: tests and callers switch on it. */
  public enum Reason {
    /** The image ends before a structure it declares (header, program header, segment). */
    TRUNCATED,
    /** The image is larger than {@link KernelImage#MAX_SIZE}. */
    TOO_LARGE,
    /** Neither an ELF file nor a bzImage (no ELF magic, no "HdrS" setup header). */
    UNKNOWN_FORMAT,
    /** An ELF file, but not a 64-bit little-endian x86-64 executable. */
    UNSUPPORTED_ELF,
    /** ELF program headers are inconsistent (sizes, overflowing ranges, no PT_LOAD segment). */
    MALFORMED_ELF,
    /** The entry point lies in no loadable segment. */
    BAD_ENTRY_POINT,
    /** A bzImage whose boot protocol is older than 2.12 or whose setup header is inconsistent. */
    UNSUPPORTED_BOOT_PROTOCOL,
    /** A bzImage without a 64-bit entry point (XLF_KERNEL_64 clear) or not loadable high. */
    NOT_64_BIT,
    /** The bzImage payload uses a compression this package does not decode (bzip2, LZMA, LZO). */
    UNSUPPORTED_COMPRESSION,
    /** No compressed payload could be found in the bzImage. */
    NO_PAYLOAD,
    /** The compressed payload is corrupt or its length does not match the recorded size. */
    CORRUPT_PAYLOAD,
    /** The payload decompresses to more than the allowed maximum. */
    PAYLOAD_TOO_LARGE,
    /** The payload decompresses to something that is not a loadable vmlinux ELF. */
    PAYLOAD_NOT_ELF,
  }

  private final Reason reason;

  public KernelFormatException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public KernelFormatException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }

  @Override
  public String getMessage() {
    return reason + ": " + super.getMessage();
  }
}
