package dev.carapace.runtime.vmm;

import dev.carapace.runtime.kvm.Kvm;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Owns many {@link MicroVm}s in one process: unique names, one shared device thread
 * ({@code carapace-vmm-devices}) for all of them instead of one per VM, and {@link #close()} that
 * closes every VM it still holds. A VM leaves the manager when it is closed.
 *
 * <p>Thread-safe.
 */
public final class VmManager implements AutoCloseable {
  private final Kvm kvm;
  private final Clock clock;
  private final ConcurrentMap<String, MicroVm> vms = new ConcurrentHashMap<>();
  private final ConcurrentMap<String, Boolean> reserved = new ConcurrentHashMap<>();
  private final ExecutorService devices;
  private volatile boolean closed;

  public VmManager(Kvm kvm, Clock clock) {
    this.kvm = Objects.requireNonNull(kvm, "kvm");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.devices = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(null, r, "carapace-vmm-devices", MicroVmBuilder.DEFAULT_VCPU_STACK);
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Builds a VM named {@code name} with the manager's device thread; {@code configure} sets the
   * rest (memory, vCPUs, console, devices).
   */
  public MicroVm create(String name, Consumer<MicroVmBuilder> configure)
      throws VmException {
    Objects.requireNonNull(name, "name");
    if (closed) {
      throw new VmException(VmException.Reason.INVALID_STATE, "the VM manager is closed");
    }
    if (reserved.putIfAbsent(name, Boolean.TRUE) != null) {
      throw new VmException(VmException.Reason.DUPLICATE_NAME,
          "a VM named " + name + " already exists");
    }
    try {
      MicroVmBuilder b = new MicroVmBuilder(kvm, clock);
      configure.accept(b);
      MicroVm vm = b.name(name).deviceExecutor(devices).onClose(this::forget).build();
      vms.put(name, vm);
      return vm;
    } catch (VmException | RuntimeException e) {
      reserved.remove(name);
      throw e;
    }
  }

  private void forget(MicroVm vm) {
    vms.remove(vm.name(), vm);
    reserved.remove(vm.name());
  }

  public Optional<MicroVm> get(String name) {
    return Optional.ofNullable(vms.get(name));
  }

  /** The VMs not yet closed. */
  public List<MicroVm> vms() {
    return List.copyOf(new ArrayList<>(vms.values()));
  }

  /** Closes every VM, then the shared device thread. */
  @Override
  public void close() {
    closed = true;
    for (MicroVm vm : vms()) {
      vm.close();
    }
    devices.shutdown();
    try {
      devices.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
