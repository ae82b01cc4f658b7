package dev.carapace.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.keybroker.resource.MasterKey;
import dev.carapace.keybroker.resource.ResourceStore;
import dev.carapace.keybroker.store.FileKeyValueStore;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Kills a broker process (SIGKILL) in the middle of a burst of resource writes: every write it
 * acknowledged is readable afterwards, every stored resource opens, and the restarted broker
 * serves an acknowledged resource to an attested guest.
 */
class CrashSafetyTest {
  private static final int WRITERS = 4;

  @Test
  void killDuringWriteBurstLosesNoAcknowledgedWriteAndCorruptsNothing() throws Exception {
    Path data = Fixtures.dataDirectory();
    Map<String, String> acknowledged = new ConcurrentHashMap<>();
    int port = freePort();
    Process broker = start(data, port);
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService writers = Executors.newFixedThreadPool(WRITERS);
    try {
      URI base = awaitHealthy(broker, port);
      String token = Fixtures.adminToken();
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      AtomicInteger next = new AtomicInteger();
      for (int w = 0; w < WRITERS; w++) {
        writers.submit(() -> {
          while (!stop.get()) {
            int i = next.getAndIncrement();
            String tag = "k" + i;
            String value = "value-" + i + "-" + "x".repeat(i % 97);
            try {
              HttpResponse<Void> r = http.send(HttpRequest.newBuilder(
                  base.resolve("/kbs/v0/resource/crash/key/" + tag))
                  .header("Authorization", "Bearer " + token)
                  .timeout(Duration.ofSeconds(5))
                  .POST(HttpRequest.BodyPublishers.ofString(value)).build(),
                  HttpResponse.BodyHandlers.discarding());
              if (r.statusCode() == 200) {
                acknowledged.put(tag, value);
              }
            } catch (IOException | InterruptedException e) {
              return null;
            }
          }
          return null;
        });
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (acknowledged.size() < 150 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    } finally {
      stop.set(true);
      writers.shutdown();
      writers.awaitTermination(20, TimeUnit.SECONDS);
      broker.destroyForcibly();
    }
    assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(150);

    ResourceStore store = new ResourceStore(
        new FileKeyValueStore(data.resolve("state"), Clock.systemUTC()),
        MasterKey.loadOrCreate(data.resolve("master.key"), new SecureRandom()),
        new SecureRandom());
    List<String> paths = store.paths();
    for (String p : paths) {
      assertThat(store.get(p)).as("stored resource %s opens", p).isPresent();
    }
    for (Map.Entry<String, String> e : acknowledged.entrySet()) {
      assertThat(store.get("crash/key/" + e.getKey()).map(b -> new String(b,
          StandardCharsets.UTF_8))).as("acknowledged %s", e.getKey()).contains(e.getValue());
    }

    int port2 = freePort();
    Process restarted = start(data, port2);
    try {
      URI base = awaitHealthy(restarted, port2);
      Map.Entry<String, String> one = acknowledged.entrySet().iterator().next();
      TestGuest g = TestGuest.tdx(base, Fixtures.tdxSimulator(), Bytes.zeros(48));
      String measurement = Bytes.zeros(48).toHex();
      String values = "{\"tdx.mr_td\":[\"" + measurement + "\"]}";
      HttpResponse<String> reg = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          base.resolve("/kbs/v0/reference-value"))
          .header("Authorization", "Bearer " + Fixtures.adminToken())
          .POST(HttpRequest.BodyPublishers.ofString("{\"version\":\"0.1.0\",\"type\":"
              + "\"sample\",\"payload\":\"" + java.util.Base64.getEncoder().encodeToString(
                  values.getBytes(StandardCharsets.UTF_8)) + "\"}")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(reg.statusCode()).as(reg.body()).isEqualTo(200);
      g.handshake();
      HttpResponse<String> r = g.get("/kbs/v0/resource/crash/key/" + one.getKey());
      assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
      assertThat(new String(g.decrypt(r.body()), StandardCharsets.UTF_8))
          .isEqualTo(one.getValue());
    } finally {
      restarted.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private static Process start(Path data, int port) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx256m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"),
        KeyBrokerApplication.class.getName(),
        "--port", Integer.toString(port), "--data", data.toString(), "--dev",
        "--carapace.attestation.snp.dev-products=Genoa",
        "--admin-key", Fixtures.adminKeyFile(data).toString()));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(data.resolve("broker-" + port + ".log").toFile()).start();
  }

  private static URI awaitHealthy(Process p, int port) throws Exception {
    String log = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    HttpClient http = HttpClient.newHttpClient();
    while (System.nanoTime() < deadline && p.isAlive()) {
      try {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(),
            HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return URI.create("http://127.0.0.1:" + port);
        }
      } catch (IOException e) {
        log = e.toString();
      }
      Thread.sleep(200);
    }
    throw new AssertionError("the broker did not become healthy: " + log);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
