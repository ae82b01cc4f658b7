package dev.carapace.runtime.devices;

/**
 * Ports Linux pokes that need no emulation: writes are dropped and reads return all ones. Used for
 * the POST/delay port 0x80 and the PCI configuration mechanism at 0xcf8..0xcff, where all ones
 * means "no PCI host bridge" so the guest finds no PCI.
 *
 * <p>Stateless and thread-safe.
 */
public final class IgnoredPorts implements BusDevice {
  public static final int DEBUG_PORT = 0x80;
  public static final int PCI_CONFIG_PORT = 0xcf8;
  public static final int PCI_CONFIG_PORT_COUNT = 8;

  @Override
  public long read(long offset, int size) {
    return BusDevice.allOnes(size);
  }

  @Override
  public void write(long offset, int size, long value) {}
}
