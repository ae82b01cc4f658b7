package dev.carapace.snp.measure;

import java.util.Objects;

/**
 * Thrown when a launch digest cannot be computed from the given firmware and parameters. The
 * {@link Reason} says which rule was broken; the message names the field, never image contents.
 */
public final class MeasurementException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why the calculation failed. Stable: tests and callers switch on it. */
  public enum Reason {
    /** The firmware image is empty, not a multiple of 4 KiB, or larger than 4 GiB. */
    BAD_IMAGE_SIZE,
    /** The OVMF GUIDed footer table is inconsistent (entry sizes, bounds, duplicate GUIDs). */
    MALFORMED_FOOTER_TABLE,
    /** The SEV metadata ("ASEV") header or one of its section descriptors is invalid. */
    MALFORMED_METADATA,
    /** SEV-SNP needs the OVMF SEV metadata, but the image has none. */
    MISSING_METADATA,
    /** A VMSA is needed but the image has no usable SEV-ES reset block (AP reset EIP). */
    MISSING_RESET_BLOCK,
    /** A kernel is given but the image cannot measure it (no SNP_KERNEL_HASHES / hash table). */
    KERNEL_HASHES_UNSUPPORTED,
    /** A parameter is out of range or inconsistent with the others. */
    INVALID_INPUT,
  }

  private final Reason reason;

  public MeasurementException(Reason reason, String message) {
    super(message);
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
