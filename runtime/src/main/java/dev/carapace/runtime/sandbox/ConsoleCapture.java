package dev.carapace.runtime.sandbox;

import java.io.OutputStream;
import java.util.concurrent.TimeUnit;

/**
 * A VM's console as the daemon keeps it: the last {@code capacity} bytes the guest wrote (older
 * bytes are dropped), addressed by absolute offset, with readers that wait for more.
 * {@link #markEnded()} tells waiting readers the VM will write no more.
 *
 * <p>Thread-safe: the VM's device thread writes, any number of connection threads read.
 */
final class ConsoleCapture extends OutputStream {
  /** What a read returned: bytes from an offset, the next offset, whether the VM had ended. */
  static final class Chunk {
    final byte[] data;
    final long next;
    final boolean ended;

    Chunk(byte[] data, long next, boolean ended) {
      this.data = data;
      this.next = next;
      this.ended = ended;
    }
  }

  private final byte[] ring;
  private long total; // guarded by this
  private boolean ended; // guarded by this

  ConsoleCapture(int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    this.ring = new byte[capacity];
  }

  @Override
  public synchronized void write(int b) {
    ring[(int) (total % ring.length)] = (byte) b;
    total++;
    notifyAll();
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    for (int i = 0; i < len; i++) {
      ring[(int) (total % ring.length)] = b[off + i];
      total++;
    }
    notifyAll();
  }

  synchronized void markEnded() {
    ended = true;
    notifyAll();
  }

  /**
   * The bytes from {@code from} (or from the oldest byte still kept) to the end, waiting up to
   * {@code timeout} for at least one when there are none and the VM has not ended.
   */
  synchronized Chunk read(long from, long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (total <= from && !ended) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    long begin = Math.max(from, total - ring.length);
    byte[] out = new byte[(int) Math.max(0, total - begin)];
    for (int i = 0; i < out.length; i++) {
      out[i] = ring[(int) ((begin + i) % ring.length)];
    }
    return new Chunk(out, Math.max(from, total), ended);
  }
}
