package dev.carapace.runtime.vmm;

import dev.carapace.runtime.devices.InterruptLine;
import dev.carapace.runtime.devices.MmioDevice;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A test device: records every write and answers reads with {@code offset + readBase}. */
final class RecordingDevice implements MmioDevice {
  record Access(long offset, int size, long value) {}

  final BlockingQueue<Access> writes = new LinkedBlockingQueue<>();
  final BlockingQueue<Access> reads = new LinkedBlockingQueue<>();
  private final long readBase;
  volatile InterruptLine interrupt = InterruptLine.NONE;

  RecordingDevice(long readBase) {
    this.readBase = readBase;
  }

  @Override
  public long read(long offset, int size) {
    long v = readBase + offset;
    reads.add(new Access(offset, size, v));
    return v;
  }

  @Override
  public void write(long offset, int size, long value) {
    writes.add(new Access(offset, size, value));
  }

  @Override
  public long windowSize() {
    return 0x1000;
  }

  @Override
  public void attach(InterruptLine line) {
    this.interrupt = line;
  }
}
