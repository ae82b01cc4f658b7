package dev.carapace.runtime.boot;

/** One entry of the BIOS e820 memory map handed to the guest in the zero page. */
public record E820Entry(long address, long size, int type) {
  public static final int RAM = 1;
  public static final int RESERVED = 2;
}
