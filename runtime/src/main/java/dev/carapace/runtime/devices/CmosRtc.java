package dev.carapace.runtime.devices;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Objects;

/**
 * The CMOS/RTC index and data ports (0x70, 0x71): the time registers read the injected
 * {@link Clock} (UTC, BCD, 24-hour), status registers report "no update in progress, time valid",
 * and every other CMOS byte reads 0. Writes other than the index are ignored.
 *
 * <p>Thread-safe.
 */
public final class CmosRtc implements BusDevice {
  public static final int BASE_PORT = 0x70;
  public static final int PORT_COUNT = 2;

  private final Clock clock;
  private int index; // guarded by this

  public CmosRtc(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public synchronized long read(long offset, int size) {
    if (offset == 0) {
      return index;
    }
    ZonedDateTime t = ZonedDateTime.now(clock).withZoneSameInstant(ZoneOffset.UTC);
    return switch (index) {
      case 0x00 -> bcd(t.getSecond());
      case 0x02 -> bcd(t.getMinute());
      case 0x04 -> bcd(t.getHour());
      case 0x06 -> bcd(t.getDayOfWeek().getValue() % 7 + 1);
      case 0x07 -> bcd(t.getDayOfMonth());
      case 0x08 -> bcd(t.getMonthValue());
      case 0x09 -> bcd(t.getYear() % 100);
      case 0x32 -> bcd(t.getYear() / 100);
      case 0x0a -> 0x26; // 32.768 kHz base, 1024 Hz rate, no update in progress
      case 0x0b -> 0x02; // 24-hour, BCD
      case 0x0d -> 0x80; // RTC power good, time valid
      default -> 0;
    };
  }

  @Override
  public synchronized void write(long offset, int size, long value) {
    if (offset == 0) {
      index = (int) (value & 0x7f); // bit 7 is the NMI mask
    }
  }

  private static int bcd(int v) {
    return ((v / 10) << 4) | (v % 10);
  }
}
