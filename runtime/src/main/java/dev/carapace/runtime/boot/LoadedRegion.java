package dev.carapace.runtime.boot;

/**
 * A range of guest memory that the boot loader filled, and what it holds. Measured launch walks
 * these in order.
 */
public record LoadedRegion(Kind kind, long guestAddress, long length) {
  /** What a region holds. */
  public enum Kind { KERNEL, INITRD, COMMAND_LINE, ZERO_PAGE, PAGE_TABLES, GDT, MP_TABLE }
}
