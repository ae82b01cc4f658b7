package dev.carapace.benchmarks;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.attester.DevelopmentTdxAttester;
import dev.carapace.guest.kbs.KbsClient;
import dev.carapace.guest.kbs.Resource;
import dev.carapace.guest.key.TeeKeyAlgorithm;
import dev.carapace.guest.key.TeeKeyPair;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Load generator for complete key releases against a running key broker: every iteration is a
 * new guest session doing {@code POST /auth}, {@code POST /attest} (a fresh simulated TDX quote
 * bound to the new nonce and the guest's TEE key) and {@code GET /resource} (JWE decrypted and
 * checked), with our guest client. Closed-loop clients on loopback for a bounded time; prints
 * releases per second and latency percentiles. Provisions a reference value and a resource first
 * through the admin API.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.carapace.benchmarks.KeyReleaseLoadTest \
 *     URL BROKER_DATA_DIR ADMIN_KEY_PKCS8_PEM [SECONDS=20] [CLIENTS=8] [WARMUP_SECONDS=10]
 * </pre>
 */
public final class KeyReleaseLoadTest {
  private static final String RESOURCE = "default/key/bench";

  private KeyReleaseLoadTest() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: KeyReleaseLoadTest URL DATA_DIR ADMIN_KEY [SECONDS] [CLIENTS]"
          + " [WARMUP]");
      System.exit(2);
    }
    URI kbs = URI.create(args[0].replaceAll("/$", ""));
    if (!kbs.getHost().equals("127.0.0.1") && !kbs.getHost().equals("localhost")) {
      throw new IllegalArgumentException("load tests target loopback only");
    }
    Path data = Path.of(args[1]);
    PrivateKey admin = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(
        Base64.getMimeDecoder().decode(Files.readString(Path.of(args[2]))
            .replaceAll("-----[A-Z ]+-----", ""))));
    int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int clients = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    int warmup = args.length > 5 ? Integer.parseInt(args[5]) : 10;

    Provider bc = new BouncyCastleProvider();
    SecureRandom random = new SecureRandom();
    Bytes mrTd = Bytes.fromHex("5a".repeat(48));
    byte[] secret = new byte[32];
    random.nextBytes(secret);
    provision(kbs, admin, mrTd, secret);
    DevelopmentPki pki = DevelopmentPki.readFrom(
        data.resolve("attestation").resolve("dev-pki").resolve("tdx"), bc);

    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong errors = new AtomicLong();
    List<long[]> perThread = Collections.synchronizedList(new ArrayList<>());
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      TdxQuoteSimulator sim = new TdxQuoteSimulator(pki, SimulatedPlatform.defaults(), random,
          bc, Clock.systemUTC());
      TeeKeyPair key = TeeKeyPair.generate(TeeKeyAlgorithm.EC_P256, random, bc);
      HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      DevelopmentTdxAttester attester = DevelopmentTdxAttester.of(sim, mrTd,
          List.of(Bytes.zeros(48), Bytes.zeros(48), Bytes.zeros(48), Bytes.zeros(48)));
      Thread t = new Thread(() -> {
        long[] lat = new long[1 << 20];
        int n = 0;
        while (!stop.get()) {
          long start = System.nanoTime();
          try {
            Resource r = KbsClient.builder(kbs).attester(attester).keyPair(key).httpClient(http)
                .clock(Clock.systemUTC()).random(random).provider(bc).build()
                .getResource(RESOURCE);
            if (!Arrays.equals(r.plaintext().toByteArray(), secret)) {
              throw new IllegalStateException("wrong secret");
            }
            if (measuring.get() && n < lat.length) {
              lat[n++] = System.nanoTime() - start;
            }
          } catch (Exception e) {
            if (measuring.get()) {
              errors.incrementAndGet();
              if (errors.get() < 5) {
                System.err.println("error: " + e);
              }
            }
          }
        }
        perThread.add(Arrays.copyOf(lat, n));
      }, "client-" + c);
      threads.add(t);
    }
    threads.forEach(Thread::start);
    System.out.printf("warm-up %d s with %d clients...%n", warmup, clients);
    Thread.sleep(warmup * 1000L);
    String brokerPid = System.getProperty("broker.pid");
    com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
        java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    long brokerCpu0 = brokerPid == null ? 0 : cpuTicks(brokerPid);
    long clientCpu0 = os.getProcessCpuTime();
    measuring.set(true);
    long t0 = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    long elapsed = System.nanoTime() - t0;
    long clientCpu = os.getProcessCpuTime() - clientCpu0;
    long brokerCpu = brokerPid == null ? -1 : (cpuTicks(brokerPid) - brokerCpu0) * 10_000_000L;
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    long[] all = perThread.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    double rate = all.length / (elapsed / 1e9);
    System.out.printf("complete key releases (auth + attest + resource, new session each):%n");
    System.out.printf("  clients %d, %d s: %d releases, %.0f/s, errors %d%n", clients, seconds,
        all.length, rate, errors.get());
    System.out.printf("  latency ms: p50 %.1f  p90 %.1f  p99 %.1f  max %.1f%n", pct(all, 50),
        pct(all, 90), pct(all, 99), all.length == 0 ? 0 : all[all.length - 1] / 1e6);
    if (all.length > 0) {
      System.out.printf("  CPU per release: client %.2f ms%s%n", clientCpu / 1e6 / all.length,
          brokerCpu < 0 ? "" : String.format(", broker %.2f ms", brokerCpu / 1e6 / all.length));
    }
  }

  /** utime + stime of a process in clock ticks (USER_HZ = 100 on Linux). */
  private static long cpuTicks(String pid) throws java.io.IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static double pct(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return sorted[Math.max(0, i)] / 1e6;
  }

  private static void provision(URI kbs, PrivateKey admin, Bytes mrTd, byte[] secret)
      throws Exception {
    String values = "{\"tdx.mr_td\":[\"" + mrTd.toHex() + "\"]}";
    post(kbs, admin, "/kbs/v0/reference-value", ("{\"version\":\"0.1.0\",\"type\":\"sample\","
        + "\"payload\":\"" + Base64.getEncoder().encodeToString(
            values.getBytes(StandardCharsets.UTF_8)) + "\"}").getBytes(StandardCharsets.UTF_8));
    post(kbs, admin, "/kbs/v0/resource/" + RESOURCE, secret);
  }

  private static void post(URI kbs, PrivateKey admin, String path, byte[] body)
      throws Exception {
    long now = Instant.now().getEpochSecond();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String h = b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}".getBytes());
    String c = b64.encodeToString(("{\"role\":\"admin\",\"exp\":" + (now + 300) + "}")
        .getBytes());
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(admin);
    s.update((h + "." + c).getBytes(StandardCharsets.US_ASCII));
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
        kbs.resolve(path)).header("Authorization", "Bearer " + h + "." + c + "."
        + b64.encodeToString(s.sign())).POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(path + ": " + r.statusCode() + " " + r.body());
    }
  }
}
