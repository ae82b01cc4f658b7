package dev.carapace.runtime.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LegacyDevicesTest {
  @Test
  void i8042WhenResetCommandWrittenToCommandPortThenResetRequestedOnlyThen() {
    AtomicInteger resets = new AtomicInteger();
    I8042 kbd = new I8042(resets::incrementAndGet);
    kbd.write(0, 1, 0xfe); // data port: not a command
    kbd.write(I8042.COMMAND_OFFSET, 1, 0xaa);
    assertThat(resets.get()).isZero();
    kbd.write(I8042.COMMAND_OFFSET, 1, 0xfe);
    assertThat(resets.get()).isEqualTo(1);
    assertThat(kbd.read(I8042.COMMAND_OFFSET, 1)).isZero();
  }

  @Test
  void cmosWhenTimeRegistersReadThenBcdOfInjectedClock() {
    Clock clock = Clock.fixed(Instant.parse("2026-03-09T17:45:31Z"), ZoneOffset.UTC);
    CmosRtc rtc = new CmosRtc(clock);
    int[][] expected = {{0x00, 0x31}, {0x02, 0x45}, {0x04, 0x17}, {0x07, 0x09}, {0x08, 0x03},
        {0x09, 0x26}, {0x32, 0x20}, {0x0b, 0x02}, {0x0d, 0x80}, {0x10, 0x00}};
    for (int[] e : expected) {
      rtc.write(0, 1, 0x80 | e[0]); // with the NMI-disable bit set, as Linux writes it
      assertThat(rtc.read(1, 1)).as("register 0x%x", e[0]).isEqualTo(e[1]);
    }
  }

  @Test
  void pciConfigWhenReadThenAllOnesSoNoHostBridgeIsFound() {
    IgnoredPorts pci = new IgnoredPorts();
    pci.write(0, 4, 0x8000_0000L);
    assertThat(pci.read(0, 4)).isEqualTo(0xffff_ffffL);
    assertThat(pci.read(4, 2)).isEqualTo(0xffffL);
    assertThat(pci.read(5, 1)).isEqualTo(0xffL);
  }

  @Test
  void consoleWhenBufferFullThenDropsAndCountsWithoutBlocking() {
    List<Runnable> pending = new ArrayList<>();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ConsoleOutput console = new ConsoleOutput(List.of(out), List.of(), pending::add, 4);
    for (int i = 0; i < 10; i++) {
      console.accept((byte) ('0' + i));
    }
    assertThat(console.droppedBytes()).isEqualTo(6);
    assertThat(pending).hasSize(1);
    pending.get(0).run();
    assertThat(out.toString()).isEqualTo("0123");
    console.accept((byte) 'x');
    console.close();
    assertThat(out.toString()).isEqualTo("0123x");
    assertThat(console.writtenBytes()).isEqualTo(5);
  }
}
