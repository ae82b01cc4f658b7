package dev.carapace.runtime.devices;

/**
 * A device with an MMIO register window and one interrupt, the shape of a virtio-mmio transport.
 * The VMM places it on the MMIO bus at a base address, then calls {@link #attach} once, before the
 * VM starts, with the interrupt line the device raises.
 *
 * <p>Register accesses arrive on vCPU threads; queue processing belongs on a device thread (the
 * device signals completion through its {@link InterruptLine}).
 */
public interface MmioDevice extends BusDevice {
  /** Size of the register window in bytes (4 KiB for virtio-mmio). */
  long windowSize();

  /** Gives the device its interrupt line. Called once, before the VM starts. */
  void attach(InterruptLine interrupt);
}
