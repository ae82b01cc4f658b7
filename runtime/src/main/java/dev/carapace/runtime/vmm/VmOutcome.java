package dev.carapace.runtime.vmm;

import java.util.Objects;

/**
 * How a VM ended: the cause, the vCPU that observed it (-1 when the host ended it) and a short
 * human-readable detail (exit codes, addresses). Tests and callers branch on {@link #cause()}.
 */
public record VmOutcome(ExitCause cause, int vcpu, String detail) {
  public VmOutcome {
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(detail, "detail");
  }

  static VmOutcome stopped() {
    return new VmOutcome(ExitCause.STOPPED, -1, "stopped by the host");
  }
}
