package dev.carapace.runtime.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.runtime.boot.BootSetup;
import dev.carapace.runtime.boot.LaunchMeasurement;
import dev.carapace.runtime.boot.LinuxBoot;
import dev.carapace.runtime.kernel.KernelImage;
import dev.carapace.runtime.kernel.TinyKernels;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.kvm.KvmException;
import dev.carapace.runtime.memory.SparseGuestMemory;
import dev.carapace.runtime.sandbox.SandboxException.Reason;
import dev.carapace.runtime.vmm.DevelopmentTdQuoting;
import dev.carapace.tdx.measure.TdMeasurements;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.TrustAnchors;
import dev.carapace.tdx.verify.VerifiedQuote;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DrbgParameters;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon in-process on a temporary socket, driving real VMs on /dev/kvm. */
@Tag("kvm")
class SandboxDaemonTest {
  private static final long MEMORY = 4L << 20;
  private static final Clock QUOTE_CLOCK =
      Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
  private static final Provider BC = new BouncyCastleProvider();
  private static Kvm kvm;
  private static DevelopmentPki pki;
  private static TdxQuoteSimulator simulator;

  @TempDir Path dir;
  private SandboxDaemon daemon;
  private final ExecutorService background = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "test-console-reader");
    t.setDaemon(true);
    return t;
  });

  @BeforeAll
  static void openKvm() throws Exception {
    assumeTrue(Files.exists(Path.of(Kvm.DEFAULT_DEVICE)),
        "skipped: " + Kvm.DEFAULT_DEVICE + " does not exist on this host");
    try {
      kvm = Kvm.open();
    } catch (KvmException e) {
      assumeTrue(false, "skipped: KVM is not usable here: " + e.getMessage());
    }
    SecureRandom random = SecureRandom.getInstance("DRBG", DrbgParameters.instantiation(256,
        DrbgParameters.Capability.NONE, "sandbox-test".getBytes(StandardCharsets.UTF_8)));
    pki = DevelopmentPki.generate(random, BC, QUOTE_CLOCK);
    simulator = new TdxQuoteSimulator(pki, SimulatedPlatform.defaults(), random, BC,
        QUOTE_CLOCK);
  }

  @AfterAll
  static void closeKvm() {
    if (kvm != null) {
      kvm.close();
    }
  }

  @BeforeEach
  void startDaemon() throws Exception {
    daemon = SandboxDaemon.start(dir.resolve("sandbox.sock"),
        new Sandboxer(kvm, Clock.systemUTC(), new DevelopmentTdQuoting(simulator)));
  }

  @AfterEach
  void stopDaemon() {
    if (daemon != null) {
      daemon.close();
    }
    background.shutdownNow();
  }

  private SandboxClient client() throws IOException {
    return SandboxClient.connect(daemon.socket());
  }

  private Path kernel(String name, byte[] image) throws IOException {
    return Files.write(dir.resolve(name), image);
  }

  private static ObjectNode create(SandboxClient c, String name, Path kernel) {
    return c.request("create").put("name", name).put("kernel", kernel.toString())
        .put("append", "console=ttyS0").put("memory", MEMORY);
  }

  private static Map<String, JsonNode> list(SandboxClient c) throws Exception {
    Map<String, JsonNode> byName = new HashMap<>();
    for (JsonNode vm : c.call(c.request("list")).get("vms")) {
      byName.put(vm.get("name").asText(), vm);
    }
    return byName;
  }

  private static Reason reasonOf(SandboxClient c, ObjectNode request) {
    try {
      c.call(request);
    } catch (SandboxException e) {
      return e.reason();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    throw new AssertionError("request succeeded: " + request);
  }

  /** Follows a console in the background; the latch opens when {@code expected} appeared. */
  private Future<String> follow(String name, String expected, CountDownLatch seen) {
    return background.submit(() -> {
      ByteArrayOutputStream text = new ByteArrayOutputStream();
      OutputStream sink = new OutputStream() {
        @Override
        public void write(int b) {
          text.write(b);
          if (text.toString(StandardCharsets.US_ASCII).contains(expected)) {
            seen.countDown();
          }
        }
      };
      try (SandboxClient c = client()) {
        c.console(name, sink);
      }
      return text.toString(StandardCharsets.US_ASCII);
    });
  }

  @Test
  void createListStartConsoleWhenStoppingOneVmThenTheOtherKeepsRunning() throws Exception {
    Path a = kernel("a", TinyKernels.printThenHalt("hello from a\n"));
    Path b = kernel("b", TinyKernels.printThenHalt("hello from b\n"));
    try (SandboxClient c = client()) {
      c.call(create(c, "a", a));
      c.call(create(c, "b", b).put("vcpus", 2));
      Map<String, JsonNode> created = list(c);
      assertThat(created.keySet()).containsExactlyInAnyOrder("a", "b");
      assertThat(created.get("a").get("state").asText()).isEqualTo("CREATED");
      assertThat(created.get("b").get("vcpus").asInt()).isEqualTo(2);
      assertThat(created.get("a").get("memory").asLong()).isEqualTo(MEMORY);
      TdMeasurements expected = offline(a, 1);
      assertThat(created.get("a").at("/measurements/mrtd").asText())
          .isEqualTo(expected.mrTd().toHex());
      assertThat(created.get("a").at("/measurements/rtmr1").asText())
          .isEqualTo(expected.rtmr(1).toHex());
      assertThat(created.get("a").at("/measurements/rtmr2").asText())
          .isEqualTo(expected.rtmr(2).toHex());

      c.call(c.request("start").put("name", "a"));
      c.call(c.request("start").put("name", "b"));
      CountDownLatch seenA = new CountDownLatch(1);
      Future<String> consoleA = follow("a", "hello from a\n", seenA);
      assertThat(seenA.await(30, TimeUnit.SECONDS)).as("console of a").isTrue();

      JsonNode stopped = c.call(c.request("stop").put("name", "a"));

      assertThat(stopped.get("state").asText()).isEqualTo("ENDED");
      assertThat(stopped.at("/outcome/cause").asText()).isEqualTo("STOPPED");
      assertThat(consoleA.get(30, TimeUnit.SECONDS)).isEqualTo("hello from a\n");
      Map<String, JsonNode> after = list(c);
      assertThat(after.get("b").get("state").asText()).isEqualTo("RUNNING");
      CountDownLatch seenB = new CountDownLatch(1);
      Future<String> consoleB = follow("b", "hello from b\n", seenB);
      assertThat(seenB.await(30, TimeUnit.SECONDS)).as("console of b").isTrue();
      c.call(c.request("delete").put("name", "b"));
      assertThat(consoleB.get(30, TimeUnit.SECONDS)).isEqualTo("hello from b\n");
      assertThat(list(c).keySet()).containsExactly("a");
    }
  }

  @Test
  void startWhenGuestTripleFaultsThenOnlyThatVmEndsAndDaemonKeepsServing() throws Exception {
    Path bad = kernel("bad", TinyKernels.printThenTripleFault("about to fault\n"));
    Path good = kernel("good", TinyKernels.printThenHalt("still here\n"));
    try (SandboxClient c = client()) {
      c.call(create(c, "bad", bad));
      c.call(create(c, "good", good));
      c.call(c.request("start").put("name", "good"));
      c.call(c.request("start").put("name", "bad"));

      String badConsole = follow("bad", "fault", new CountDownLatch(1)).get(30, TimeUnit.SECONDS);

      assertThat(badConsole).isEqualTo("about to fault\n");
      Map<String, JsonNode> vms = list(c);
      assertThat(vms.get("bad").get("state").asText()).isEqualTo("ENDED");
      assertThat(vms.get("bad").at("/outcome/cause").asText()).isEqualTo("TRIPLE_FAULT");
      assertThat(vms.get("good").get("state").asText()).isEqualTo("RUNNING");
      assertThat(vms.get("good").has("outcome")).isFalse();
      assertThat(reasonOf(c, c.request("start").put("name", "bad")))
          .isEqualTo(Reason.INVALID_STATE);
    }
  }

  @Test
  void requestsWhenMalformedOrInvalidThenTypedErrorsAndConnectionStaysUsable() throws Exception {
    Path k = kernel("k", TinyKernels.printThenHalt("x"));
    Path junk = Files.write(dir.resolve("junk"), new byte[8192]);
    try (SandboxClient c = client()) {
      assertThat(c.callRaw("this is not json").at("/error/reason").asText())
          .isEqualTo("MALFORMED_REQUEST");
      assertThat(c.callRaw("[1,2]").at("/error/reason").asText())
          .isEqualTo("MALFORMED_REQUEST");
      assertThat(reasonOf(c, c.request("explode"))).isEqualTo(Reason.UNKNOWN_OPERATION);
      assertThat(reasonOf(c, c.request("start"))).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(reasonOf(c, c.request("start").put("name", "x").put("force", true)))
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(reasonOf(c, c.request("start").put("name", "nope")))
          .isEqualTo(Reason.NOT_FOUND);
      assertThat(reasonOf(c, create(c, "v", k).put("memory", "lots")))
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(reasonOf(c, create(c, "v", k).put("vcpus", 0)))
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(reasonOf(c, create(c, "bad name!", k))).isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(reasonOf(c, create(c, "v", dir.resolve("missing"))))
          .isEqualTo(Reason.UNREADABLE);
      assertThat(reasonOf(c, create(c, "v", junk))).isEqualTo(Reason.KERNEL_REJECTED);
      c.call(create(c, "v", k));
      assertThat(reasonOf(c, create(c, "v", k))).isEqualTo(Reason.ALREADY_EXISTS);
      assertThat(reasonOf(c, c.request("quote").put("name", "v").put("reportData", "abcd")))
          .isEqualTo(Reason.INVALID_ARGUMENT);
      assertThat(list(c).keySet()).containsExactly("v");
      JsonNode tooLong = c.callRaw("x".repeat(SandboxDaemon.MAX_REQUEST_LINE + 10));
      assertThat(tooLong.at("/error/reason").asText()).isEqualTo("MALFORMED_REQUEST");
    }
  }

  @Test
  void quoteWhenDevelopmentModeThenQuoteVerifiesAndCarriesTheVmMeasurements() throws Exception {
    Path k = kernel("k", TinyKernels.printThenHalt("q"));
    byte[] data = new byte[64];
    data[0] = 1;
    data[63] = (byte) 0xff;
    try (SandboxClient c = client()) {
      JsonNode created = c.call(create(c, "q", k));
      c.call(c.request("start").put("name", "q"));

      JsonNode result = c.call(c.request("quote").put("name", "q")
          .put("reportData", Bytes.copyOf(data).toHex()));

      Quote quote = QuoteParser.parse(Base64.getDecoder().decode(result.get("quote").asText()));
      VerifiedQuote verified = new QuoteVerifier(TrustAnchors.of(pki.trustAnchors()),
          QUOTE_CLOCK, BC).verify(quote, simulator.collateral());
      assertThat(verified.body().mrTd().toHex())
          .isEqualTo(created.at("/measurements/mrtd").asText());
      for (int i = 0; i < 4; i++) {
        assertThat(verified.body().rtmrs().get(i).toHex())
            .isEqualTo(created.at("/measurements/rtmr" + i).asText());
      }
      assertThat(verified.body().reportData()).isEqualTo(Bytes.copyOf(data));
    }
  }

  @Test
  void quoteWhenNotDevelopmentModeThenQuotingDisabled() throws Exception {
    Path k = kernel("k", TinyKernels.printThenHalt("q"));
    try (SandboxDaemon plain = SandboxDaemon.start(dir.resolve("plain.sock"),
            new Sandboxer(kvm, Clock.systemUTC(), null));
        SandboxClient c = SandboxClient.connect(plain.socket())) {
      c.call(create(c, "q", k));
      assertThat(reasonOf(c, c.request("quote").put("name", "q")
          .put("reportData", "00".repeat(64)))).isEqualTo(Reason.QUOTING_DISABLED);
    }
  }

  @Test
  void startWhenSocketBoundThenMode0600AndSecondDaemonRefused() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(daemon.socket())))
        .isEqualTo("rw-------");
    assertThatThrownBy(() -> SandboxDaemon.start(daemon.socket(),
            new Sandboxer(kvm, Clock.systemUTC(), null)))
        .isInstanceOfSatisfying(SandboxException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.SOCKET_IN_USE));
    assertThat(Files.list(dir).filter(p -> p.getFileName().toString().startsWith(".carapace")))
        .isEmpty();
  }

  @Test
  void closeWhenVmsRunningThenEveryVmAndDaemonThreadIsGoneAndSocketRemoved() throws Exception {
    Path k = kernel("k", TinyKernels.printThenHalt("run\n"));
    CountDownLatch seen = new CountDownLatch(1);
    Future<String> console;
    try (SandboxClient c = client()) {
      c.call(create(c, "t1", k).put("vcpus", 2));
      c.call(create(c, "t2", k));
      c.call(c.request("start").put("name", "t1"));
      c.call(c.request("start").put("name", "t2"));
      console = follow("t1", "run\n", seen);
      assertThat(seen.await(30, TimeUnit.SECONDS)).isTrue();
    }

    daemon.close();

    assertThat(console.get(30, TimeUnit.SECONDS)).isEqualTo("run\n");
    assertThat(Files.exists(daemon.socket())).isFalse();
    List<String> leftovers = Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive).map(Thread::getName)
        .filter(n -> n.startsWith("t1-") || n.startsWith("t2-")
            || n.startsWith("carapace-sandbox-") || n.equals("carapace-vmm-devices"))
        .toList();
    assertThat(leftovers).isEmpty();
    assertThatThrownBy(() -> SandboxClient.connect(daemon.socket())).isInstanceOf(
        IOException.class);
  }

  private static TdMeasurements offline(Path kernel, int vcpus) throws Exception {
    LinuxBoot boot = LinuxBoot.builderDecompressingOnHost(KernelImage.read(kernel))
        .commandLine("console=ttyS0").vcpus(vcpus).build();
    SparseGuestMemory m = new SparseGuestMemory(MEMORY);
    BootSetup setup = boot.load(m);
    return LaunchMeasurement.of(m, setup, boot);
  }
}
