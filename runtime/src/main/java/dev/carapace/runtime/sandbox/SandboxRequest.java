package dev.carapace.runtime.sandbox;

import dev.carapace.attestation.model.Bytes;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One request to the sandboxer, already validated ({@link RequestParser} is the only place that
 * knows the JSON form).
 */
public sealed interface SandboxRequest {
  /** Create a VM and load its kernel (measured); it does not run until {@link Start}. */
  record Create(String name, String kernel, @Nullable String initrd, String append, long memory,
      int vcpus) implements SandboxRequest {
    public Create {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(kernel, "kernel");
      Objects.requireNonNull(append, "append");
    }
  }

  /** Start a created VM's vCPUs. */
  record Start(String name) implements SandboxRequest {}

  /** Stop a running VM (it stays listed with its outcome until deleted). */
  record Stop(String name) implements SandboxRequest {}

  /** Stop the VM if needed and release everything it holds. */
  record Delete(String name) implements SandboxRequest {}

  /** Every VM with its state. */
  record ListVms() implements SandboxRequest {}

  /** Stream the console captured so far, then follow it. */
  record Console(String name) implements SandboxRequest {}

  /** A development TD quote over the VM's launch measurement and 64 bytes of report data. */
  record Quote(String name, Bytes reportData) implements SandboxRequest {
    public Quote {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(reportData, "reportData");
    }
  }
}
