package dev.carapace.runtime.vmm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.boot.BootSetup;
import dev.carapace.runtime.boot.LaunchMeasurement;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kernel.TestKernels;
import dev.carapace.runtime.kernel.TinyKernels;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.memory.SparseGuestMemory;
import dev.carapace.tdx.measure.TdMeasurements;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import dev.carapace.tdx.verify.QuoteVerificationException;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.TrustAnchors;
import dev.carapace.tdx.verify.VerifiedQuote;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.DrbgParameters;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The VMM measures what it loads, and the development quoting service reports it. */
@Tag("kvm")
class MeasuredLaunchTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final long MEMORY = 8L << 20;
  private static final String CMDLINE = "console=ttyS0 measured=yes";
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
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

  private static LinuxBoot boot(byte[] kernel, byte[] initrd, int vcpus) throws Exception {
    return LinuxBoot.builder(KernelImage.parse(kernel)).initrd(initrd).commandLine(CMDLINE)
        .vcpus(vcpus).build();
  }

  private static TdMeasurements offline(LinuxBoot boot, long memory) throws Exception {
    SparseGuestMemory m = new SparseGuestMemory(memory);
    BootSetup setup = boot.load(m);
    return LaunchMeasurement.of(m, setup, boot);
  }

  private static SecureRandom random() throws Exception {
    return SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(256,
        DrbgParameters.Capability.NONE, "measured-launch-test".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void loadWhenLinuxBootThenMeasurementEqualsOfflineComputationAndGuestRuns() throws Exception {
    byte[] kernel = TinyKernels.printThenReset("measured\n");
    byte[] initrd = TestKernels.pattern(10_000, 3);
    LinuxBoot boot = boot(kernel, initrd, 2);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (MicroVm vm = new MicroVmBuilder(kvm, Clock.systemUTC()).name("measured")
        .memorySize(MEMORY).vcpus(2).console(console).build()) {
      assertThat(vm.launchMeasurement()).isEmpty();

      vm.load(boot);

      TdMeasurements expected = offline(boot, MEMORY);
      assertThat(vm.launchMeasurement()).contains(expected);
      assertThat(expected).isNotEqualTo(offline(boot, MEMORY + (4 << 20)));
      vm.start();
      VmOutcome outcome = vm.awaitOutcome(TIMEOUT).orElseThrow();
      vm.flushConsole();
      assertThat(outcome.cause()).isEqualTo(ExitCause.GUEST_RESET);
      assertThat(console.toString(StandardCharsets.US_ASCII)).isEqualTo("measured\n");
      assertThat(vm.launchMeasurement()).contains(expected);
    }
  }

  @Test
  void loadWhenBootVcpuCountDiffersOrAlreadyLoadedThenRefused() throws Exception {
    try (MicroVm vm = new MicroVmBuilder(kvm, Clock.systemUTC()).name("mismatch")
        .memorySize(MEMORY).vcpus(1).build()) {
      LinuxBoot twoCpus = boot(TinyKernels.printThenHalt("x"), null, 2);
      assertThatThrownBy(() -> vm.load(twoCpus)).isInstanceOfSatisfying(VmException.class,
          e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_PAYLOAD));
      vm.load(boot(TinyKernels.printThenHalt("x"), null, 1));
      assertThatThrownBy(() -> vm.load(boot(TinyKernels.printThenHalt("y"), null, 1)))
          .isInstanceOfSatisfying(VmException.class,
              e -> assertThat(e.reason()).isEqualTo(VmException.Reason.INVALID_STATE));
    }
  }

  @Test
  void quoteWhenVmLaunchedThenQuoteVerifiesUnderDevelopmentRootWithVmMeasurements()
      throws Exception {
    Provider bc = new BouncyCastleProvider();
    DevelopmentPki pki = DevelopmentPki.generate(random(), bc, CLOCK);
    TdxQuoteSimulator simulator =
        new TdxQuoteSimulator(pki, SimulatedPlatform.defaults(), random(), bc, CLOCK);
    DevelopmentTdQuoting quoting = new DevelopmentTdQuoting(simulator);
    byte[] data = new byte[64];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (0xa0 + i);
    }
    Bytes reportData = Bytes.copyOf(data);
    try (MicroVm vm = new MicroVmBuilder(kvm, Clock.systemUTC()).name("quoted")
        .memorySize(MEMORY).build()) {
      vm.load(boot(TinyKernels.printThenHalt("q"), null, 1));
      vm.start();
      TdMeasurements m = vm.launchMeasurement().orElseThrow();

      Quote quote = QuoteParser.parse(quoting.quote(vm, reportData).toByteArray());
      VerifiedQuote verified = new QuoteVerifier(TrustAnchors.of(pki.trustAnchors()), CLOCK, bc)
          .verify(quote, simulator.collateral());

      assertThat(verified.quote().body().mrTd()).isEqualTo(m.mrTd());
      assertThat(verified.quote().body().rtmrs()).isEqualTo(m.rtmrs());
      assertThat(verified.quote().body().rtmrs().get(1)).isEqualTo(m.rtmr(1));
      assertThat(verified.quote().body().rtmrs().get(2)).isEqualTo(m.rtmr(2));
      assertThat(verified.quote().body().reportData()).isEqualTo(reportData);
      assertThatThrownBy(() -> new QuoteVerifier(TrustAnchors.intel(), CLOCK, bc)
          .verify(quote, simulator.collateral())).isInstanceOf(QuoteVerificationException.class);
    }
  }

  @Test
  void quoteWhenVmLoadedWithoutLinuxBootThenNotMeasured() throws Exception {
    Provider bc = new BouncyCastleProvider();
    DevelopmentPki pki = DevelopmentPki.generate(random(), bc, CLOCK);
    DevelopmentTdQuoting quoting = new DevelopmentTdQuoting(
        new TdxQuoteSimulator(pki, SimulatedPlatform.defaults(), random(), bc, CLOCK));
    try (MicroVm vm = new MicroVmBuilder(kvm, Clock.systemUTC()).name("raw")
        .memorySize(2 << 20).build()) {
      vm.load(RawPayload.at(0x1000, new GuestCode().hlt().build(), RawPayload.CpuMode.REAL));
      assertThatThrownBy(() -> quoting.quote(vm, Bytes.zeros(64)))
          .isInstanceOfSatisfying(VmException.class,
              e -> assertThat(e.reason()).isEqualTo(VmException.Reason.NOT_MEASURED));
      assertThatThrownBy(() -> quoting.quote(vm, Bytes.zeros(32)))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
