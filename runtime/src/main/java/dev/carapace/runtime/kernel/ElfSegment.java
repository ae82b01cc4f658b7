package dev.carapace.runtime.kernel;

/**
 * One PT_LOAD program header of a vmlinux: {@code fileSize} bytes at {@code fileOffset} go to
 * guest physical {@code physicalAddress}; the rest up to {@code memorySize} is zero (bss).
 */
public record ElfSegment(
    long fileOffset, long virtualAddress, long physicalAddress, long fileSize, long memorySize,
    int flags) {
  /** End of the segment in guest physical memory (exclusive). */
  public long physicalEnd() {
    return physicalAddress + memorySize;
  }
}
