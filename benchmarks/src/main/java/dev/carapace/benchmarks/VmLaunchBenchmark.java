package dev.carapace.benchmarks;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.devices.BusDevice;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.vmm.MicroVm;
import dev.carapace.runtime.vmm.RawPayload;
import dev.carapace.runtime.vmm.VmManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The Java side of {@code benchmarks/runtime-bench.sh}: the same launches as
 * {@code src/main/c/kvm_launch_bench.c}, through {@link VmManager} and {@link MicroVm}.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar dev.carapace.benchmarks.VmLaunchBenchmark launch 500
 *   java -cp benchmarks/target/benchmarks.jar dev.carapace.benchmarks.VmLaunchBenchmark density 1000
 * </pre>
 *
 * <p>Each VM: 64 MiB NORESERVE memory, 1 vCPU, in-kernel irqchip and PIT, legacy devices, and the
 * payload {@code out 0x10, al; cli; hlt} in real mode. "First exit" is the OUT reaching the test
 * device on the vCPU thread: the first guest instruction has run. After it the vCPU sleeps in the
 * kernel (HLT with interrupts off), which is the idle state the density run keeps 1,000 VMs in.
 */
public final class VmLaunchBenchmark {
  private static final long MEMORY = 64L << 20;
  private static final Bytes PAYLOAD = Bytes.copyOf(new byte[] {(byte) 0xe6, 0x10, (byte) 0xfa,
      (byte) 0xf4});

  private VmLaunchBenchmark() {}

  /** Marks the first OUT to its port with the time it arrived. */
  private static final class FirstExit implements BusDevice {
    final CountDownLatch seen = new CountDownLatch(1);
    volatile long at;

    @Override
    public long read(long offset, int size) {
      return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
      if (seen.getCount() > 0) {
        at = System.nanoTime();
        seen.countDown();
      }
    }
  }

  private static MicroVm launch(VmManager manager, String name, FirstExit marker)
      throws Exception {
    MicroVm vm = manager.create(name, b -> b.memorySize(MEMORY).vcpus(1)
        .portDevice(0x10, 1, marker));
    vm.load(RawPayload.at(0x1000, PAYLOAD, RawPayload.CpuMode.REAL));
    vm.start();
    if (!marker.seen.await(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("VM " + name + " did not reach its first instruction");
    }
    return vm;
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: VmLaunchBenchmark launch|density N");
      System.exit(2);
    }
    int n = Integer.parseInt(args[1]);
    try (Kvm kvm = Kvm.open(); VmManager manager = new VmManager(kvm, Clock.systemUTC())) {
      if (args[0].equals("launch")) {
        launchRate(manager, n);
      } else {
        density(manager, n);
      }
    }
  }

  private static void launchRate(VmManager manager, int n) throws Exception {
    for (int i = 0; i < 200; i++) { // warm-up: JIT, class loading
      launch(manager, "warm-" + i, new FirstExit()).close();
    }
    long[] latency = new long[n];
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      FirstExit marker = new FirstExit();
      long start = System.nanoTime();
      MicroVm vm = launch(manager, "vm-" + i, marker);
      latency[i] = marker.at - start;
      vm.close();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    Arrays.sort(latency);
    System.out.printf("java launch n=%d first_exit_us p50=%.0f p90=%.0f p99=%.0f "
        + "rate_per_s=%.1f%n", n, latency[n / 2] / 1e3, latency[n * 9 / 10] / 1e3,
        latency[n * 99 / 100] / 1e3, n / secs);
  }

  private static void density(VmManager manager, int n) throws Exception {
    launch(manager, "warm", new FirstExit()).close();
    System.gc();
    long before = rssKib();
    long threadsBefore = Thread.activeCount();
    List<MicroVm> vms = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      vms.add(launch(manager, "idle-" + i, new FirstExit()));
    }
    System.gc();
    long after = rssKib();
    System.out.printf("java density n=%d rss_before_kib=%d rss_after_kib=%d per_vm_kib=%.1f "
        + "per_vm_incl_baseline_kib=%.1f threads_added=%d%n", n, before, after,
        (after - before) / (double) n, after / (double) n, Thread.activeCount() - threadsBefore);
    for (MicroVm vm : vms) {
      vm.close();
    }
  }

  private static long rssKib() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }
}
