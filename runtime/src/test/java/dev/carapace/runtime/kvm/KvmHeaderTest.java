package dev.carapace.runtime.kvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compiles a C program against the installed {@code <linux/kvm.h>} that prints the size, offsets
 * and ioctl numbers the Java side hard-codes, and compares every value. The TEE ioctls that older
 * headers lack are compared with the numbers in the project's TDX reference (tdx.md §5) instead.
 */
class KvmHeaderTest {
  private static final Path HEADER = Path.of("/usr/include/linux/kvm.h");
  private static final Map<String, Long> JAVA = new LinkedHashMap<>();
  private static final Map<String, Long> REFERENCE = new LinkedHashMap<>();

  static {
    ioctl("KVM_GET_API_VERSION", Ioctls.KVM_GET_API_VERSION);
    ioctl("KVM_CREATE_VM", Ioctls.KVM_CREATE_VM);
    ioctl("KVM_CHECK_EXTENSION", Ioctls.KVM_CHECK_EXTENSION);
    ioctl("KVM_GET_VCPU_MMAP_SIZE", Ioctls.KVM_GET_VCPU_MMAP_SIZE);
    ioctl("KVM_GET_SUPPORTED_CPUID", Ioctls.KVM_GET_SUPPORTED_CPUID);
    ioctl("KVM_CREATE_VCPU", Ioctls.KVM_CREATE_VCPU);
    ioctl("KVM_SET_USER_MEMORY_REGION", Ioctls.KVM_SET_USER_MEMORY_REGION);
    ioctl("KVM_SET_TSS_ADDR", Ioctls.KVM_SET_TSS_ADDR);
    ioctl("KVM_SET_IDENTITY_MAP_ADDR", Ioctls.KVM_SET_IDENTITY_MAP_ADDR);
    ioctl("KVM_CREATE_IRQCHIP", Ioctls.KVM_CREATE_IRQCHIP);
    ioctl("KVM_IRQ_LINE", Ioctls.KVM_IRQ_LINE);
    ioctl("KVM_CREATE_PIT2", Ioctls.KVM_CREATE_PIT2);
    ioctl("KVM_RUN", Ioctls.KVM_RUN);
    ioctl("KVM_GET_REGS", Ioctls.KVM_GET_REGS);
    ioctl("KVM_SET_REGS", Ioctls.KVM_SET_REGS);
    ioctl("KVM_GET_SREGS", Ioctls.KVM_GET_SREGS);
    ioctl("KVM_SET_SREGS", Ioctls.KVM_SET_SREGS);
    ioctl("KVM_SET_MSRS", Ioctls.KVM_SET_MSRS);
    ioctl("KVM_SET_SIGNAL_MASK", Ioctls.KVM_SET_SIGNAL_MASK);
    ioctl("KVM_GET_FPU", Ioctls.KVM_GET_FPU);
    ioctl("KVM_SET_FPU", Ioctls.KVM_SET_FPU);
    ioctl("KVM_GET_LAPIC", Ioctls.KVM_GET_LAPIC);
    ioctl("KVM_SET_LAPIC", Ioctls.KVM_SET_LAPIC);
    ioctl("KVM_SET_CPUID2", Ioctls.KVM_SET_CPUID2);
    tee("KVM_SET_USER_MEMORY_REGION2", Ioctls.KVM_SET_USER_MEMORY_REGION2, 0x40A0AE49L);
    tee("KVM_CREATE_GUEST_MEMFD", Ioctls.KVM_CREATE_GUEST_MEMFD, 0xC040AED4L);
    tee("KVM_SET_MEMORY_ATTRIBUTES", Ioctls.KVM_SET_MEMORY_ATTRIBUTES, 0x4020AED2L);
    tee("sizeof(struct kvm_userspace_memory_region2)", KvmStructs.MEMORY_REGION2_SIZE, 160);
    tee("offsetof(struct kvm_userspace_memory_region2, guest_memfd_offset)",
        KvmStructs.MEMORY_REGION2_GUEST_MEMFD_OFFSET, 32);
    tee("offsetof(struct kvm_userspace_memory_region2, guest_memfd)",
        KvmStructs.MEMORY_REGION2_GUEST_MEMFD, 40);
    tee("offsetof(struct kvm_userspace_memory_region2, userspace_addr)",
        KvmStructs.MEMORY_REGION2_USERSPACE_ADDR, 24);
    tee("sizeof(struct kvm_create_guest_memfd)", KvmStructs.CREATE_GUEST_MEMFD_SIZE, 64);
    tee("offsetof(struct kvm_create_guest_memfd, flags)", KvmStructs.CREATE_GUEST_MEMFD_FLAGS, 8);
    tee("sizeof(struct kvm_memory_attributes)", KvmStructs.MEMORY_ATTRIBUTES_SIZE, 32);
    tee("offsetof(struct kvm_memory_attributes, attributes)",
        KvmStructs.MEMORY_ATTRIBUTES_ATTRIBUTES, 16);
    tee("offsetof(struct kvm_memory_attributes, flags)", KvmStructs.MEMORY_ATTRIBUTES_FLAGS, 24);
    tee("KVM_MEM_GUEST_MEMFD", VmFd.MEM_GUEST_MEMFD, 4);
    tee("KVM_MEMORY_ATTRIBUTE_PRIVATE", VmFd.MEMORY_ATTRIBUTE_PRIVATE, 8);
    tee("KVM_CAP_USER_MEMORY2", KvmCapability.USER_MEMORY2.number(), 231);
    tee("KVM_CAP_MEMORY_ATTRIBUTES", KvmCapability.MEMORY_ATTRIBUTES.number(), 233);
    tee("KVM_CAP_GUEST_MEMFD", KvmCapability.GUEST_MEMFD.number(), 234);

    run("immediate_exit", KvmStructs.RUN_IMMEDIATE_EXIT);
    run("exit_reason", KvmStructs.RUN_EXIT_REASON);
    run("ready_for_interrupt_injection", KvmStructs.RUN_READY_FOR_INTERRUPT_INJECTION);
    run("if_flag", KvmStructs.RUN_IF_FLAG);
    run("flags", KvmStructs.RUN_FLAGS);
    run("cr8", KvmStructs.RUN_CR8);
    run("apic_base", KvmStructs.RUN_APIC_BASE);
    run("io.direction", KvmStructs.RUN_IO_DIRECTION);
    run("io.size", KvmStructs.RUN_IO_SIZE);
    run("io.port", KvmStructs.RUN_IO_PORT);
    run("io.count", KvmStructs.RUN_IO_COUNT);
    run("io.data_offset", KvmStructs.RUN_IO_DATA_OFFSET);
    run("mmio.phys_addr", KvmStructs.RUN_MMIO_PHYS_ADDR);
    run("mmio.data", KvmStructs.RUN_MMIO_DATA);
    run("mmio.len", KvmStructs.RUN_MMIO_LEN);
    run("mmio.is_write", KvmStructs.RUN_MMIO_IS_WRITE);
    run("hw.hardware_exit_reason", KvmStructs.RUN_HW_EXIT_REASON);
    run("fail_entry.hardware_entry_failure_reason", KvmStructs.RUN_FAIL_ENTRY_REASON);
    run("fail_entry.cpu", KvmStructs.RUN_FAIL_ENTRY_CPU);
    run("ex.exception", KvmStructs.RUN_EX_EXCEPTION);
    run("ex.error_code", KvmStructs.RUN_EX_ERROR_CODE);
    run("internal.suberror", KvmStructs.RUN_INTERNAL_SUBERROR);
    run("internal.ndata", KvmStructs.RUN_INTERNAL_NDATA);
    run("internal.data", KvmStructs.RUN_INTERNAL_DATA);
    run("system_event.type", KvmStructs.RUN_SYSTEM_EVENT_TYPE);
    run("system_event.ndata", KvmStructs.RUN_SYSTEM_EVENT_NDATA);
    run("debug.arch.exception", KvmStructs.RUN_DEBUG_EXCEPTION);
    run("debug.arch.pc", KvmStructs.RUN_DEBUG_PC);
    run("kvm_valid_regs", KvmStructs.RUN_KVM_VALID_REGS);
    run("kvm_dirty_regs", KvmStructs.RUN_KVM_DIRTY_REGS);
    run("s", KvmStructs.RUN_SYNC_REGS);

    size("kvm_regs", KvmStructs.REGS_SIZE);
    field("kvm_regs", "rsi", KvmStructs.REGS_RSI);
    field("kvm_regs", "rsp", KvmStructs.REGS_RSP);
    field("kvm_regs", "rbp", KvmStructs.REGS_RBP);
    field("kvm_regs", "r8", KvmStructs.REGS_R8);
    field("kvm_regs", "rip", KvmStructs.REGS_RIP);
    field("kvm_regs", "rflags", KvmStructs.REGS_RFLAGS);
    size("kvm_segment", KvmStructs.SEGMENT_SIZE);
    field("kvm_segment", "limit", KvmStructs.SEGMENT_LIMIT);
    field("kvm_segment", "selector", KvmStructs.SEGMENT_SELECTOR);
    field("kvm_segment", "type", KvmStructs.SEGMENT_TYPE);
    field("kvm_segment", "present", KvmStructs.SEGMENT_PRESENT);
    field("kvm_segment", "dpl", KvmStructs.SEGMENT_DPL);
    field("kvm_segment", "db", KvmStructs.SEGMENT_DB);
    field("kvm_segment", "s", KvmStructs.SEGMENT_S);
    field("kvm_segment", "l", KvmStructs.SEGMENT_L);
    field("kvm_segment", "g", KvmStructs.SEGMENT_G);
    field("kvm_segment", "avl", KvmStructs.SEGMENT_AVL);
    field("kvm_segment", "unusable", KvmStructs.SEGMENT_UNUSABLE);
    field("kvm_dtable", "limit", KvmStructs.DTABLE_LIMIT);
    size("kvm_sregs", KvmStructs.SREGS_SIZE);
    field("kvm_sregs", "ds", KvmStructs.SREGS_DS);
    field("kvm_sregs", "tr", KvmStructs.SREGS_TR);
    field("kvm_sregs", "ldt", KvmStructs.SREGS_LDT);
    field("kvm_sregs", "gdt", KvmStructs.SREGS_GDT);
    field("kvm_sregs", "idt", KvmStructs.SREGS_IDT);
    field("kvm_sregs", "cr0", KvmStructs.SREGS_CR0);
    field("kvm_sregs", "cr3", KvmStructs.SREGS_CR3);
    field("kvm_sregs", "cr4", KvmStructs.SREGS_CR4);
    field("kvm_sregs", "efer", KvmStructs.SREGS_EFER);
    field("kvm_sregs", "apic_base", KvmStructs.SREGS_APIC_BASE);
    field("kvm_sregs", "interrupt_bitmap", KvmStructs.SREGS_INTERRUPT_BITMAP);
    size("kvm_fpu", KvmStructs.FPU_SIZE);
    field("kvm_fpu", "fcw", KvmStructs.FPU_FCW);
    field("kvm_fpu", "fsw", KvmStructs.FPU_FSW);
    field("kvm_fpu", "ftwx", KvmStructs.FPU_FTWX);
    field("kvm_fpu", "mxcsr", KvmStructs.FPU_MXCSR);
    size("kvm_lapic_state", KvmStructs.LAPIC_STATE_SIZE);
    size("kvm_msrs", KvmStructs.MSRS_HEADER_SIZE);
    size("kvm_msr_entry", KvmStructs.MSR_ENTRY_SIZE);
    field("kvm_msr_entry", "data", KvmStructs.MSR_ENTRY_DATA);
    size("kvm_cpuid2", KvmStructs.CPUID2_HEADER_SIZE);
    size("kvm_cpuid_entry2", KvmStructs.CPUID_ENTRY_SIZE);
    field("kvm_cpuid_entry2", "index", KvmStructs.CPUID_ENTRY_INDEX);
    field("kvm_cpuid_entry2", "flags", KvmStructs.CPUID_ENTRY_FLAGS);
    field("kvm_cpuid_entry2", "eax", KvmStructs.CPUID_ENTRY_EAX);
    field("kvm_cpuid_entry2", "edx", KvmStructs.CPUID_ENTRY_EDX);
    size("kvm_userspace_memory_region", KvmStructs.MEMORY_REGION_SIZE);
    field("kvm_userspace_memory_region", "guest_phys_addr",
        KvmStructs.MEMORY_REGION_GUEST_PHYS_ADDR);
    field("kvm_userspace_memory_region", "memory_size", KvmStructs.MEMORY_REGION_MEMORY_SIZE);
    field("kvm_userspace_memory_region", "userspace_addr",
        KvmStructs.MEMORY_REGION_USERSPACE_ADDR);
    size("kvm_irq_level", KvmStructs.IRQ_LEVEL_SIZE);
    field("kvm_irq_level", "level", KvmStructs.IRQ_LEVEL_LEVEL);
    size("kvm_pit_config", KvmStructs.PIT_CONFIG_SIZE);
    size("kvm_signal_mask", KvmStructs.SIGNAL_MASK_HEADER_SIZE);
    field("kvm_signal_mask", "sigset", KvmStructs.SIGNAL_MASK_SIGSET);

    constant("KVM_API_VERSION", Kvm.API_VERSION);
    constant("KVM_PIT_SPEAKER_DUMMY", VmFd.PIT_SPEAKER_DUMMY);
    constant("KVM_CPUID_FLAG_SIGNIFCANT_INDEX", CpuidEntry.FLAG_SIGNIFICANT_INDEX);
    for (KvmCapability c : KvmCapability.values()) {
      if (c.number() < 231) {
        constant("KVM_CAP_" + c.name(), c.number());
      }
    }
    constant("KVM_SYSTEM_EVENT_SHUTDOWN", 1);
    constant("KVM_SYSTEM_EVENT_RESET", 2);
    constant("KVM_SYSTEM_EVENT_CRASH", 3);
    constant("KVM_INTERNAL_ERROR_EMULATION", 1);
  }

  private static void ioctl(String name, long value) {
    JAVA.put(name, value);
  }

  private static void tee(String cExpression, long javaValue, long referenceValue) {
    JAVA.put(cExpression, javaValue);
    REFERENCE.put(cExpression, referenceValue);
  }

  private static void run(String field, long value) {
    JAVA.put("offsetof(struct kvm_run, " + field + ")", value);
  }

  private static void size(String struct, long value) {
    JAVA.put("sizeof(struct " + struct + ")", value);
  }

  private static void field(String struct, String field, long value) {
    JAVA.put("offsetof(struct " + struct + ", " + field + ")", value);
  }

  private static void constant(String name, long value) {
    JAVA.put(name, value);
  }

  private static Map<String, Long> header;

  @BeforeAll
  static void compileAgainstInstalledHeader(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isReadable(HEADER), "skipped: " + HEADER
        + " is missing (install linux-libc-dev to compare layouts with the kernel headers)");
    assumeTrue(onPath("gcc"), "skipped: gcc is not on PATH; cannot compile the header probe");
    StringBuilder c = new StringBuilder("#include <stddef.h>\n#include <stdio.h>\n"
        + "#include <linux/kvm.h>\nint main(void) {\n");
    for (String expr : JAVA.keySet()) {
      String guard = guardFor(expr);
      if (guard != null) {
        c.append("#ifdef ").append(guard).append('\n');
      }
      c.append("  printf(\"%s=%llu\\n\", \"").append(expr).append("\", (unsigned long long) (")
          .append(expr).append("));\n");
      if (guard != null) {
        c.append("#endif\n");
      }
    }
    c.append("  return 0;\n}\n");
    Path source = dir.resolve("probe.c");
    Files.writeString(source, c.toString());
    Path binary = dir.resolve("probe");
    exec(dir, "gcc", "-o", binary.toString(), source.toString());
    header = new HashMap<>();
    for (String line : exec(dir, binary.toString()).split("\n")) {
      int eq = line.lastIndexOf('=');
      if (eq > 0) {
        header.put(line.substring(0, eq), Long.parseUnsignedLong(line.substring(eq + 1)));
      }
    }
  }

  /** The macro whose presence decides whether a TEE entry can be compiled, or null. */
  private static String guardFor(String expression) {
    if (!REFERENCE.containsKey(expression)) {
      return null;
    }
    if (expression.toLowerCase(java.util.Locale.ROOT).contains("region2")) {
      return "KVM_SET_USER_MEMORY_REGION2";
    }
    if (expression.contains("guest_memfd") || expression.contains("GUEST_MEMFD")) {
      return "KVM_CREATE_GUEST_MEMFD";
    }
    if (expression.contains("attributes") || expression.contains("ATTRIBUTE")) {
      return "KVM_SET_MEMORY_ATTRIBUTES";
    }
    return expression.startsWith("KVM_CAP_") ? expression : null;
  }

  @Test
  void layoutsWhenCompiledAgainstInstalledHeaderThenEveryJavaValueMatches() {
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (Map.Entry<String, Long> e : JAVA.entrySet()) {
      Long fromHeader = header.get(e.getKey());
      if (fromHeader == null) {
        assertThat(REFERENCE).as("only TEE entries may be missing from the header: " + e.getKey())
            .containsKey(e.getKey());
        continue;
      }
      compared++;
      if (!fromHeader.equals(e.getValue())) {
        mismatches.add(e.getKey() + ": header 0x" + Long.toHexString(fromHeader) + ", Java 0x"
            + Long.toHexString(e.getValue()));
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(compared).isGreaterThan(100);
  }

  @Test
  void teeLayoutsWhenHeaderPredatesThemThenJavaMatchesReferenceNumbers() {
    for (Map.Entry<String, Long> e : REFERENCE.entrySet()) {
      assertThat(JAVA.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
    }
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }

  private static String exec(Path dir, String... command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", command) + " failed:\n" + out);
    }
    return out;
  }
}
