package dev.carapace.runtime.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Pointer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An owned file descriptor. {@link #close()} closes it exactly once; ioctls after close fail with
 * {@link IllegalStateException} instead of reaching a descriptor number the process may have
 * reused.
 */
final class FileHandle implements AutoCloseable {
  private final int fd;
  private final String what;
  private final AtomicBoolean closed = new AtomicBoolean();

  FileHandle(int fd, String what) {
    this.fd = fd;
    this.what = what;
  }

  int fd() {
    requireOpen();
    return fd;
  }

  int ioctl(String name, long request, long argument) throws KvmException {
    requireOpen();
    try {
      return LibC.ioctl(fd, request, argument);
    } catch (LastErrorException e) {
      throw KvmException.callFailed(name, e.getErrorCode());
    }
  }

  int ioctl(String name, long request, Pointer argument) throws KvmException {
    requireOpen();
    try {
      return LibC.ioctl(fd, request, argument);
    } catch (LastErrorException e) {
      throw KvmException.callFailed(name, e.getErrorCode());
    }
  }

  /** As {@link #ioctl(String, long, Pointer)} but lets the caller inspect errno. */
  int ioctlChecked(long request, Pointer argument) {
    requireOpen();
    return LibC.ioctl(fd, request, argument);
  }

  private void requireOpen() {
    if (closed.get()) {
      throw new IllegalStateException(what + " descriptor is closed");
    }
  }

  boolean isClosed() {
    return closed.get();
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      try {
        LibC.close(fd);
      } catch (LastErrorException e) {
        // close(2) releases the descriptor even when it reports an error; nothing to retry.
      }
    }
  }
}
