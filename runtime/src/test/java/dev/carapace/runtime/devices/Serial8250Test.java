package dev.carapace.runtime.devices;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class Serial8250Test {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ConsoleOutput console = new ConsoleOutput(List.of(out), List.of(), Runnable::run,
      16);
  private final AtomicInteger interrupts = new AtomicInteger();
  private final Serial8250 uart = new Serial8250(console, new InterruptLine() {
    @Override
    public void trigger() {
      interrupts.incrementAndGet();
    }

    @Override
    public void set(boolean level) {}
  });

  @Test
  void writeWhenThrWrittenThenBytesReachConsole() {
    for (byte b : "ok\n".getBytes(StandardCharsets.US_ASCII)) {
      uart.write(Serial8250.DATA, 1, b);
    }
    assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("ok\n");
    assertThat(uart.read(Serial8250.LSR, 1) & 0x60).isEqualTo(0x60);
  }

  @Test
  void ierWhenThrEmptyInterruptEnabledThenIrqAndIirReportsThriOnce() {
    uart.write(Serial8250.IER, 1, Serial8250.IER_THRI);
    assertThat(interrupts.get()).isEqualTo(1);
    assertThat(uart.read(Serial8250.IIR_FCR, 1) & 0x0f).isEqualTo(Serial8250.IIR_THRI);
    assertThat(uart.read(Serial8250.IIR_FCR, 1) & 0x0f).isEqualTo(Serial8250.IIR_NONE);
    uart.write(Serial8250.DATA, 1, 'x');
    assertThat(interrupts.get()).isEqualTo(2);
  }

  @Test
  void dlabWhenSetThenDataAndIerAccessDivisorLatch() {
    uart.write(Serial8250.LCR, 1, 0x83);
    uart.write(Serial8250.DATA, 1, 0x01);
    uart.write(Serial8250.IER, 1, 0x00);
    assertThat(uart.read(Serial8250.DATA, 1)).isEqualTo(0x01);
    assertThat(uart.read(Serial8250.IER, 1)).isZero();
    uart.write(Serial8250.LCR, 1, 0x03);
    assertThat(out.size()).isZero();
    assertThat(uart.read(Serial8250.LCR, 1)).isEqualTo(0x03);
  }

  @Test
  void loopbackWhenProbedLikeLinuxThenModemStatusMirrorsMcrAndDataLoopsBack() {
    uart.write(Serial8250.MCR, 1, Serial8250.MCR_LOOP | 0x0a);
    assertThat(uart.read(Serial8250.MSR, 1) & 0xf0).isEqualTo(0x90);
    uart.write(Serial8250.DATA, 1, 0x5a);
    assertThat(uart.read(Serial8250.LSR, 1) & Serial8250.LSR_DATA_READY).isEqualTo(1);
    assertThat(uart.read(Serial8250.DATA, 1)).isEqualTo(0x5a);
    assertThat(out.size()).isZero();
  }

  @Test
  void scratchWhenWrittenThenReadsBack() {
    uart.write(Serial8250.SCR, 1, 0xa5);
    assertThat(uart.read(Serial8250.SCR, 1)).isEqualTo(0xa5);
  }

  @Test
  void inputWhenQueuedWithRxInterruptEnabledThenIrqAndBytesReadable() {
    uart.write(Serial8250.IER, 1, Serial8250.IER_RDI);
    uart.enqueueInput(new byte[] {'a', 'b'});
    assertThat(interrupts.get()).isEqualTo(1);
    assertThat(uart.read(Serial8250.IIR_FCR, 1) & 0x0f).isEqualTo(Serial8250.IIR_RDI);
    assertThat(uart.read(Serial8250.DATA, 1)).isEqualTo('a');
    assertThat(uart.read(Serial8250.DATA, 1)).isEqualTo('b');
    assertThat(uart.read(Serial8250.LSR, 1) & Serial8250.LSR_DATA_READY).isZero();
  }
}
