package dev.carapace.runtime.devices;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Guest console bytes on their way to host streams (a terminal, a log file). The vCPU thread only
 * appends to a bounded buffer ({@link #accept}, never blocks); a drain task on the device
 * {@link Executor} writes the buffered bytes to every sink and flushes. When the buffer is full the
 * newest bytes are dropped and counted ({@link #droppedBytes()}) rather than stalling the guest.
 *
 * <p>Thread-safe. {@link #close()} (after the producers stopped) writes what is left, on the
 * calling thread, and closes the sinks this object owns.
 */
public final class ConsoleOutput implements AutoCloseable {
  private final List<OutputStream> sinks;
  private final List<OutputStream> owned;
  private final Executor executor;
  private final byte[] ring;
  private int head; // guarded by this
  private int count; // guarded by this
  private final AtomicBoolean drainScheduled = new AtomicBoolean();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong written = new AtomicLong();
  private volatile boolean closed;

  /**
   * @param sinks streams that receive the output (not closed by this object)
   * @param owned streams that receive the output and are closed with it (a log file)
   * @param executor where writes to the sinks run
   * @param capacity buffer size in bytes
   */
  public ConsoleOutput(List<OutputStream> sinks, List<OutputStream> owned, Executor executor,
      int capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive, got " + capacity);
    }
    List<OutputStream> all = new ArrayList<>(sinks);
    all.addAll(owned);
    this.sinks = List.copyOf(all);
    this.owned = List.copyOf(owned);
    this.executor = Objects.requireNonNull(executor, "executor");
    this.ring = new byte[capacity];
  }

  /** Queues one byte; never blocks. */
  public void accept(byte b) {
    synchronized (this) {
      if (closed || count == ring.length) {
        dropped.incrementAndGet();
        return;
      }
      ring[(head + count) % ring.length] = b;
      count++;
    }
    if (drainScheduled.compareAndSet(false, true)) {
      try {
        executor.execute(this::drain);
      } catch (RejectedExecutionException e) {
        drainScheduled.set(false); // executor shutting down: close() drains the rest
      }
    }
  }

  private void drain() {
    drainScheduled.set(false);
    flush();
  }

  /**
   * Writes everything buffered so far to the sinks on the calling thread (the device thread does
   * this on its own; call it to be sure earlier output has arrived, e.g. after the guest ended).
   * Output keeps its order whichever thread writes it.
   */
  public void flush() {
    synchronized (sinks) {
      byte[] chunk = take();
      while (chunk.length > 0) {
        writeToSinks(chunk);
        chunk = take();
      }
    }
  }

  private synchronized byte[] take() {
    byte[] out = new byte[count];
    for (int i = 0; i < count; i++) {
      out[i] = ring[(head + i) % ring.length];
    }
    head = (head + count) % ring.length;
    count = 0;
    return out;
  }

  private void writeToSinks(byte[] chunk) {
    synchronized (sinks) {
      for (OutputStream s : sinks) {
        try {
          s.write(chunk);
          s.flush();
        } catch (IOException e) {
          // A broken sink must not stop the others or the guest; the bytes are lost for it.
        }
      }
      written.addAndGet(chunk.length);
    }
  }

  /** Bytes dropped because the buffer was full. */
  public long droppedBytes() {
    return dropped.get();
  }

  /** Bytes handed to the sinks so far. */
  public long writtenBytes() {
    return written.get();
  }

  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    flush();
    synchronized (sinks) {
      for (OutputStream s : owned) {
        try {
          s.close();
        } catch (IOException e) {
          // closing a log file: nothing useful left to do
        }
      }
    }
  }
}
