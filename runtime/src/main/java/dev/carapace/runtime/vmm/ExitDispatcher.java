package dev.carapace.runtime.vmm;

import dev.carapace.runtime.devices.Bus;
import dev.carapace.runtime.devices.BusDevice;
import dev.carapace.runtime.kvm.KvmException;
import dev.carapace.runtime.kvm.VcpuFd;
import dev.carapace.runtime.kvm.VmExit;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Turns one {@link VmExit} into bus accesses, or into the outcome that ends the VM. Runs on vCPU
 * threads; shared by all vCPUs of a VM (counters are atomic, buses are lock-free for lookups).
 */
final class ExitDispatcher {
  final AtomicLong exits = new AtomicLong();
  final AtomicLong portIoExits = new AtomicLong();
  final AtomicLong mmioExits = new AtomicLong();
  final AtomicLong unhandledPortIo = new AtomicLong();
  final AtomicLong unhandledMmio = new AtomicLong();

  private final Bus portIo;
  private final Bus mmio;
  private final long unhandledMmioLimit;

  ExitDispatcher(Bus portIo, Bus mmio, long unhandledMmioLimit) {
    this.portIo = portIo;
    this.mmio = mmio;
    this.unhandledMmioLimit = unhandledMmioLimit;
  }

  /** Handles the exit; returns null to keep running or the outcome that ends the VM. */
  @Nullable VmOutcome dispatch(VcpuFd vcpu, VmExit exit) {
    exits.incrementAndGet();
    int id = vcpu.id();
    if (exit instanceof VmExit.IoOut out) {
      portIoExits.incrementAndGet();
      Bus.Range r = portIo.find(out.port());
      for (int i = 0; i < out.count(); i++) {
        if (r != null) {
          r.device().write(out.port() - r.base(), out.size(), out.value(i));
        } else {
          unhandledPortIo.incrementAndGet();
        }
      }
      return null;
    }
    if (exit instanceof VmExit.IoIn in) {
      portIoExits.incrementAndGet();
      Bus.Range r = portIo.find(in.port());
      if (r == null) {
        unhandledPortIo.incrementAndGet();
      }
      for (int i = 0; i < in.count(); i++) {
        long v = r != null ? r.device().read(in.port() - r.base(), in.size())
            : BusDevice.allOnes(in.size());
        vcpu.completeIoIn(i, in.size(), v);
      }
      return null;
    }
    if (exit instanceof VmExit.MmioRead read) {
      mmioExits.incrementAndGet();
      Bus.Range r = mmio.find(read.address());
      if (r == null) {
        vcpu.completeMmioRead(BusDevice.allOnes(read.length()));
        return unhandledMmio(id, read.address());
      }
      vcpu.completeMmioRead(r.device().read(read.address() - r.base(), read.length()));
      return null;
    }
    if (exit instanceof VmExit.MmioWrite write) {
      mmioExits.incrementAndGet();
      Bus.Range r = mmio.find(write.address());
      if (r == null) {
        return unhandledMmio(id, write.address());
      }
      r.device().write(write.address() - r.base(), write.length(), write.data());
      return null;
    }
    if (exit instanceof VmExit.Intr || exit instanceof VmExit.IrqWindowOpen) {
      return null;
    }
    if (exit instanceof VmExit.Hlt) {
      return new VmOutcome(ExitCause.HALTED, id, "vCPU halted without an in-kernel irqchip");
    }
    if (exit instanceof VmExit.Shutdown) {
      return new VmOutcome(ExitCause.TRIPLE_FAULT, id, "KVM_EXIT_SHUTDOWN (triple fault)");
    }
    if (exit instanceof VmExit.FailEntry f) {
      return new VmOutcome(ExitCause.ENTRY_FAILED, id,
          "KVM_EXIT_FAIL_ENTRY, hardware reason 0x" + Long.toHexString(f.hardwareReason()));
    }
    if (exit instanceof VmExit.InternalError e) {
      StringBuilder detail = new StringBuilder("KVM_EXIT_INTERNAL_ERROR, suberror "
          + e.suberror());
      try {
        detail.append(", rip 0x").append(Long.toHexString(vcpu.getRegisters().rip()));
      } catch (KvmException ignored) {
        // the registers are a diagnostic extra
      }
      if (!e.data().isEmpty()) {
        detail.append(", data");
        for (long d : e.data()) {
          detail.append(" 0x").append(Long.toHexString(d));
        }
      }
      return new VmOutcome(ExitCause.INTERNAL_ERROR, id, detail.toString());
    }
    if (exit instanceof VmExit.SystemEvent e) {
      return switch (e.type()) {
        case VmExit.SystemEvent.RESET -> new VmOutcome(ExitCause.GUEST_RESET, id,
            "KVM system event: reset");
        case VmExit.SystemEvent.SHUTDOWN -> new VmOutcome(ExitCause.GUEST_SHUTDOWN, id,
            "KVM system event: shutdown");
        case VmExit.SystemEvent.CRASH -> new VmOutcome(ExitCause.GUEST_CRASH, id,
            "KVM system event: crash");
        default -> new VmOutcome(ExitCause.UNEXPECTED_EXIT, id,
            "KVM system event type " + e.type());
      };
    }
    return new VmOutcome(ExitCause.UNEXPECTED_EXIT, id, "unexpected exit " + exit);
  }

  private @Nullable VmOutcome unhandledMmio(int vcpu, long address) {
    if (unhandledMmio.incrementAndGet() > unhandledMmioLimit) {
      return new VmOutcome(ExitCause.UNHANDLED_MMIO, vcpu,
          "more than " + unhandledMmioLimit + " accesses to MMIO without a device, last at 0x"
              + Long.toHexString(address));
    }
    return null;
  }
}
