package dev.carapace.runtime.vmm;

/**
 * Lifecycle of a {@link MicroVm}:
 * {@code CREATED -> RUNNING <-> PAUSED -> ENDED -> CLOSED}; {@code CREATED} and {@code ENDED} may
 * also go straight to {@code CLOSED}, and {@code CREATED} to {@code ENDED} by {@code stop()}.
 */
public enum VmState {
  /** Resources exist; no vCPU thread runs yet. */
  CREATED,
  /** vCPU threads run guest code. */
  RUNNING,
  /** Every vCPU thread is parked outside {@code KVM_RUN}. */
  PAUSED,
  /** All vCPU threads have finished; the outcome is known. Resources are still held. */
  ENDED,
  /** Every descriptor, mapping and thread of the VM is released. */
  CLOSED
}
