package dev.carapace.runtime.kvm;

/**
 * Sizes and field offsets of the KVM UAPI structs the VMM reads and writes (x86-64, natural
 * alignment), mirroring {@code <linux/kvm.h>} and {@code <asm/kvm.h>} of Linux 6.1 for the classic
 * structs and of Linux 6.16 for the TEE structs ({@code kvm_userspace_memory_region2},
 * {@code kvm_create_guest_memfd}, {@code kvm_memory_attributes}). Structs are accessed through
 * plain memory at these offsets rather than JNA {@code Structure} reflection, which keeps a VM
 * launch cheap. {@code KvmHeaderTest} compares every value with the installed header.
 */
final class KvmStructs {
  private KvmStructs() {}

  // struct kvm_run
  static final int RUN_REQUEST_INTERRUPT_WINDOW = 0;
  static final int RUN_IMMEDIATE_EXIT = 1;
  static final int RUN_EXIT_REASON = 8;
  static final int RUN_READY_FOR_INTERRUPT_INJECTION = 12;
  static final int RUN_IF_FLAG = 13;
  static final int RUN_FLAGS = 14;
  static final int RUN_CR8 = 16;
  static final int RUN_APIC_BASE = 24;
  /** Start of the exit-reason union. */
  static final int RUN_UNION = 32;
  static final int RUN_IO_DIRECTION = 32;
  static final int RUN_IO_SIZE = 33;
  static final int RUN_IO_PORT = 34;
  static final int RUN_IO_COUNT = 36;
  static final int RUN_IO_DATA_OFFSET = 40;
  static final int RUN_MMIO_PHYS_ADDR = 32;
  static final int RUN_MMIO_DATA = 40;
  static final int RUN_MMIO_LEN = 48;
  static final int RUN_MMIO_IS_WRITE = 52;
  static final int RUN_HW_EXIT_REASON = 32;
  static final int RUN_FAIL_ENTRY_REASON = 32;
  static final int RUN_FAIL_ENTRY_CPU = 40;
  static final int RUN_EX_EXCEPTION = 32;
  static final int RUN_EX_ERROR_CODE = 36;
  static final int RUN_INTERNAL_SUBERROR = 32;
  static final int RUN_INTERNAL_NDATA = 36;
  static final int RUN_INTERNAL_DATA = 40;
  static final int RUN_SYSTEM_EVENT_TYPE = 32;
  static final int RUN_SYSTEM_EVENT_NDATA = 36;
  static final int RUN_SYSTEM_EVENT_DATA = 40;
  static final int RUN_DEBUG_EXCEPTION = 32;
  static final int RUN_DEBUG_PC = 40;
  static final int RUN_KVM_VALID_REGS = 288;
  static final int RUN_KVM_DIRTY_REGS = 296;
  static final int RUN_SYNC_REGS = 304;

  // struct kvm_regs: rax rbx rcx rdx rsi rdi rsp rbp r8..r15 rip rflags (u64 each)
  static final int REGS_SIZE = 144;
  static final int REGS_RAX = 0;
  static final int REGS_RBX = 8;
  static final int REGS_RCX = 16;
  static final int REGS_RDX = 24;
  static final int REGS_RSI = 32;
  static final int REGS_RDI = 40;
  static final int REGS_RSP = 48;
  static final int REGS_RBP = 56;
  static final int REGS_R8 = 64;
  static final int REGS_RIP = 128;
  static final int REGS_RFLAGS = 136;

  // struct kvm_segment
  static final int SEGMENT_SIZE = 24;
  static final int SEGMENT_BASE = 0;
  static final int SEGMENT_LIMIT = 8;
  static final int SEGMENT_SELECTOR = 12;
  static final int SEGMENT_TYPE = 14;
  static final int SEGMENT_PRESENT = 15;
  static final int SEGMENT_DPL = 16;
  static final int SEGMENT_DB = 17;
  static final int SEGMENT_S = 18;
  static final int SEGMENT_L = 19;
  static final int SEGMENT_G = 20;
  static final int SEGMENT_AVL = 21;
  static final int SEGMENT_UNUSABLE = 22;

  // struct kvm_dtable
  static final int DTABLE_BASE = 0;
  static final int DTABLE_LIMIT = 8;

  // struct kvm_sregs
  static final int SREGS_SIZE = 312;
  static final int SREGS_CS = 0;
  static final int SREGS_DS = 24;
  static final int SREGS_ES = 48;
  static final int SREGS_FS = 72;
  static final int SREGS_GS = 96;
  static final int SREGS_SS = 120;
  static final int SREGS_TR = 144;
  static final int SREGS_LDT = 168;
  static final int SREGS_GDT = 192;
  static final int SREGS_IDT = 208;
  static final int SREGS_CR0 = 224;
  static final int SREGS_CR2 = 232;
  static final int SREGS_CR3 = 240;
  static final int SREGS_CR4 = 248;
  static final int SREGS_CR8 = 256;
  static final int SREGS_EFER = 264;
  static final int SREGS_APIC_BASE = 272;
  static final int SREGS_INTERRUPT_BITMAP = 280;

  // struct kvm_fpu
  static final int FPU_SIZE = 416;
  static final int FPU_FCW = 128;
  static final int FPU_FSW = 130;
  static final int FPU_FTWX = 132;
  static final int FPU_MXCSR = 408;

  // struct kvm_lapic_state
  static final int LAPIC_STATE_SIZE = 1024;
  static final int APIC_LVT0 = 0x350;
  static final int APIC_LVT1 = 0x360;

  // struct kvm_msrs + struct kvm_msr_entry
  static final int MSRS_HEADER_SIZE = 8;
  static final int MSRS_NMSRS = 0;
  static final int MSR_ENTRY_SIZE = 16;
  static final int MSR_ENTRY_INDEX = 0;
  static final int MSR_ENTRY_DATA = 8;

  // struct kvm_cpuid2 + struct kvm_cpuid_entry2
  static final int CPUID2_HEADER_SIZE = 8;
  static final int CPUID2_NENT = 0;
  static final int CPUID_ENTRY_SIZE = 40;
  static final int CPUID_ENTRY_FUNCTION = 0;
  static final int CPUID_ENTRY_INDEX = 4;
  static final int CPUID_ENTRY_FLAGS = 8;
  static final int CPUID_ENTRY_EAX = 12;
  static final int CPUID_ENTRY_EBX = 16;
  static final int CPUID_ENTRY_ECX = 20;
  static final int CPUID_ENTRY_EDX = 24;

  // struct kvm_userspace_memory_region
  static final int MEMORY_REGION_SIZE = 32;
  static final int MEMORY_REGION_SLOT = 0;
  static final int MEMORY_REGION_FLAGS = 4;
  static final int MEMORY_REGION_GUEST_PHYS_ADDR = 8;
  static final int MEMORY_REGION_MEMORY_SIZE = 16;
  static final int MEMORY_REGION_USERSPACE_ADDR = 24;

  // struct kvm_userspace_memory_region2 (Linux 6.8+)
  static final int MEMORY_REGION2_SIZE = 160;
  static final int MEMORY_REGION2_SLOT = 0;
  static final int MEMORY_REGION2_FLAGS = 4;
  static final int MEMORY_REGION2_GUEST_PHYS_ADDR = 8;
  static final int MEMORY_REGION2_MEMORY_SIZE = 16;
  static final int MEMORY_REGION2_USERSPACE_ADDR = 24;
  static final int MEMORY_REGION2_GUEST_MEMFD_OFFSET = 32;
  static final int MEMORY_REGION2_GUEST_MEMFD = 40;

  // struct kvm_create_guest_memfd (Linux 6.8+)
  static final int CREATE_GUEST_MEMFD_SIZE = 64;
  static final int CREATE_GUEST_MEMFD_SIZE_FIELD = 0;
  static final int CREATE_GUEST_MEMFD_FLAGS = 8;

  // struct kvm_memory_attributes (Linux 6.8+)
  static final int MEMORY_ATTRIBUTES_SIZE = 32;
  static final int MEMORY_ATTRIBUTES_ADDRESS = 0;
  static final int MEMORY_ATTRIBUTES_SIZE_FIELD = 8;
  static final int MEMORY_ATTRIBUTES_ATTRIBUTES = 16;
  static final int MEMORY_ATTRIBUTES_FLAGS = 24;

  // struct kvm_irq_level, struct kvm_pit_config, struct kvm_signal_mask
  static final int IRQ_LEVEL_SIZE = 8;
  static final int IRQ_LEVEL_IRQ = 0;
  static final int IRQ_LEVEL_LEVEL = 4;
  static final int PIT_CONFIG_SIZE = 64;
  static final int PIT_CONFIG_FLAGS = 0;
  static final int SIGNAL_MASK_HEADER_SIZE = 4;
  static final int SIGNAL_MASK_LEN = 0;
  static final int SIGNAL_MASK_SIGSET = 4;
}
