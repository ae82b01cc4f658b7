/**
 * KVM through raw {@code ioctl(2)}: the only package that uses JNA. {@link
 * dev.carapace.runtime.kvm.Kvm} (system handle), {@link dev.carapace.runtime.kvm.VmFd},
 * {@link dev.carapace.runtime.kvm.VcpuFd} (with the decoded {@link
 * dev.carapace.runtime.kvm.VmExit}), {@link dev.carapace.runtime.kvm.MappedGuestMemory}, and the
 * x86 boot-state helpers (CPUID normalization, boot MSRs). Struct layouts live in {@code
 * KvmStructs}, ioctl numbers in {@code Ioctls}; both are checked against the installed kernel
 * headers by the tests.
 */
@NullMarked
package dev.carapace.runtime.kvm;

import org.jspecify.annotations.NullMarked;
