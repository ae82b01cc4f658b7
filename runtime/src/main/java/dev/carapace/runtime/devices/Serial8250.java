package dev.carapace.runtime.devices;

import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A 16550A UART (8250 family) at 8 consecutive ports, enough for Linux's early console and the
 * 8250 driver's probe: THR/RBR, IER, IIR/FCR, LCR (with the DLAB divisor latch), MCR (with
 * loopback), LSR, MSR and the scratch register. Transmitted bytes go to a {@link ConsoleOutput}
 * (queued, written by a device thread); the THR-empty and received-data interrupts are edges on the
 * given {@link InterruptLine} (IRQ 4 for COM1).
 *
 * <p>Thread-safe (all register state is guarded by this object); accesses never block.
 */
public final class Serial8250 implements BusDevice {
  /** COM1. */
  public static final int COM1_PORT = 0x3f8;
  public static final int COM1_IRQ = 4;
  public static final int PORT_COUNT = 8;

  static final int DATA = 0;
  static final int IER = 1;
  static final int IIR_FCR = 2;
  static final int LCR = 3;
  static final int MCR = 4;
  static final int LSR = 5;
  static final int MSR = 6;
  static final int SCR = 7;

  static final int IER_RDI = 0x01;
  static final int IER_THRI = 0x02;
  static final int IIR_NONE = 0x01;
  static final int IIR_THRI = 0x02;
  static final int IIR_RDI = 0x04;
  static final int IIR_FIFO_ENABLED = 0xc0;
  static final int LCR_DLAB = 0x80;
  static final int LSR_DATA_READY = 0x01;
  static final int LSR_THR_EMPTY = 0x20;
  static final int LSR_IDLE = 0x40;
  static final int MCR_LOOP = 0x10;
  static final int MCR_OUT2 = 0x08;
  static final int MSR_DEFAULT = 0xb0; // DCD | DSR | CTS
  private static final int RX_FIFO = 64;

  private final ConsoleOutput output;
  private final InterruptLine irq;
  private final ArrayDeque<Byte> rx = new ArrayDeque<>();
  private int ier;
  private int lcr = 0x03; // 8N1
  private int mcr = MCR_OUT2;
  private int scr;
  private int dll = 0x0c; // 9600 baud
  private int dlm;
  private boolean thrEmptyPending;

  public Serial8250(ConsoleOutput output, InterruptLine irq) {
    this.output = Objects.requireNonNull(output, "output");
    this.irq = Objects.requireNonNull(irq, "irq");
  }

  @Override
  public long read(long offset, int size) {
    long value;
    synchronized (this) {
      switch ((int) offset) {
        case DATA -> {
          if ((lcr & LCR_DLAB) != 0) {
            value = dll;
          } else {
            Byte b = rx.pollFirst();
            value = b == null ? 0 : b & 0xff;
          }
        }
        case IER -> value = (lcr & LCR_DLAB) != 0 ? dlm : ier;
        case IIR_FCR -> {
          int iir;
          if ((ier & IER_RDI) != 0 && !rx.isEmpty()) {
            iir = IIR_RDI;
          } else if ((ier & IER_THRI) != 0 && thrEmptyPending) {
            iir = IIR_THRI;
            thrEmptyPending = false; // reading IIR acknowledges THR-empty
          } else {
            iir = IIR_NONE;
          }
          value = iir | IIR_FIFO_ENABLED;
        }
        case LCR -> value = lcr;
        case MCR -> value = mcr;
        case LSR -> value = LSR_THR_EMPTY | LSR_IDLE | (rx.isEmpty() ? 0 : LSR_DATA_READY);
        case MSR -> value = (mcr & MCR_LOOP) != 0 ? loopbackModemStatus() : MSR_DEFAULT;
        case SCR -> value = scr;
        default -> value = BusDevice.allOnes(size);
      }
    }
    return value & 0xff;
  }

  private int loopbackModemStatus() {
    // In loopback, MCR's DTR, RTS, OUT1 and OUT2 appear as DSR, CTS, RI and DCD.
    return ((mcr & 0x01) << 5) | ((mcr & 0x02) << 3) | ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4);
  }

  @Override
  public void write(long offset, int size, long value) {
    int v = (int) (value & 0xff);
    boolean raise = false;
    synchronized (this) {
      switch ((int) offset) {
        case DATA -> {
          if ((lcr & LCR_DLAB) != 0) {
            dll = v;
          } else if ((mcr & MCR_LOOP) != 0) {
            if (rx.size() < RX_FIFO) {
              rx.addLast((byte) v);
            }
            raise = (ier & IER_RDI) != 0;
            thrEmptyPending = true;
            raise |= (ier & IER_THRI) != 0;
          } else {
            output.accept((byte) v);
            thrEmptyPending = true;
            raise = (ier & IER_THRI) != 0;
          }
        }
        case IER -> {
          if ((lcr & LCR_DLAB) != 0) {
            dlm = v;
          } else {
            int old = ier;
            ier = v & 0x0f;
            if ((ier & IER_THRI) != 0 && (old & IER_THRI) == 0) {
              thrEmptyPending = true; // THR is always empty: enabling THRI interrupts at once
              raise = true;
            }
            raise |= (ier & IER_RDI) != 0 && !rx.isEmpty();
          }
        }
        case LCR -> lcr = v;
        case MCR -> mcr = v & 0x1f;
        case SCR -> scr = v;
        default -> {
          // FCR (FIFO control), LSR and MSR writes have no effect here.
        }
      }
    }
    if (raise) {
      irq.trigger();
    }
  }

  /** Queues host input for the guest (drops what does not fit the 64-byte FIFO). */
  public void enqueueInput(byte[] data) {
    boolean raise;
    synchronized (this) {
      for (byte b : data) {
        if (rx.size() < RX_FIFO) {
          rx.addLast(b);
        }
      }
      raise = (ier & IER_RDI) != 0 && !rx.isEmpty();
    }
    if (raise) {
      irq.trigger();
    }
  }
}
