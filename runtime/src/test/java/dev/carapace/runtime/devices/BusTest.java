package dev.carapace.runtime.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BusTest {
  private static final BusDevice DEVICE = new IgnoredPorts();

  @Test
  void findWhenAddressInsideRangeThenReturnsRangeWithBase() throws Exception {
    Bus bus = new Bus("test");
    bus.register(0x3f8, 8, DEVICE);
    bus.register(0x60, 5, DEVICE);
    assertThat(bus.find(0x3f8).base()).isEqualTo(0x3f8);
    assertThat(bus.find(0x3ff).base()).isEqualTo(0x3f8);
    assertThat(bus.find(0x64).base()).isEqualTo(0x60);
    assertThat(bus.find(0x400)).isNull();
    assertThat(bus.find(0x5f)).isNull();
    assertThat(bus.ranges()).extracting(Bus.Range::base).containsExactly(0x60L, 0x3f8L);
  }

  @Test
  void registerWhenRangesOverlapThenOverlap() throws Exception {
    Bus bus = new Bus("test");
    bus.register(0x3f8, 8, DEVICE);
    assertThatThrownBy(() -> bus.register(0x3ff, 1, DEVICE))
        .isInstanceOfSatisfying(BusException.class,
            e -> assertThat(e.reason()).isEqualTo(BusException.Reason.OVERLAP));
    assertThatThrownBy(() -> bus.register(0x3f0, 9, DEVICE))
        .isInstanceOfSatisfying(BusException.class,
            e -> assertThat(e.reason()).isEqualTo(BusException.Reason.OVERLAP));
    bus.register(0x3f0, 8, DEVICE); // adjacent is fine
  }

  @Test
  void registerWhenRangeEmptyOrWrapsThenRejected() {
    Bus bus = new Bus("test");
    assertThatThrownBy(() -> bus.register(0x10, 0, DEVICE))
        .isInstanceOfSatisfying(BusException.class,
            e -> assertThat(e.reason()).isEqualTo(BusException.Reason.EMPTY_RANGE));
    assertThatThrownBy(() -> bus.register(Long.MAX_VALUE, 2, DEVICE))
        .isInstanceOfSatisfying(BusException.class,
            e -> assertThat(e.reason()).isEqualTo(BusException.Reason.ADDRESS_OVERFLOW));
  }
}
