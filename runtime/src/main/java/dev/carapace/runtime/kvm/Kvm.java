package dev.carapace.runtime.kvm;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The KVM system handle ({@code /dev/kvm}). Opening it checks the API version (12) and the
 * capabilities the VMM depends on, and caches the vCPU mmap size and the host's supported CPUID,
 * so that each VM launch costs no extra system ioctls.
 *
 * <p>Thread-safe: after construction the handle is immutable until {@link #close()}; any number of
 * threads may create VMs through one instance. Closing it while VMs created from it are alive is
 * allowed (the kernel keeps the VMs' own references).
 */
public final class Kvm implements AutoCloseable {
  public static final String DEFAULT_DEVICE = "/dev/kvm";
  public static final int API_VERSION = 12;

  /** Capabilities without which {@link #open()} refuses to continue. */
  public static final List<KvmCapability> REQUIRED = List.of(
      KvmCapability.IRQCHIP, KvmCapability.USER_MEMORY, KvmCapability.SET_TSS_ADDR,
      KvmCapability.SET_IDENTITY_MAP_ADDR, KvmCapability.PIT2, KvmCapability.EXT_CPUID,
      KvmCapability.IMMEDIATE_EXIT);

  private static final int MAX_CPUID_ENTRIES = 256;
  private static final int E2BIG = 7;

  private final FileHandle fd;
  private final int vcpuMmapSize;
  private final List<CpuidEntry> supportedCpuid;

  private Kvm(FileHandle fd, int vcpuMmapSize, List<CpuidEntry> supportedCpuid) {
    this.fd = fd;
    this.vcpuMmapSize = vcpuMmapSize;
    this.supportedCpuid = List.copyOf(supportedCpuid);
  }

  /** Opens {@code /dev/kvm}. */
  public static Kvm open() throws KvmException {
    return open(DEFAULT_DEVICE);
  }

  /** Opens the given KVM device node and checks the API version and required capabilities. */
  public static Kvm open(String device) throws KvmException {
    Objects.requireNonNull(device, "device");
    int raw;
    try {
      raw = LibC.open(device, LibC.O_RDWR | LibC.O_CLOEXEC, 0);
    } catch (LastErrorException e) {
      throw new KvmException(KvmException.Reason.UNAVAILABLE, "open", e.getErrorCode(),
          "cannot open " + device + " (errno " + e.getErrorCode()
              + "): check that KVM is enabled and that this user may read and write the device");
    } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
      throw new KvmException(KvmException.Reason.UNAVAILABLE, "open", 0,
          "native libc is not available: " + e.getMessage());
    }
    FileHandle fd = new FileHandle(raw, "kvm");
    try {
      int version = fd.ioctl("KVM_GET_API_VERSION", Ioctls.KVM_GET_API_VERSION, 0);
      if (version != API_VERSION) {
        throw new KvmException(KvmException.Reason.UNSUPPORTED, "KVM_GET_API_VERSION", 0,
            "KVM API version " + API_VERSION + " expected, found " + version);
      }
      List<KvmCapability> missing = new ArrayList<>();
      for (KvmCapability cap : REQUIRED) {
        if (fd.ioctl("KVM_CHECK_EXTENSION", Ioctls.KVM_CHECK_EXTENSION, cap.number()) <= 0) {
          missing.add(cap);
        }
      }
      if (!missing.isEmpty()) {
        throw new KvmException(KvmException.Reason.UNSUPPORTED, "KVM_CHECK_EXTENSION", 0,
            "KVM lacks required capabilities " + missing);
      }
      int mmapSize = fd.ioctl("KVM_GET_VCPU_MMAP_SIZE", Ioctls.KVM_GET_VCPU_MMAP_SIZE, 0);
      return new Kvm(fd, mmapSize, readSupportedCpuid(fd));
    } catch (KvmException | RuntimeException e) {
      fd.close();
      throw e;
    }
  }

  private static List<CpuidEntry> readSupportedCpuid(FileHandle fd) throws KvmException {
    int capacity = 64;
    while (true) {
      try (Memory buf = new Memory(KvmStructs.CPUID2_HEADER_SIZE
          + (long) capacity * KvmStructs.CPUID_ENTRY_SIZE)) {
        buf.clear();
        buf.setInt(KvmStructs.CPUID2_NENT, capacity);
        try {
          fd.ioctlChecked(Ioctls.KVM_GET_SUPPORTED_CPUID, buf);
        } catch (LastErrorException e) {
          if (e.getErrorCode() == E2BIG && capacity < MAX_CPUID_ENTRIES) {
            capacity *= 2;
            continue;
          }
          throw KvmException.callFailed("KVM_GET_SUPPORTED_CPUID", e.getErrorCode());
        }
        return Structs.readCpuid(buf);
      }
    }
  }

  /** Whether {@code KVM_CHECK_EXTENSION} reports the capability (a positive value). */
  public boolean hasCapability(KvmCapability capability) throws KvmException {
    return checkExtension(capability) > 0;
  }

  /** The raw {@code KVM_CHECK_EXTENSION} result (0 = absent; some capabilities return a count). */
  public int checkExtension(KvmCapability capability) throws KvmException {
    return fd.ioctl("KVM_CHECK_EXTENSION", Ioctls.KVM_CHECK_EXTENSION, capability.number());
  }

  /** Size of each vCPU's shared {@code kvm_run} mapping ({@code KVM_GET_VCPU_MMAP_SIZE}). */
  public int vcpuMmapSize() {
    return vcpuMmapSize;
  }

  /** The host's {@code KVM_GET_SUPPORTED_CPUID}, read once when this handle was opened. */
  public List<CpuidEntry> supportedCpuid() {
    return supportedCpuid;
  }

  /** {@code KVM_CREATE_VM} (default VM type). The returned handle must be closed. */
  public VmFd createVm() throws KvmException {
    int vm = fd.ioctl("KVM_CREATE_VM", Ioctls.KVM_CREATE_VM, 0);
    return new VmFd(new FileHandle(vm, "vm"), vcpuMmapSize);
  }

  @Override
  public void close() {
    fd.close();
  }
}
