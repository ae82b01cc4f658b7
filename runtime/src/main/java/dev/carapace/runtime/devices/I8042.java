package dev.carapace.runtime.devices;

import java.util.Objects;

/**
 * The part of the i8042 keyboard controller a microVM needs: ports 0x60 (data) to 0x64
 * (status/command), reading as "no data, ready for commands", where the command 0xFE (pulse the
 * CPU reset line) asks the VMM to end the VM. Linux uses it for {@code reboot=k}.
 *
 * <p>Thread-safe (stateless apart from the callback, which the VMM makes non-blocking).
 */
public final class I8042 implements BusDevice {
  public static final int BASE_PORT = 0x60;
  public static final int PORT_COUNT = 5;
  static final int COMMAND_OFFSET = 4;
  static final int CMD_RESET_CPU = 0xfe;

  private final Runnable resetRequest;

  /** @param resetRequest called on the vCPU thread when the guest resets the CPU; must not block */
  public I8042(Runnable resetRequest) {
    this.resetRequest = Objects.requireNonNull(resetRequest, "resetRequest");
  }

  @Override
  public long read(long offset, int size) {
    return 0; // status: output buffer empty, input buffer empty; data: nothing
  }

  @Override
  public void write(long offset, int size, long value) {
    if (offset == COMMAND_OFFSET && (value & 0xff) == CMD_RESET_CPU) {
      resetRequest.run();
    }
  }
}
