// Baseline for the Java VMM launch benchmark: the same KVM calls as
// dev.carapace.runtime.vmm.MicroVmBuilder/MicroVm, in C, with one pthread per vCPU.
//
//   kvm_launch_bench launch N     launch N VMs one after another; print first-exit latency and rate
//   kvm_launch_bench density N    keep N idle VMs alive; print RSS per VM
//
// Per VM: KVM_CREATE_VM, KVM_SET_IDENTITY_MAP_ADDR, KVM_SET_TSS_ADDR, KVM_CREATE_IRQCHIP,
// KVM_CREATE_PIT2(speaker dummy), mmap 64 MiB MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE,
// KVM_SET_USER_MEMORY_REGION, payload write, KVM_CREATE_VCPU, mmap kvm_run, KVM_SET_CPUID2
// (supported CPUID with the APIC id patched), KVM_SET_MSRS (11 boot MSRs), KVM_SET_FPU,
// KVM_GET/SET_LAPIC (LINT0 ExtINT, LINT1 NMI), KVM_GET/SET_SREGS (real mode, base 0),
// KVM_SET_REGS; a vCPU thread that blocks SIGURG, sets KVM_SET_SIGNAL_MASK and runs KVM_RUN.
// The payload is "out 0x10, al; cli; hlt": the first exit marks the first guest instruction.
// Teardown kicks the vCPU (immediate_exit + pthread_kill SIGURG), joins it, closes everything.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define MEM_SIZE (64UL << 20)
#define PAYLOAD_ADDR 0x1000

static int kvm_fd;
static int run_size;
static struct kvm_cpuid2 *supported;

static void die(const char *what) {
  perror(what);
  exit(1);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t) ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

struct vm {
  int vm_fd, vcpu_fd;
  void *mem;
  struct kvm_run *run;
  pthread_t thread;
  uint64_t t_start, t_first_exit;
  pthread_mutex_t lock;
  pthread_cond_t cond;
  int first_exit_seen;
  volatile int stop;
};

static void *vcpu_main(void *arg) {
  struct vm *vm = arg;
  sigset_t block, old;
  sigemptyset(&block);
  sigaddset(&block, SIGURG);
  pthread_sigmask(SIG_BLOCK, &block, &old);
  sigdelset(&old, SIGURG);
  struct {
    struct kvm_signal_mask m;
    uint64_t set;
  } mask;
  mask.m.len = 8;
  memcpy(&mask.set, &old, 8);
  if (ioctl(vm->vcpu_fd, KVM_SET_SIGNAL_MASK, &mask) < 0) die("KVM_SET_SIGNAL_MASK");
  while (!vm->stop) {
    if (ioctl(vm->vcpu_fd, KVM_RUN, 0) < 0) {
      if (errno == EINTR || errno == EAGAIN) {
        struct timespec zero = {0, 0};
        vm->run->immediate_exit = 0;
        sigtimedwait(&block, NULL, &zero);
        continue;
      }
      die("KVM_RUN");
    }
    if (vm->run->exit_reason == KVM_EXIT_IO && vm->run->io.port == 0x10) {
      pthread_mutex_lock(&vm->lock);
      if (!vm->first_exit_seen) {
        vm->t_first_exit = now_ns();
        vm->first_exit_seen = 1;
        pthread_cond_signal(&vm->cond);
      }
      pthread_mutex_unlock(&vm->lock);
    } else if (vm->run->exit_reason != KVM_EXIT_IO && vm->run->exit_reason != KVM_EXIT_INTR) {
      fprintf(stderr, "unexpected exit %u\n", vm->run->exit_reason);
      exit(1);
    }
  }
  return NULL;
}

static void setup_vcpu(struct vm *vm) {
  // CPUID: the supported set with the APIC id and hypervisor bit patched (leaf 1).
  size_t sz = sizeof(struct kvm_cpuid2) + supported->nent * sizeof(struct kvm_cpuid_entry2);
  struct kvm_cpuid2 *cpuid = malloc(sz);
  memcpy(cpuid, supported, sz);
  for (unsigned i = 0; i < cpuid->nent; i++) {
    struct kvm_cpuid_entry2 *e = &cpuid->entries[i];
    if (e->function == 1) {
      e->ebx = (e->ebx & 0xff) | (8 << 8) | (1 << 16);
      e->ecx = (e->ecx & ~(1u << 15)) | (1u << 24) | (1u << 31);
    }
  }
  if (ioctl(vm->vcpu_fd, KVM_SET_CPUID2, cpuid) < 0) die("KVM_SET_CPUID2");
  free(cpuid);

  static const uint32_t msr_index[] = {0x174, 0x175, 0x176, 0xc0000081, 0xc0000083,
                                       0xc0000102, 0xc0000084, 0xc0000082, 0x10, 0x1a0, 0x2ff};
  struct {
    struct kvm_msrs h;
    struct kvm_msr_entry e[11];
  } msrs;
  memset(&msrs, 0, sizeof msrs);
  msrs.h.nmsrs = 11;
  for (int i = 0; i < 11; i++) msrs.e[i].index = msr_index[i];
  msrs.e[9].data = 1;
  msrs.e[10].data = (1 << 11) | 6;
  if (ioctl(vm->vcpu_fd, KVM_SET_MSRS, &msrs) != 11) die("KVM_SET_MSRS");

  struct kvm_fpu fpu;
  memset(&fpu, 0, sizeof fpu);
  fpu.fcw = 0x37f;
  fpu.mxcsr = 0x1f80;
  if (ioctl(vm->vcpu_fd, KVM_SET_FPU, &fpu) < 0) die("KVM_SET_FPU");

  struct kvm_lapic_state lapic;
  if (ioctl(vm->vcpu_fd, KVM_GET_LAPIC, &lapic) < 0) die("KVM_GET_LAPIC");
  uint32_t *lvt0 = (uint32_t *) &lapic.regs[0x350], *lvt1 = (uint32_t *) &lapic.regs[0x360];
  *lvt0 = (*lvt0 & ~0x700u) | (7 << 8);
  *lvt1 = (*lvt1 & ~0x700u) | (4 << 8);
  if (ioctl(vm->vcpu_fd, KVM_SET_LAPIC, &lapic) < 0) die("KVM_SET_LAPIC");

  struct kvm_sregs sregs;
  if (ioctl(vm->vcpu_fd, KVM_GET_SREGS, &sregs) < 0) die("KVM_GET_SREGS");
  struct kvm_segment *segs[] = {&sregs.cs, &sregs.ds, &sregs.es, &sregs.fs, &sregs.gs, &sregs.ss};
  for (int i = 0; i < 6; i++) {
    segs[i]->base = 0;
    segs[i]->selector = 0;
    segs[i]->limit = 0xffff;
    segs[i]->type = i == 0 ? 0xb : 0x3;
    segs[i]->present = 1;
    segs[i]->s = 1;
  }
  if (ioctl(vm->vcpu_fd, KVM_SET_SREGS, &sregs) < 0) die("KVM_SET_SREGS");
  struct kvm_regs regs;
  memset(&regs, 0, sizeof regs);
  regs.rip = PAYLOAD_ADDR;
  regs.rflags = 0x2;
  if (ioctl(vm->vcpu_fd, KVM_SET_REGS, &regs) < 0) die("KVM_SET_REGS");
}

static void launch(struct vm *vm) {
  memset(vm, 0, sizeof *vm);
  pthread_mutex_init(&vm->lock, NULL);
  pthread_cond_init(&vm->cond, NULL);
  vm->t_start = now_ns();
  vm->vm_fd = ioctl(kvm_fd, KVM_CREATE_VM, 0);
  if (vm->vm_fd < 0) die("KVM_CREATE_VM");
  uint64_t identity = 0xfffbc000;
  if (ioctl(vm->vm_fd, KVM_SET_IDENTITY_MAP_ADDR, &identity) < 0) die("IDENTITY_MAP");
  if (ioctl(vm->vm_fd, KVM_SET_TSS_ADDR, 0xfffbd000UL) < 0) die("KVM_SET_TSS_ADDR");
  if (ioctl(vm->vm_fd, KVM_CREATE_IRQCHIP, 0) < 0) die("KVM_CREATE_IRQCHIP");
  struct kvm_pit_config pit = {.flags = KVM_PIT_SPEAKER_DUMMY};
  if (ioctl(vm->vm_fd, KVM_CREATE_PIT2, &pit) < 0) die("KVM_CREATE_PIT2");
  vm->mem = mmap(NULL, MEM_SIZE, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (vm->mem == MAP_FAILED) die("mmap");
  struct kvm_userspace_memory_region region = {
      .slot = 0, .guest_phys_addr = 0, .memory_size = MEM_SIZE,
      .userspace_addr = (uint64_t) vm->mem};
  if (ioctl(vm->vm_fd, KVM_SET_USER_MEMORY_REGION, &region) < 0) die("SET_USER_MEMORY_REGION");
  static const uint8_t payload[] = {0xe6, 0x10, 0xfa, 0xf4};  // out 0x10, al; cli; hlt
  memcpy((uint8_t *) vm->mem + PAYLOAD_ADDR, payload, sizeof payload);
  vm->vcpu_fd = ioctl(vm->vm_fd, KVM_CREATE_VCPU, 0);
  if (vm->vcpu_fd < 0) die("KVM_CREATE_VCPU");
  vm->run = mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vm->vcpu_fd, 0);
  if (vm->run == MAP_FAILED) die("mmap kvm_run");
  setup_vcpu(vm);
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, 256 << 10);
  if (pthread_create(&vm->thread, &attr, vcpu_main, vm) != 0) die("pthread_create");
  pthread_attr_destroy(&attr);
  pthread_mutex_lock(&vm->lock);
  while (!vm->first_exit_seen) pthread_cond_wait(&vm->cond, &vm->lock);
  pthread_mutex_unlock(&vm->lock);
}

static void destroy(struct vm *vm) {
  vm->stop = 1;
  vm->run->immediate_exit = 1;
  pthread_kill(vm->thread, SIGURG);
  pthread_join(vm->thread, NULL);
  munmap(vm->run, run_size);
  close(vm->vcpu_fd);
  close(vm->vm_fd);
  munmap(vm->mem, MEM_SIZE);
}

static long rss_kib(void) {
  FILE *f = fopen("/proc/self/status", "r");
  char line[256];
  long v = -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld", &v) == 1) break;
  fclose(f);
  return v;
}

static int cmp_u64(const void *a, const void *b) {
  uint64_t x = *(const uint64_t *) a, y = *(const uint64_t *) b;
  return x < y ? -1 : x > y;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s launch|density N\n", argv[0]);
    return 2;
  }
  int n = atoi(argv[2]);
  kvm_fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
  if (kvm_fd < 0) die("/dev/kvm");
  run_size = ioctl(kvm_fd, KVM_GET_VCPU_MMAP_SIZE, 0);
  supported = calloc(1, sizeof(struct kvm_cpuid2) + 256 * sizeof(struct kvm_cpuid_entry2));
  supported->nent = 256;
  if (ioctl(kvm_fd, KVM_GET_SUPPORTED_CPUID, supported) < 0) die("KVM_GET_SUPPORTED_CPUID");

  if (strcmp(argv[1], "launch") == 0) {
    uint64_t *lat = calloc(n, sizeof *lat);
    struct vm vm;
    for (int i = 0; i < 20; i++) { launch(&vm); destroy(&vm); }  // warm-up
    uint64_t t0 = now_ns();
    for (int i = 0; i < n; i++) {
      launch(&vm);
      lat[i] = vm.t_first_exit - vm.t_start;
      destroy(&vm);
    }
    double secs = (now_ns() - t0) / 1e9;
    qsort(lat, n, sizeof *lat, cmp_u64);
    printf("c launch n=%d first_exit_us p50=%.0f p90=%.0f p99=%.0f rate_per_s=%.1f\n", n,
           lat[n / 2] / 1e3, lat[n * 9 / 10] / 1e3, lat[n * 99 / 100] / 1e3, n / secs);
  } else {
    struct vm *vms = calloc(n, sizeof *vms);
    long before = rss_kib();
    for (int i = 0; i < n; i++) launch(&vms[i]);
    long after = rss_kib();
    printf("c density n=%d rss_before_kib=%ld rss_after_kib=%ld per_vm_kib=%.1f "
           "per_vm_incl_baseline_kib=%.1f\n", n, before, after, (after - before) / (double) n,
           after / (double) n);
    for (int i = 0; i < n; i++) destroy(&vms[i]);
  }
  return 0;
}
