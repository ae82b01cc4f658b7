/**
 * The microVM monitor: {@link dev.carapace.runtime.vmm.MicroVmBuilder} creates a {@link
 * dev.carapace.runtime.vmm.MicroVm} (one platform thread per vCPU, lifecycle state machine, typed
 * {@link dev.carapace.runtime.vmm.VmOutcome}); {@link dev.carapace.runtime.vmm.VmManager} owns
 * many VMs in one process.
 */
@NullMarked
package dev.carapace.runtime.vmm;

import org.jspecify.annotations.NullMarked;
