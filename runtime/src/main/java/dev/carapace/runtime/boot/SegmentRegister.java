package dev.carapace.runtime.boot;

/**
 * A segment register as KVM's {@code struct kvm_segment} holds it (base, limit, selector and the
 * unpacked access-rights bits).
 */
public record SegmentRegister(
    long base, int limit, int selector, int type, boolean present, int dpl, boolean db,
    boolean system, boolean longMode, boolean granularity, boolean available, boolean unusable) {}
