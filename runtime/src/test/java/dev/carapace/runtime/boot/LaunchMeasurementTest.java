package dev.carapace.runtime.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.kernel.BzImage;
import dev.carapace.runtime.kernel.DebianKernel;
import dev.carapace.runtime.kernel.ElfKernel;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kernel.TestKernels;
import dev.carapace.runtime.memory.GuestMemory;
import dev.carapace.runtime.memory.HeapGuestMemory;
import dev.carapace.runtime.memory.SparseGuestMemory;
import dev.carapace.tdx.measure.TdMeasurements;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class LaunchMeasurementTest {
  private static final long MIB = 1 << 20;
  private static final byte[] KERNEL = TestKernels.smallVmlinux();
  private static final byte[] INITRD = TestKernels.pattern(70_000, 5);

  private static LinuxBoot boot(String cmdline, int vcpus) throws Exception {
    return LinuxBoot.builder(ElfKernel.parse(KERNEL)).commandLine(cmdline).initrd(INITRD)
        .vcpus(vcpus).build();
  }

  private static TdMeasurements measure(GuestMemory m, LinuxBoot boot) throws Exception {
    return LaunchMeasurement.of(m, boot.load(m), boot);
  }

  @Test
  void mrTdWhenLoadedThenEqualsTheTdxModuleStreamOverEveryTouchedPage() throws Exception {
    GuestMemory m = new HeapGuestMemory(64 * MIB);
    LinuxBoot boot = boot("console=ttyS0", 2);
    BootSetup setup = boot.load(m);

    // The byte stream the TDX module hashes, written out in full: for every page, the
    // 128-byte PAGE.ADD buffer, then per 256-byte chunk the MR.EXTEND buffer and the chunk.
    TreeSet<Long> pages = new TreeSet<>();
    for (LoadedRegion r : setup.regions()) {
      for (long p = r.guestAddress() & ~4095L; p < r.guestAddress() + r.length(); p += 4096) {
        pages.add(p);
      }
    }
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    for (long p : pages) {
      stream.writeBytes(opBuffer("MEM.PAGE.ADD", p));
      for (int c = 0; c < 4096; c += 256) {
        stream.writeBytes(opBuffer("MR.EXTEND", p + c));
        stream.writeBytes(m.read(p + c, 256));
      }
    }

    assertThat(LaunchMeasurement.of(m, setup, boot).mrTd())
        .isEqualTo(Bytes.copyOf(sha384(stream.toByteArray())));
  }

  @Test
  void rtmrsWhenKernelCmdlineAndInitrdThenFollowTheDocumentedConvention() throws Exception {
    TdMeasurements t = measure(new HeapGuestMemory(64 * MIB), boot("quiet", 1));

    byte[] zeros = new byte[48];
    assertThat(t.rtmr(0)).isEqualTo(Bytes.copyOf(zeros));
    assertThat(t.rtmr(1)).isEqualTo(Bytes.copyOf(sha384(zeros, sha384(KERNEL))));
    byte[] afterCmdline = sha384(zeros, sha384("quiet\0".getBytes(StandardCharsets.UTF_8)));
    assertThat(t.rtmr(2)).isEqualTo(Bytes.copyOf(sha384(afterCmdline, sha384(INITRD))));
    assertThat(t.rtmr(3)).isEqualTo(Bytes.copyOf(zeros));
  }

  @Test
  void ofWhenSparseOrHeapMemoryThenSameMeasurements() throws Exception {
    TdMeasurements heap = measure(new HeapGuestMemory(64 * MIB), boot("console=ttyS0", 3));
    TdMeasurements sparse = measure(new SparseGuestMemory(64 * MIB), boot("console=ttyS0", 3));

    assertThat(sparse).isEqualTo(heap);
  }

  @Test
  void ofWhenOneInputChangesThenOnlyTheRegistersCoveringItChange() throws Exception {
    TdMeasurements base = measure(new SparseGuestMemory(64 * MIB), boot("quiet", 1));
    TdMeasurements otherCmdline = measure(new SparseGuestMemory(64 * MIB), boot("quieT", 1));
    TdMeasurements otherVcpus = measure(new SparseGuestMemory(64 * MIB), boot("quiet", 2));
    TdMeasurements otherMemory = measure(new SparseGuestMemory(128 * MIB), boot("quiet", 1));

    assertThat(otherCmdline.mrTd()).isNotEqualTo(base.mrTd());
    assertThat(otherCmdline.rtmr(2)).isNotEqualTo(base.rtmr(2));
    assertThat(otherCmdline.rtmr(1)).isEqualTo(base.rtmr(1));
    assertThat(otherVcpus.mrTd()).isNotEqualTo(base.mrTd()); // MP table
    assertThat(otherVcpus.rtmrs()).isEqualTo(base.rtmrs());
    assertThat(otherMemory.mrTd()).isNotEqualTo(base.mrTd()); // e820 and initrd address
  }

  @Test
  void ofWhenDebianCloudKernelThenSparseAndHeapLayoutsAgree() throws Exception {
    byte[] file = Files.readAllBytes(DebianKernel.require());
    BzImage bz = (BzImage) KernelImage.parse(file);
    LinuxBoot boot = LinuxBoot.builder(bz).commandLine("console=ttyS0 reboot=k panic=1")
        .vcpus(2).build();

    GuestMemory heap = new HeapGuestMemory(96 * MIB);
    BootSetup setup = boot.load(heap);
    TdMeasurements onHeap = LaunchMeasurement.of(heap, setup, boot);
    TdMeasurements onSparse = measure(new SparseGuestMemory(96 * MIB), boot);

    assertThat(setup.bootCpu().rip()).isEqualTo(bz.header().prefAddress() + 0x200);
    assertThat(onSparse).isEqualTo(onHeap);
    assertThat(onHeap.rtmr(1)).isEqualTo(Bytes.copyOf(sha384(new byte[48], sha384(file))));
  }

  private static byte[] opBuffer(String op, long gpa) {
    ByteBuffer b = ByteBuffer.allocate(128).order(ByteOrder.LITTLE_ENDIAN);
    b.put(op.getBytes(StandardCharsets.US_ASCII));
    b.putLong(16, gpa);
    return b.array();
  }

  private static byte[] sha384(byte[]... parts) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-384");
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }
}
