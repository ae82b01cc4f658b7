package dev.carapace.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Load generator for {@code POST /attestation}: simulated-TDX evidence signed by the service's
 * own development PKI ({@code DATA/dev-pki/tdx}), with runtime data bound into report_data the
 * way CoCo guests bind it. Runs a fixed number of closed-loop clients on loopback for a bounded
 * time and prints throughput and latency percentiles. Stops by itself.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar dev.carapace.benchmarks.AttestationLoadTest \
 *     URL DATA_DIR [SECONDS=20] [CLIENTS=8] [WARMUP_SECONDS=10]
 * </pre>
 */
public final class AttestationLoadTest {
  private static final int DISTINCT_REQUESTS = 64;

  private AttestationLoadTest() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: AttestationLoadTest URL DATA_DIR [SECONDS] [CLIENTS] [WARMUP]");
      System.exit(2);
    }
    URI url = URI.create(args[0].replaceAll("/$", "") + "/attestation");
    Path dataDir = Path.of(args[1]);
    int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 20;
    int clients = args.length > 3 ? Integer.parseInt(args[3]) : 8;
    int warmup = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    if (!url.getHost().equals("127.0.0.1") && !url.getHost().equals("localhost")) {
      throw new IllegalArgumentException("load tests target loopback only");
    }
    List<String> bodies = requests(dataDir);
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    System.out.printf("warming up %d s with %d clients...%n", warmup, clients);
    run(http, url, bodies, clients, warmup);
    System.out.printf("measuring %d s with %d clients...%n", seconds, clients);
    Result r = run(http, url, bodies, clients, seconds);
    long[] lat = r.latenciesNanos;
    Arrays.sort(lat);
    System.out.printf("requests %d, errors %d, throughput %.0f attestations/s%n", lat.length,
        r.errors, lat.length / (double) seconds);
    System.out.printf("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  p99.9 %.2f  max %.2f%n",
        pct(lat, 50), pct(lat, 90), pct(lat, 99), pct(lat, 99.9), lat[lat.length - 1] / 1e6);
  }

  private record Result(long[] latenciesNanos, long errors) {}

  private static Result run(HttpClient http, URI url, List<String> bodies, int clients,
      int seconds) throws InterruptedException {
    AtomicBoolean stop = new AtomicBoolean();
    AtomicLong errors = new AtomicLong();
    List<long[]> perClient = new ArrayList<>();
    int[] counts = new int[clients];
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      long[] lat = new long[2_000_000];
      perClient.add(lat);
      int id = c;
      Thread t = new Thread(() -> {
        int i = id;
        while (!stop.get() && counts[id] < lat.length) {
          HttpRequest req = HttpRequest.newBuilder(url)
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(bodies.get(i++ % bodies.size())))
              .build();
          long start = System.nanoTime();
          try {
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200) {
              if (errors.incrementAndGet() == 1) {
                System.err.println("first error: HTTP " + resp.statusCode() + " " + resp.body());
              }
              continue;
            }
          } catch (Exception e) {
            errors.incrementAndGet();
            continue;
          }
          lat[counts[id]++] = System.nanoTime() - start;
        }
      });
      threads.add(t);
      t.start();
    }
    Thread.sleep(seconds * 1000L);
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    long[] all = new long[total];
    int pos = 0;
    for (int c = 0; c < clients; c++) {
      System.arraycopy(perClient.get(c), 0, all, pos, counts[c]);
      pos += counts[c];
    }
    return new Result(all, errors.get());
  }

  private static double pct(long[] sorted, double p) {
    int idx = (int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1);
    return sorted[Math.max(0, idx)] / 1e6;
  }

  /** Distinct attestation requests: fresh nonce and TEE key per request, bound into the quote. */
  private static List<String> requests(Path dataDir) throws Exception {
    Provider bc = new BouncyCastleProvider();
    SecureRandom random = new SecureRandom();
    DevelopmentPki pki = DevelopmentPki.readFrom(dataDir.resolve("dev-pki").resolve("tdx"), bc);
    TdxQuoteSimulator sim = new TdxQuoteSimulator(pki, SimulatedPlatform.defaults(), random, bc,
        Clock.systemUTC());
    ObjectMapper json = new ObjectMapper()
        .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    Base64.Encoder b64url = Base64.getUrlEncoder().withoutPadding();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < DISTINCT_REQUESTS; i++) {
      byte[] nonce = new byte[32];
      random.nextBytes(nonce);
      byte[] x = new byte[32];
      byte[] y = new byte[32];
      random.nextBytes(x);
      random.nextBytes(y);
      Map<String, Object> pub = new TreeMap<>(Map.of("alg", "ECDH-ES+A256KW", "crv", "P-256",
          "kty", "EC", "x", b64url.encodeToString(x), "y", b64url.encodeToString(y)));
      Map<String, Object> runtime = new TreeMap<>(Map.of(
          "nonce", Base64.getEncoder().encodeToString(nonce), "tee-pubkey", pub));
      // RFC 8785 for an object of ASCII strings: sorted keys, no white space.
      byte[] canonical = json.writeValueAsBytes(runtime);
      byte[] reportData = Arrays.copyOf(
          MessageDigest.getInstance("SHA-384").digest(canonical), 64);
      byte[] quote = sim.quote(TdQuoteRequest.of(Bytes.zeros(48), Bytes.copyOf(reportData)));
      String evidence = b64url.encodeToString(json.writeValueAsBytes(
          Map.of("quote", Base64.getEncoder().encodeToString(quote))));
      Map<String, Object> vr = Map.of("tee", "tdx", "evidence", evidence,
          "runtime_data", Map.of("structured", runtime));
      out.add(json.writeValueAsString(Map.of("verification_requests", List.of(vr),
          "policy_ids", List.of())));
    }
    System.out.printf("prepared %d requests (report_data = SHA-384(JCS(runtime_data)))%n",
        out.size());
    return out;
  }
}
