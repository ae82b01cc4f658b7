package dev.carapace.runtime.devices;

/**
 * An interrupt input of the VM's interrupt controller that a device drives. The VMM supplies the
 * implementation ({@code KVM_IRQ_LINE} today, an irqfd later); devices never see KVM.
 *
 * <p>Implementations are thread-safe and never block.
 */
public interface InterruptLine {
  /** An edge: raise the line and lower it again. */
  void trigger();

  /** Sets the line level (for level-triggered use). */
  void set(boolean level);

  /** A line that goes nowhere (VMs without an in-kernel interrupt controller, tests). */
  InterruptLine NONE = new InterruptLine() {
    @Override
    public void trigger() {}

    @Override
    public void set(boolean level) {}
  };
}
