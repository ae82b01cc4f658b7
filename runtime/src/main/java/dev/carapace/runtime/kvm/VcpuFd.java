package dev.carapace.runtime.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import dev.carapace.attestation.model.Bytes;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * A KVM vCPU and its shared {@code kvm_run} page.
 *
 * <p><b>Threads.</b> One thread owns the vCPU: it calls {@link #bindToCurrentThread()} once, then
 * {@link #run()} and the completion methods in a loop, and {@link #unbindThread()} before it ends.
 * Register setters run before the loop starts (from any single thread). {@link #kick()} is the one
 * method for other threads: it forces the owner out of {@code KVM_RUN}.
 *
 * <p><b>Kicking.</b> The owner thread blocks {@link #KICK_SIGNAL} ({@code SIGURG}) with
 * {@code pthread_sigmask} and hands KVM a signal mask without it ({@code KVM_SET_SIGNAL_MASK}), so
 * the signal is deliverable only while the thread is inside {@code KVM_RUN}. {@link #kick()} sets
 * {@code kvm_run.immediate_exit} (covering a thread that is about to enter {@code KVM_RUN}) and
 * sends the signal with {@code pthread_kill} (covering a thread already running guest code).
 * {@code KVM_RUN} then fails with {@code EINTR}; the owner consumes the pending signal with
 * {@code sigtimedwait}, so no signal handler is ever installed and the JVM's handlers are not
 * touched. {@code SIGURG}'s default action is to ignore it, so a stray one is harmless.
 */
public final class VcpuFd implements AutoCloseable {
  /** The signal used to kick a vCPU thread out of {@code KVM_RUN} ({@code SIGURG}). */
  public static final int KICK_SIGNAL = 23;

  private static final int EXIT_UNKNOWN = 0;
  private static final int EXIT_EXCEPTION = 1;
  private static final int EXIT_IO = 2;
  private static final int EXIT_DEBUG = 4;
  private static final int EXIT_HLT = 5;
  private static final int EXIT_MMIO = 6;
  private static final int EXIT_IRQ_WINDOW_OPEN = 7;
  private static final int EXIT_SHUTDOWN = 8;
  private static final int EXIT_FAIL_ENTRY = 9;
  private static final int EXIT_INTR = 10;
  private static final int EXIT_INTERNAL_ERROR = 17;
  private static final int EXIT_SYSTEM_EVENT = 24;
  private static final int IO_OUT = 1;

  private static final int LAPIC_MODE_NMI = 4;
  private static final int LAPIC_MODE_EXTINT = 7;
  private static final short FPU_FCW_DEFAULT = 0x37f;
  private static final int FPU_MXCSR_DEFAULT = 0x1f80;

  private static final VmExit.Intr INTR = new VmExit.Intr();
  private static final VmExit.Hlt HLT = new VmExit.Hlt();
  private static final VmExit.Shutdown SHUTDOWN = new VmExit.Shutdown();

  private final int id;
  private final FileHandle fd;
  private final long runAddress;
  private final int runSize;
  private final ByteBuffer run;
  private final Object threadLock = new Object();
  private long ownerThread; // pthread_t, 0 when no thread is bound; guarded by threadLock
  private Memory kickSet; // sigset_t with KICK_SIGNAL; created by the owner thread
  private boolean unmapped;

  VcpuFd(int id, FileHandle fd, long runAddress, int runSize) {
    this.id = id;
    this.fd = fd;
    this.runAddress = runAddress;
    this.runSize = runSize;
    this.run = new Pointer(runAddress).getByteBuffer(0, runSize).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** The vCPU id given to {@code KVM_CREATE_VCPU} (also its APIC id). */
  public int id() {
    return id;
  }

  public GeneralRegisters getRegisters() throws KvmException {
    try (Memory m = new Memory(KvmStructs.REGS_SIZE)) {
      fd.ioctl("KVM_GET_REGS", Ioctls.KVM_GET_REGS, m);
      return Structs.readRegs(m);
    }
  }

  public void setRegisters(GeneralRegisters registers) throws KvmException {
    try (Memory m = new Memory(KvmStructs.REGS_SIZE)) {
      Structs.writeRegs(m, registers);
      fd.ioctl("KVM_SET_REGS", Ioctls.KVM_SET_REGS, m);
    }
  }

  public SpecialRegisters getSpecialRegisters() throws KvmException {
    try (Memory m = new Memory(KvmStructs.SREGS_SIZE)) {
      fd.ioctl("KVM_GET_SREGS", Ioctls.KVM_GET_SREGS, m);
      return Structs.readSregs(m);
    }
  }

  /** Sets the special registers, keeping KVM's pending-interrupt bitmap. */
  public void setSpecialRegisters(SpecialRegisters registers) throws KvmException {
    try (Memory m = new Memory(KvmStructs.SREGS_SIZE)) {
      fd.ioctl("KVM_GET_SREGS", Ioctls.KVM_GET_SREGS, m);
      Structs.writeSregs(m, registers);
      fd.ioctl("KVM_SET_SREGS", Ioctls.KVM_SET_SREGS, m);
    }
  }

  /** {@code KVM_SET_CPUID2}. */
  public void setCpuid(List<CpuidEntry> entries) throws KvmException {
    try (Memory m = new Memory(KvmStructs.CPUID2_HEADER_SIZE
        + (long) Math.max(1, entries.size()) * KvmStructs.CPUID_ENTRY_SIZE)) {
      Structs.writeCpuid(m, entries);
      fd.ioctl("KVM_SET_CPUID2", Ioctls.KVM_SET_CPUID2, m);
    }
  }

  /** {@code KVM_SET_MSRS}; fails unless KVM accepted every entry. */
  public void setMsrs(List<MsrEntry> entries) throws KvmException {
    try (Memory m = new Memory(KvmStructs.MSRS_HEADER_SIZE
        + (long) Math.max(1, entries.size()) * KvmStructs.MSR_ENTRY_SIZE)) {
      Structs.writeMsrs(m, entries);
      int written = fd.ioctl("KVM_SET_MSRS", Ioctls.KVM_SET_MSRS, m);
      if (written != entries.size()) {
        throw new KvmException(KvmException.Reason.CALL_FAILED, "KVM_SET_MSRS", 0,
            "KVM_SET_MSRS wrote " + written + " of " + entries.size() + " MSRs; first rejected: 0x"
                + Integer.toHexString(entries.get(Math.max(0, written)).index()));
      }
    }
  }

  /** {@code KVM_SET_FPU} with x87 control word 0x37f and MXCSR 0x1f80, everything else zero. */
  public void setupFpu() throws KvmException {
    try (Memory m = new Memory(KvmStructs.FPU_SIZE)) {
      m.clear();
      m.setShort(KvmStructs.FPU_FCW, FPU_FCW_DEFAULT);
      m.setInt(KvmStructs.FPU_MXCSR, FPU_MXCSR_DEFAULT);
      fd.ioctl("KVM_SET_FPU", Ioctls.KVM_SET_FPU, m);
    }
  }

  /** Programs LAPIC LINT0 as ExtINT and LINT1 as NMI (needs the in-kernel irqchip). */
  public void setupLapicLint() throws KvmException {
    try (Memory m = new Memory(KvmStructs.LAPIC_STATE_SIZE)) {
      fd.ioctl("KVM_GET_LAPIC", Ioctls.KVM_GET_LAPIC, m);
      Structs.setLvtDeliveryMode(m, KvmStructs.APIC_LVT0, LAPIC_MODE_EXTINT);
      Structs.setLvtDeliveryMode(m, KvmStructs.APIC_LVT1, LAPIC_MODE_NMI);
      fd.ioctl("KVM_SET_LAPIC", Ioctls.KVM_SET_LAPIC, m);
    }
  }

  /**
   * Makes the calling thread this vCPU's owner: blocks {@link #KICK_SIGNAL} on it, gives KVM a
   * signal mask that lets the signal interrupt {@code KVM_RUN}, and records the thread for
   * {@link #kick()}.
   */
  public void bindToCurrentThread() throws KvmException {
    Memory set = new Memory(LibC.SIGSET_T_SIZE);
    set.clear();
    set.setLong(0, 1L << (KICK_SIGNAL - 1));
    try (Memory old = new Memory(LibC.SIGSET_T_SIZE);
        Memory mask = new Memory(KvmStructs.SIGNAL_MASK_HEADER_SIZE + 8)) {
      int rc = LibC.pthread_sigmask(LibC.SIG_BLOCK, set, old);
      if (rc != 0) {
        throw KvmException.callFailed("pthread_sigmask", rc);
      }
      mask.setInt(KvmStructs.SIGNAL_MASK_LEN, 8);
      mask.setLong(KvmStructs.SIGNAL_MASK_SIGSET, old.getLong(0) & ~(1L << (KICK_SIGNAL - 1)));
      fd.ioctl("KVM_SET_SIGNAL_MASK", Ioctls.KVM_SET_SIGNAL_MASK, mask);
    }
    synchronized (threadLock) {
      kickSet = set;
      ownerThread = LibC.pthread_self();
    }
  }

  /** Forgets the owner thread; after this {@link #kick()} does nothing. Call on the owner thread. */
  public void unbindThread() {
    synchronized (threadLock) {
      ownerThread = 0;
    }
  }

  /**
   * Forces the owner thread out of {@code KVM_RUN} soon: {@link #run()} returns {@link VmExit.Intr}
   * at the latest on its next call. Any thread; never blocks.
   */
  public void kick() {
    synchronized (threadLock) {
      if (unmapped) {
        return;
      }
      run.put(KvmStructs.RUN_IMMEDIATE_EXIT, (byte) 1);
      if (ownerThread != 0) {
        LibC.pthread_kill(ownerThread, KICK_SIGNAL);
      }
    }
  }

  /**
   * {@code KVM_RUN}: runs guest code until the next exit to user space and decodes it. A kick
   * ({@code EINTR}) returns {@link VmExit.Intr}. Owner thread only.
   */
  public VmExit run() throws KvmException {
    try {
      LibC.ioctl(fd.fd(), Ioctls.KVM_RUN, 0L);
    } catch (LastErrorException e) {
      int errno = e.getErrorCode();
      if (errno == LibC.EINTR || errno == LibC.EAGAIN) {
        run.put(KvmStructs.RUN_IMMEDIATE_EXIT, (byte) 0);
        consumeKickSignal();
        return INTR;
      }
      throw KvmException.callFailed("KVM_RUN", errno);
    }
    return decodeExit();
  }

  private void consumeKickSignal() {
    Memory set;
    synchronized (threadLock) {
      set = kickSet;
    }
    if (set == null) {
      return;
    }
    try (Memory timeout = new Memory(16)) {
      timeout.clear();
      LibC.sigtimedwait(set, null, timeout);
    } catch (LastErrorException e) {
      // EAGAIN: no kick signal was pending (the exit came from immediate_exit alone).
    }
  }

  VmExit decodeExit() {
    int reason = run.getInt(KvmStructs.RUN_EXIT_REASON);
    switch (reason) {
      case EXIT_IO: {
        int size = run.get(KvmStructs.RUN_IO_SIZE) & 0xff;
        int port = run.getShort(KvmStructs.RUN_IO_PORT) & 0xffff;
        int count = run.getInt(KvmStructs.RUN_IO_COUNT);
        if (run.get(KvmStructs.RUN_IO_DIRECTION) == IO_OUT) {
          int offset = (int) run.getLong(KvmStructs.RUN_IO_DATA_OFFSET);
          byte[] data = new byte[size * count];
          run.get(offset, data);
          return new VmExit.IoOut(port, size, count, Bytes.copyOf(data));
        }
        return new VmExit.IoIn(port, size, count);
      }
      case EXIT_MMIO: {
        long address = run.getLong(KvmStructs.RUN_MMIO_PHYS_ADDR);
        int length = run.getInt(KvmStructs.RUN_MMIO_LEN);
        if (run.get(KvmStructs.RUN_MMIO_IS_WRITE) != 0) {
          long data = run.getLong(KvmStructs.RUN_MMIO_DATA);
          if (length < 8) {
            data &= (1L << (length * 8)) - 1;
          }
          return new VmExit.MmioWrite(address, length, data);
        }
        return new VmExit.MmioRead(address, length);
      }
      case EXIT_HLT:
        return HLT;
      case EXIT_SHUTDOWN:
        return SHUTDOWN;
      case EXIT_INTR:
        return INTR;
      case EXIT_FAIL_ENTRY:
        return new VmExit.FailEntry(run.getLong(KvmStructs.RUN_FAIL_ENTRY_REASON),
            run.getInt(KvmStructs.RUN_FAIL_ENTRY_CPU));
      case EXIT_INTERNAL_ERROR:
        int ndata = Math.min(16, Math.max(0, run.getInt(KvmStructs.RUN_INTERNAL_NDATA)));
        java.util.List<Long> data = new java.util.ArrayList<>(ndata);
        for (int i = 0; i < ndata; i++) {
          data.add(run.getLong(KvmStructs.RUN_INTERNAL_DATA + 8 * i));
        }
        return new VmExit.InternalError(run.getInt(KvmStructs.RUN_INTERNAL_SUBERROR), data);
      case EXIT_SYSTEM_EVENT:
        return new VmExit.SystemEvent(run.getInt(KvmStructs.RUN_SYSTEM_EVENT_TYPE));
      case EXIT_DEBUG:
        return new VmExit.Debug(run.getInt(KvmStructs.RUN_DEBUG_EXCEPTION),
            run.getLong(KvmStructs.RUN_DEBUG_PC));
      case EXIT_EXCEPTION:
        return new VmExit.GuestException(run.getInt(KvmStructs.RUN_EX_EXCEPTION),
            run.getInt(KvmStructs.RUN_EX_ERROR_CODE));
      case EXIT_IRQ_WINDOW_OPEN:
        return new VmExit.IrqWindowOpen();
      case EXIT_UNKNOWN:
        return new VmExit.Unknown(reason, run.getLong(KvmStructs.RUN_HW_EXIT_REASON));
      default:
        return new VmExit.Unknown(reason, 0);
    }
  }

  /** Answers item {@code index} of a pending {@link VmExit.IoIn} with {@code value}. */
  public void completeIoIn(int index, int size, long value) {
    int offset = (int) run.getLong(KvmStructs.RUN_IO_DATA_OFFSET) + index * size;
    for (int i = 0; i < size; i++) {
      run.put(offset + i, (byte) (value >>> (8 * i)));
    }
  }

  /** Answers a pending {@link VmExit.MmioRead} with {@code value} (little-endian, length bytes). */
  public void completeMmioRead(long value) {
    run.putLong(KvmStructs.RUN_MMIO_DATA, value);
  }

  @Override
  public void close() {
    synchronized (threadLock) {
      if (!unmapped) {
        unmapped = true;
        ownerThread = 0;
        if (kickSet != null) {
          kickSet.close();
          kickSet = null;
        }
        try {
          LibC.munmap(runAddress, runSize);
        } catch (LastErrorException e) {
          // The mapping is gone or was never valid; nothing else refers to it.
        }
      }
    }
    fd.close();
  }
}
