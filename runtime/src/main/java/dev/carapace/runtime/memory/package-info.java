/**
 * Guest physical memory: the {@link dev.carapace.runtime.memory.GuestMemory} contract and two
 * in-process implementations, {@link dev.carapace.runtime.memory.HeapGuestMemory} (dense, for
 * tests) and {@link dev.carapace.runtime.memory.SparseGuestMemory} (page-granular, for offline
 * layout and measurement of large guests). The KVM-backed mapping lives in package {@code kvm}.
 */
@NullMarked
package dev.carapace.runtime.memory;

import org.jspecify.annotations.NullMarked;
