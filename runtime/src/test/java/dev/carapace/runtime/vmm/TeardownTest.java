package dev.carapace.runtime.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.runtime.kvm.Kvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Closing VMs leaves no descriptor, mapping or thread behind. */
@Tag("kvm")
class TeardownTest {
    private static final long MEMORY = 0x00d1_0000L;
  private static final int VMS = 12;
  private static Kvm kvm;

  @BeforeAll
  static void openKvm() {
    kvm = KvmTestSupport.openKvmOrSkip();
  }

  @AfterAll
  static void closeKvm() {
    if (kvm != null) {
      kvm.close();
    }
  }

  private record Snapshot(long fds, long kvmFds, long guestMappings, long runMappings,
      long vmThreads) {}

  private static Snapshot snapshot() throws IOException {
    long fds = 0;
    long kvmFds = 0;
    try (Stream<Path> s = Files.list(Path.of("/proc/self/fd"))) {
      for (Path p : (Iterable<Path>) s::iterator) {
        fds++;
        try {
          if (Files.readSymbolicLink(p).toString().contains("kvm-v")) {
            kvmFds++;
          }
        } catch (IOException e) {
          // the descriptor of the directory listing itself vanished meanwhile
        }
      }
    }
    long guest = 0;
    long run = 0;
    long size = 0;
    boolean candidate = false;
    // Adjacent anonymous mappings merge, so count bytes of private read-write mappings made with
    // MAP_NORESERVE (VmFlags "nr") and no backing file, which is how guest memory is mapped.
    for (String line : Files.readAllLines(Path.of("/proc/self/smaps"))) {
      if (Character.digit(line.charAt(0), 16) >= 0 && line.indexOf('-') > 0
          && line.indexOf('-') < line.indexOf(' ')) {
        String[] f = line.trim().split("\\s+");
        String[] range = f[0].split("-");
        size = Long.parseUnsignedLong(range[1], 16) - Long.parseUnsignedLong(range[0], 16);
        candidate = f[1].startsWith("rw") && f.length == 5;
        if (line.contains("kvm-vcpu")) {
          run++;
        }
      } else if (line.startsWith("VmFlags:") && candidate
          && (" " + line.substring(8) + " ").contains(" nr ")) {
        guest += size;
      }
    }
    long threads = Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.getName().startsWith("teardown-")).count();
    return new Snapshot(fds, kvmFds, guest, run, threads);
  }

  @Test
  void closeWhenManyVmsRanThenNoDescriptorMappingOrThreadRemains() throws Exception {
    runOneVm(); // warm-up: the JVM opens files and loads classes lazily the first time
    snapshot();
    Snapshot before = snapshot();
    List<MicroVm> vms = new ArrayList<>();
    try (VmManager manager = new VmManager(kvm, Clock.systemUTC())) {
      for (int i = 0; i < VMS; i++) {
        MicroVm vm = manager.create("teardown-" + i, b -> b.memorySize(MEMORY).vcpus(2));
        vm.load(RawPayload.at(0x1000, new GuestCode().cli().hlt().build(),
            RawPayload.CpuMode.REAL));
        vm.start();
        vms.add(vm);
      }
      Snapshot running = snapshot();
      // malloc arenas are MAP_NORESERVE too and may grow a little meanwhile
      assertThat(running.guestMappings() - before.guestMappings())
          .isBetween(VMS * MEMORY, VMS * MEMORY + MEMORY - 1);
      assertThat(running.runMappings() - before.runMappings()).isEqualTo(2L * VMS);
      assertThat(running.kvmFds() - before.kvmFds()).isEqualTo(3L * VMS);
      assertThat(running.vmThreads()).isEqualTo(2L * VMS);
      assertThat(manager.vms()).hasSize(VMS);

      for (int i = 0; i < VMS / 2; i++) {
        vms.get(i).close();
      }
      assertThat(manager.vms()).hasSize(VMS - VMS / 2);
    }
    for (MicroVm vm : vms) {
      assertThat(vm.state()).isEqualTo(VmState.CLOSED);
    }
    Snapshot after = snapshot();
    assertThat(after.fds()).isEqualTo(before.fds());
    assertThat(after.kvmFds()).isEqualTo(before.kvmFds());
    assertThat(after.runMappings()).isEqualTo(before.runMappings());
    assertThat(after.vmThreads()).isZero();
    assertThat(after.guestMappings() - before.guestMappings()).isLessThan(MEMORY);
  }

  private static void runOneVm() throws Exception {
    try (VmManager manager = new VmManager(kvm, Clock.systemUTC())) {
      MicroVm vm = manager.create("teardown-warmup", b -> b.memorySize(MEMORY));
      vm.load(RawPayload.at(0x1000, new GuestCode().cli().hlt().build(),
          RawPayload.CpuMode.REAL));
      vm.start();
    }
  }

  @Test
  void createWhenNameTakenThenDuplicateNameAndNameIsFreeAfterClose() throws Exception {
    try (VmManager manager = new VmManager(kvm, Clock.systemUTC())) {
      MicroVm first = manager.create("teardown-dup", b -> b.memorySize(1 << 20));
      assertThatThrownBy(() -> manager.create("teardown-dup", b -> b.memorySize(1 << 20)))
          .isInstanceOfSatisfying(VmException.class,
              e -> assertThat(e.reason()).isEqualTo(VmException.Reason.DUPLICATE_NAME));
      first.close();
      assertThat(manager.get("teardown-dup")).isEmpty();
      manager.create("teardown-dup", b -> b.memorySize(1 << 20)).close();
    }
  }
}
