package dev.carapace.runtime.sandbox;

import dev.carapace.runtime.vmm.VmOutcome;
import dev.carapace.runtime.vmm.VmState;
import dev.carapace.tdx.measure.TdMeasurements;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/** A VM as the sandboxer reports it; {@code outcome} once it ended, {@code measurements} once loaded. */
public record SandboxInfo(String name, VmState state, int vcpus, long memory,
    @Nullable VmOutcome outcome, @Nullable TdMeasurements measurements) {
  public SandboxInfo {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
  }
}
