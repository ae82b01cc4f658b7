package dev.carapace.runtime.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The libc functions the VMM calls, bound with JNA direct mapping (no reflection per call). Every
 * function that can fail declares {@link LastErrorException} so that errno is captured on the
 * calling thread. Package-private: nothing outside {@code kvm} touches native code.
 */
final class LibC {
  static final int O_RDWR = 0x2;
  static final int O_CLOEXEC = 0x80000;

  static final int PROT_READ = 0x1;
  static final int PROT_WRITE = 0x2;
  static final int MAP_SHARED = 0x01;
  static final int MAP_PRIVATE = 0x02;
  static final int MAP_ANONYMOUS = 0x20;
  static final int MAP_NORESERVE = 0x4000;
  static final long MAP_FAILED = -1L;

  static final int SIG_BLOCK = 0;
  static final int SIG_SETMASK = 2;

  static final int EINTR = 4;
  static final int EAGAIN = 11;

  /** glibc's {@code sigset_t} is 1024 bits. */
  static final int SIGSET_T_SIZE = 128;

  static {
    Native.register(LibC.class, NativeLibrary.getInstance("c"));
  }

  private LibC() {}

  static native int open(String path, int flags, int mode) throws LastErrorException;

  static native int close(int fd) throws LastErrorException;

  static native int ioctl(int fd, long request, long argument) throws LastErrorException;

  static native int ioctl(int fd, long request, Pointer argument) throws LastErrorException;

  static native long mmap(long address, long length, int prot, int flags, int fd, long offset)
      throws LastErrorException;

  static native int munmap(long address, long length) throws LastErrorException;

  static native long pthread_self();

  /** Returns an error number (not -1/errno), as POSIX thread functions do. */
  static native int pthread_kill(long thread, int signal);

  /** Returns an error number (not -1/errno), as POSIX thread functions do. */
  static native int pthread_sigmask(int how, Pointer set, Pointer oldSet);

  static native int sigtimedwait(Pointer set, Pointer info, Pointer timeout)
      throws LastErrorException;
}
