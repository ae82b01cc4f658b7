package dev.carapace.runtime.vmm;

import dev.carapace.runtime.devices.InterruptLine;
import dev.carapace.runtime.kvm.KvmException;
import dev.carapace.runtime.kvm.VmFd;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An interrupt line of the in-kernel irqchip driven with {@code KVM_IRQ_LINE}. Failures (the VM is
 * being torn down) are counted, not thrown: a device cannot do anything useful about them.
 */
final class KvmInterruptLine implements InterruptLine {
  private final VmFd vm;
  private final int gsi;
  private final AtomicLong failures = new AtomicLong();

  KvmInterruptLine(VmFd vm, int gsi) {
    this.vm = vm;
    this.gsi = gsi;
  }

  @Override
  public void trigger() {
    set(true);
    set(false);
  }

  @Override
  public void set(boolean level) {
    try {
      vm.irqLine(gsi, level);
    } catch (KvmException | IllegalStateException e) {
      failures.incrementAndGet();
    }
  }
}
