package dev.carapace.runtime.devices;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An address space (port I/O or MMIO) with devices at non-overlapping ranges. The vCPU exit loop
 * finds the device for an address with {@link #find(long)} and calls it with the offset from the
 * device's base, so a vCPU never knows what kind of device it talks to.
 *
 * <p>Thread-safe: {@link #register} copies the table (devices are placed before the VM starts);
 * lookups read an immutable sorted array without locking.
 */
public final class Bus {
  /** A device and the range it occupies. */
  public record Range(long base, long length, BusDevice device) {
    public Range {
      Objects.requireNonNull(device, "device");
    }

    /** Last address inside the range. */
    public long last() {
      return base + length - 1;
    }
  }

  private final String name;
  private volatile Range[] ranges = new Range[0];

  public Bus(String name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  /** Places {@code device} at {@code [base, base + length)}. */
  public synchronized void register(long base, long length, BusDevice device)
      throws BusException {
    Objects.requireNonNull(device, "device");
    if (length <= 0) {
      throw new BusException(BusException.Reason.EMPTY_RANGE,
          name + ": range at 0x" + Long.toHexString(base) + " must have a positive length, got "
              + length);
    }
    if (base < 0 || base + length - 1 < base) {
      throw new BusException(BusException.Reason.ADDRESS_OVERFLOW,
          name + ": range 0x" + Long.toHexString(base) + "+0x" + Long.toHexString(length)
              + " leaves the address space");
    }
    Range added = new Range(base, length, device);
    for (Range r : ranges) {
      if (added.base() <= r.last() && r.base() <= added.last()) {
        throw new BusException(BusException.Reason.OVERLAP,
            name + ": range 0x" + Long.toHexString(base) + "..0x" + Long.toHexString(added.last())
                + " overlaps 0x" + Long.toHexString(r.base()) + "..0x"
                + Long.toHexString(r.last()));
      }
    }
    Range[] next = Arrays.copyOf(ranges, ranges.length + 1);
    next[next.length - 1] = added;
    Arrays.sort(next, (a, b) -> Long.compare(a.base(), b.base()));
    ranges = next;
  }

  /** The range containing {@code address}, or null when no device is there. */
  public @Nullable Range find(long address) {
    Range[] rs = ranges;
    int lo = 0;
    int hi = rs.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      Range r = rs[mid];
      if (address < r.base()) {
        hi = mid - 1;
      } else if (address > r.last()) {
        lo = mid + 1;
      } else {
        return r;
      }
    }
    return null;
  }

  /** The placed ranges in address order. */
  public List<Range> ranges() {
    return List.of(ranges);
  }
}
