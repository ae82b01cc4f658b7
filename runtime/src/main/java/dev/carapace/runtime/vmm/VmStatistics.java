package dev.carapace.runtime.vmm;

/** Counters of one VM since it was created (a snapshot; counters are updated without locking). */
public record VmStatistics(long exits, long portIoExits, long mmioExits, long unhandledPortIo,
    long unhandledMmio, long consoleBytesDropped) {}
