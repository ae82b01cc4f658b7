package dev.carapace.runtime.vmm;

import dev.carapace.runtime.boot.BootCpuState;
import dev.carapace.runtime.boot.BootException;
import dev.carapace.runtime.boot.BootSetup;
import dev.carapace.runtime.boot.LaunchMeasurement;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.boot.LoadedRegion;
import dev.carapace.runtime.boot.SegmentRegister;
import dev.carapace.runtime.devices.Bus;
import dev.carapace.runtime.devices.ConsoleOutput;
import dev.carapace.runtime.devices.Serial8250;
import dev.carapace.runtime.kvm.GeneralRegisters;
import dev.carapace.runtime.kvm.KvmException;
import dev.carapace.runtime.kvm.MappedGuestMemory;
import dev.carapace.runtime.kvm.SpecialRegisters;
import dev.carapace.runtime.kvm.VcpuFd;
import dev.carapace.runtime.kvm.VmFd;
import dev.carapace.runtime.memory.GuestMemory;
import dev.carapace.tdx.measure.TdMeasurements;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One KVM microVM: guest memory, vCPUs, an in-kernel irqchip and PIT, and the legacy devices
 * (COM1 serial, i8042 reset, CMOS, no PCI). Built with {@link MicroVmBuilder}; loaded with a
 * {@link RawPayload}, a {@link LinuxBoot} (measured) or a {@link BootSetup}; then {@link #start()}, {@link #pause()},
 * {@link #resume()}, {@link #stop()}, {@link #close()} (see {@link VmState}).
 *
 * <p><b>Threads.</b> Each vCPU runs {@code KVM_RUN} on its own platform thread named
 * {@code <vm>-vcpu-<n>} (small stack, daemon), which handles port I/O and MMIO exits through the
 * buses. Device work that could block (console output) is queued to the device executor.
 * Lifecycle methods are thread-safe and may be called from any thread except a vCPU thread.
 *
 * <p><b>Failure isolation.</b> A triple fault, failed entry, KVM internal error, guest reset or
 * shutdown, runaway unhandled MMIO or a host-side error ends this VM only: its vCPU threads stop,
 * {@link #awaitOutcome} reports the {@link ExitCause}, and other VMs in the process keep running.
 *
 * <p><b>Measured launch.</b> {@link #load(LinuxBoot)} lays the boot out in this VM's own guest
 * memory and, before any vCPU can run, computes the development TEE's launch measurement over
 * that memory ({@link LaunchMeasurement}: MRTD over the loaded pages, RTMR1 kernel file, RTMR2
 * command line and initrd); {@link #launchMeasurement()} returns it and
 * {@link DevelopmentTdQuoting} quotes it. {@code carapace measure} computes the same values
 * offline.
 *
 * <p><b>Teardown.</b> {@link #close()} stops the vCPUs, joins their threads, closes the vCPU and VM
 * descriptors, unmaps the {@code kvm_run} pages and guest memory, flushes the console and shuts
 * the VM's own device executor (if it has one). Nothing of the VM remains afterwards.
 */
public final class MicroVm implements AutoCloseable {
  /** Three pages for KVM's real-mode TSS, as Firecracker places them. */
  public static final long TSS_ADDRESS = 0xfffb_d000L;
  /** One page for the EPT identity map, just below the TSS. */
  public static final long IDENTITY_MAP_ADDRESS = 0xfffb_c000L;

  private static final int RUN = 0;
  private static final int PAUSE = 1;
  private static final int STOP = 2;
  private static final long JOIN_TIMEOUT_MS = 30_000;
  private static final long PAUSE_TIMEOUT_MS = 10_000;

  private final String name;
  private final VmFd vm;
  private final MappedGuestMemory memory;
  private final List<VcpuFd> vcpus;
  private final ConsoleOutput console;
  private final Serial8250 serial;
  private final ExitDispatcher dispatcher;
  private final long vcpuStackSize;
  private final @Nullable ExecutorService ownExecutor;
  private final Consumer<MicroVm> onClose;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final AtomicInteger control = new AtomicInteger(RUN);
  private final AtomicReference<@Nullable VmOutcome> outcome = new AtomicReference<>();
  private final CountDownLatch ended = new CountDownLatch(1);
  private final CompletableFuture<VmOutcome> endedFuture = new CompletableFuture<>();
  private volatile @Nullable TdMeasurements measurement;
  private VmState state = VmState.CREATED; // guarded by lock
  private boolean loaded; // guarded by lock
  private int alive; // vCPU threads not yet finished; guarded by lock
  private int parked; // vCPU threads parked by pause; guarded by lock
  private Thread[] threads = new Thread[0]; // guarded by lock

  MicroVm(String name, VmFd vm, MappedGuestMemory memory, List<VcpuFd> vcpus,
      ConsoleOutput console, Serial8250 serial, Bus portIo, Bus mmio, long unhandledMmioLimit,
      long vcpuStackSize, @Nullable ExecutorService ownExecutor, Consumer<MicroVm> onClose) {
    this.name = name;
    this.vm = vm;
    this.memory = memory;
    this.vcpus = List.copyOf(vcpus);
    this.console = console;
    this.serial = serial;
    this.dispatcher = new ExitDispatcher(portIo, mmio, unhandledMmioLimit);
    this.vcpuStackSize = vcpuStackSize;
    this.ownExecutor = ownExecutor;
    this.onClose = onClose;
  }

  public String name() {
    return name;
  }

  /** Guest physical memory (starting at 0). Boot loaders write the kernel here before loading. */
  public GuestMemory memory() {
    return memory;
  }

  public int vcpuCount() {
    return vcpus.size();
  }

  /** The COM1 UART, e.g. to feed console input. */
  public Serial8250 serial() {
    return serial;
  }

  public VmState state() {
    lock.lock();
    try {
      return state;
    } finally {
      lock.unlock();
    }
  }

  public VmStatistics statistics() {
    return new VmStatistics(dispatcher.exits.get(), dispatcher.portIoExits.get(),
        dispatcher.mmioExits.get(), dispatcher.unhandledPortIo.get(),
        dispatcher.unhandledMmio.get(), console.droppedBytes());
  }

  /** Copies the payload into guest memory and sets vCPU 0's registers for it. */
  public void load(RawPayload payload) throws VmException {
    Objects.requireNonNull(payload, "payload");
    requireLoadable();
    long size = payload.code().size();
    if (payload.address() < 0 || payload.address() + size > memory.size()) {
      throw new VmException(VmException.Reason.INVALID_PAYLOAD, "payload of " + size
          + " bytes at 0x" + Long.toHexString(payload.address()) + " does not fit "
          + memory.size() + " bytes of guest memory");
    }
    memory.write(payload.address(), payload.code().toByteArray());
    VcpuFd boot = vcpus.get(0);
    try {
      SpecialRegisters s = boot.getSpecialRegisters();
      s = switch (payload.mode()) {
        case REAL -> s.withSegments(realModeSegment(0xb), realModeSegment(0x3));
        case FLAT_PROTECTED -> s.withSegments(flatSegment(0x8, 0xb), flatSegment(0x10, 0x3))
            .withTables(0, 0, 0, 0)
            .withControl(s.cr0() | SpecialRegisters.CR0_PE, 0, 0, 0);
      };
      boot.setSpecialRegisters(s);
      boot.setRegisters(GeneralRegisters.entry(payload.entryPoint(), payload.stackPointer(),
          payload.stackPointer(), 0, 0));
    } catch (KvmException e) {
      throw kvmFailure("loading the payload", e);
    }
    markLoaded();
  }

  /**
   * Lays {@code boot} out in this VM's guest memory, measures it ({@link #launchMeasurement()})
   * and starts vCPU 0 at the kernel's entry when the VM starts. The boot must describe as many
   * vCPUs as the VM has. Only in state {@link VmState#CREATED}, once.
   *
   * @return the boot setup (registers, e820 map, loaded regions)
   * @throws VmException {@code INVALID_PAYLOAD} if the kernel, initrd or command line do not fit
   *     or the vCPU counts differ; {@code INVALID_STATE} if already loaded or started
   */
  public BootSetup load(LinuxBoot boot) throws VmException {
    Objects.requireNonNull(boot, "boot");
    requireLoadable();
    if (boot.vcpus() != vcpus.size()) {
      throw new VmException(VmException.Reason.INVALID_PAYLOAD, "the boot describes "
          + boot.vcpus() + " vCPUs, VM " + name + " has " + vcpus.size());
    }
    BootSetup setup;
    try {
      setup = boot.load(memory);
    } catch (BootException e) {
      throw new VmException(VmException.Reason.INVALID_PAYLOAD,
          "VM " + name + ": " + e.getMessage(), e);
    }
    TdMeasurements m = LaunchMeasurement.of(memory, setup, boot);
    load(setup);
    measurement = m;
    return setup;
  }

  /**
   * The launch measurement computed by {@link #load(LinuxBoot)} over this VM's memory before any
   * vCPU ran; empty for VMs loaded otherwise.
   */
  public Optional<TdMeasurements> launchMeasurement() {
    return Optional.ofNullable(measurement);
  }

  /**
   * Starts vCPU 0 in the state a boot loader prepared (it already wrote kernel, zero page, page
   * tables and GDT into {@link #memory()}). Application processors wait for INIT/SIPI.
   */
  public void load(BootSetup setup) throws VmException {
    Objects.requireNonNull(setup, "setup");
    requireLoadable();
    for (LoadedRegion r : setup.regions()) {
      if (r.guestAddress() < 0 || r.guestAddress() + r.length() > memory.size()) {
        throw new VmException(VmException.Reason.INVALID_PAYLOAD, r.kind() + " region at 0x"
            + Long.toHexString(r.guestAddress()) + " (" + r.length()
            + " bytes) lies outside guest memory of " + memory.size() + " bytes");
      }
    }
    BootCpuState cpu = setup.bootCpu();
    VcpuFd boot = vcpus.get(0);
    try {
      SpecialRegisters s = boot.getSpecialRegisters()
          .withSegments(cpu.code(), cpu.data())
          .withTaskRegister(cpu.taskRegister())
          .withTables(cpu.gdtBase(), cpu.gdtLimit(), cpu.idtBase(), cpu.idtLimit());
      boot.setSpecialRegisters(s.withControl(cpu.cr0(), cpu.cr3(), cpu.cr4(), cpu.efer()));
      boot.setRegisters(GeneralRegisters.entry(cpu.rip(), cpu.rsp(), cpu.rbp(), cpu.rsi(),
          cpu.rflags()));
    } catch (KvmException e) {
      throw kvmFailure("applying the boot setup", e);
    }
    markLoaded();
  }

  private static SegmentRegister realModeSegment(int type) {
    return new SegmentRegister(0, 0xffff, 0, type, true, 0, false, true, false, false, false,
        false);
  }

  private static SegmentRegister flatSegment(int selector, int type) {
    return new SegmentRegister(0, 0xffff_ffff, selector, type, true, 0, true, true, false, true,
        false, false);
  }

  private void requireLoadable() throws VmException {
    lock.lock();
    try {
      if (state != VmState.CREATED) {
        throw invalidState("load", VmState.CREATED);
      }
      if (loaded) {
        throw new VmException(VmException.Reason.INVALID_STATE, "VM " + name + " is already loaded");
      }
    } finally {
      lock.unlock();
    }
  }

  private void markLoaded() {
    lock.lock();
    try {
      loaded = true;
    } finally {
      lock.unlock();
    }
  }

  /** Starts one thread per vCPU. Needs a loaded payload or boot setup. */
  public void start() throws VmException {
    lock.lock();
    try {
      if (state != VmState.CREATED) {
        throw invalidState("start", VmState.CREATED);
      }
      if (!loaded) {
        throw new VmException(VmException.Reason.INVALID_STATE,
            "VM " + name + " has nothing to run: load a payload or a boot setup first");
      }
      state = VmState.RUNNING;
      alive = vcpus.size();
      threads = new Thread[vcpus.size()];
      for (int i = 0; i < vcpus.size(); i++) {
        VcpuFd vcpu = vcpus.get(i);
        Thread t = new Thread(null, () -> runVcpu(vcpu), name + "-vcpu-" + i, vcpuStackSize);
        t.setDaemon(true);
        threads[i] = t;
      }
      for (Thread t : threads) {
        t.start();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Kicks every vCPU out of guest mode and returns once all of them are parked. */
  public void pause() throws VmException {
    lock.lock();
    try {
      if (state != VmState.RUNNING || !control.compareAndSet(RUN, PAUSE)) {
        throw invalidState("pause", VmState.RUNNING);
      }
      kickAll();
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PAUSE_TIMEOUT_MS);
      while (parked < alive && control.get() == PAUSE) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new VmException(VmException.Reason.TIMEOUT,
              "VM " + name + ": " + (alive - parked) + " vCPUs did not pause in time");
        }
        changed.awaitNanos(left);
      }
      if (control.get() != PAUSE) {
        throw new VmException(VmException.Reason.INVALID_STATE,
            "VM " + name + " ended while pausing");
      }
      state = VmState.PAUSED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new VmException(VmException.Reason.TIMEOUT, "interrupted while pausing " + name, e);
    } finally {
      lock.unlock();
    }
  }

  /** Lets parked vCPUs run again. */
  public void resume() throws VmException {
    lock.lock();
    try {
      if (state != VmState.PAUSED || !control.compareAndSet(PAUSE, RUN)) {
        throw invalidState("resume", VmState.PAUSED);
      }
      state = VmState.RUNNING;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Ends the VM with {@link ExitCause#STOPPED} (unless it already ended with another cause) and
   * waits for its vCPU threads to finish. Does nothing once the VM has ended.
   */
  public void stop() throws VmException {
    boolean running;
    lock.lock();
    try {
      running = state == VmState.RUNNING || state == VmState.PAUSED;
      if (state == VmState.CREATED) {
        outcome.compareAndSet(null, VmOutcome.stopped());
        state = VmState.ENDED;
        ended.countDown();
      }
    } finally {
      lock.unlock();
    }
    if (running) {
      end(VmOutcome.stopped());
      joinThreads();
    }
    completeEnded();
  }

  /**
   * Completes with the outcome when the VM has ended (its last vCPU thread finished, or it was
   * stopped or closed before starting). Callbacks may run on a vCPU thread and must not block;
   * use the {@code ...Async} variants for anything slow.
   */
  public CompletionStage<VmOutcome> ended() {
    return endedFuture.minimalCompletionStage();
  }

  private void completeEnded() {
    if (ended.getCount() == 0 && !endedFuture.isDone()) {
      VmOutcome o = outcome.get();
      endedFuture.complete(o != null ? o : VmOutcome.stopped());
    }
  }

  /**
   * Writes console bytes still buffered to the sinks on the calling thread (they otherwise go on
   * the device thread). Use after the VM ended to see its last output.
   */
  public void flushConsole() {
    console.flush();
  }

  /** Waits up to {@code timeout} for the VM to end; the outcome if it did. */
  public Optional<VmOutcome> awaitOutcome(Duration timeout) throws InterruptedException {
    if (ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
      return Optional.ofNullable(outcome.get());
    }
    return Optional.empty();
  }

  /** The outcome if the VM has ended. */
  public Optional<VmOutcome> outcome() {
    return ended.getCount() == 0 ? Optional.ofNullable(outcome.get()) : Optional.empty();
  }

  /** Releases everything (see the class comment). Idempotent. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (state == VmState.CLOSED) {
        return;
      }
    } finally {
      lock.unlock();
    }
    end(VmOutcome.stopped());
    try {
      joinThreads();
    } catch (VmException e) {
      // A vCPU that never leaves KVM_RUN would use freed memory: keep everything mapped.
      throw new IllegalStateException(e.getMessage(), e);
    }
    lock.lock();
    try {
      if (state == VmState.CLOSED) {
        return;
      }
      if (ended.getCount() > 0) {
        outcome.compareAndSet(null, VmOutcome.stopped());
        ended.countDown();
      }
      state = VmState.CLOSED;
    } finally {
      lock.unlock();
    }
    completeEnded();
    for (VcpuFd v : vcpus) {
      v.close();
    }
    vm.close();
    memory.close();
    console.close();
    if (ownExecutor != null) {
      ownExecutor.shutdown();
      try {
        ownExecutor.awaitTermination(JOIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    onClose.accept(this);
  }

  // ---- called from devices and vCPU threads ----

  /** Ends the VM with {@code result} unless it already ended; never blocks on vCPU threads. */
  void end(VmOutcome result) {
    outcome.compareAndSet(null, result);
    control.set(STOP);
    lock.lock();
    try {
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    kickAll();
  }

  private void kickAll() {
    for (VcpuFd v : vcpus) {
      v.kick();
    }
  }

  private void runVcpu(VcpuFd vcpu) {
    try {
      vcpu.bindToCurrentThread();
      while (awaitRunnable()) {
        VmOutcome result = dispatcher.dispatch(vcpu, vcpu.run());
        if (result != null) {
          end(result);
          break;
        }
      }
    } catch (KvmException e) {
      end(new VmOutcome(ExitCause.HOST_ERROR, vcpu.id(), e.getMessage()));
    } catch (RuntimeException e) {
      end(new VmOutcome(ExitCause.HOST_ERROR, vcpu.id(), "device or VMM failure: " + e));
    } finally {
      vcpu.unbindThread();
      vcpuFinished();
    }
  }

  private boolean awaitRunnable() {
    int c = control.get();
    if (c != PAUSE) {
      return c == RUN;
    }
    lock.lock();
    try {
      parked++;
      changed.signalAll();
      try {
        while (control.get() == PAUSE) {
          changed.await();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } finally {
        parked--;
      }
      return control.get() == RUN;
    } finally {
      lock.unlock();
    }
  }

  private void vcpuFinished() {
    lock.lock();
    try {
      alive--;
      if (alive == 0) {
        outcome.compareAndSet(null, VmOutcome.stopped());
        if (state != VmState.CLOSED) {
          state = VmState.ENDED;
        }
        ended.countDown();
      }
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    completeEnded();
  }

  private void joinThreads() throws VmException {
    Thread[] ts;
    lock.lock();
    try {
      ts = threads.clone();
    } finally {
      lock.unlock();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(JOIN_TIMEOUT_MS);
    for (Thread t : ts) {
      if (t == Thread.currentThread()) {
        throw new IllegalStateException("a vCPU thread cannot stop or close its own VM");
      }
      try {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        t.join(Math.max(1, left));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new VmException(VmException.Reason.TIMEOUT, "interrupted while stopping " + name, e);
      }
      if (t.isAlive()) {
        throw new VmException(VmException.Reason.TIMEOUT,
            "vCPU thread " + t.getName() + " did not finish in " + JOIN_TIMEOUT_MS + " ms");
      }
    }
  }

  private VmException invalidState(String operation, VmState required) {
    return new VmException(VmException.Reason.INVALID_STATE,
        "cannot " + operation + " VM " + name + ": it is " + state + ", needs " + required);
  }

  private VmException kvmFailure(String what, KvmException e) {
    return new VmException(VmException.Reason.KVM_FAILURE,
        "VM " + name + ": " + what + " failed: " + e.getMessage(), e);
  }
}
