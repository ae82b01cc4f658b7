package dev.carapace.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.AttestationServiceApplication;
import dev.carapace.keybroker.store.JdbcKeyValueStore;
import dev.carapace.keybroker.store.KeyValueStore.Durability;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Replicas on a real PostgreSQL server: the store's semantics, and two brokers with separate
 * data directories (as on two machines) sharing the database, the master key and a remote
 * attestation service: a guest authenticates on one, attests on the other and fetches from the
 * first. Skipped when PostgreSQL is not installed.
 */
class PostgresReplicasTest {
  static PostgresServer pg;

  @BeforeAll
  static void startPostgres() throws Exception {
    Optional<Path> bin = PostgresServer.find();
    Assumptions.assumeTrue(bin.isPresent(), "PostgreSQL (initdb, pg_ctl) is not installed;"
        + " apt-get install postgresql to run the replica tests on a real database");
    pg = PostgresServer.start(bin.get());
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void storeWhenWrittenThenReadDeletedAndRefusedTwiceByPutIfAbsent() throws Exception {
    try (JdbcKeyValueStore store = new JdbcKeyValueStore(pg.jdbcUrl(), "postgres", null)) {
      assertThat(store.get("test", "a")).isEmpty();
      store.put("test", "a", new byte[] {1, 2}, Durability.DURABLE);
      store.put("test", "a", new byte[] {3}, Durability.DURABLE);
      assertThat(store.get("test", "a")).hasValueSatisfying(v -> assertThat(v).containsExactly(3));
      assertThat(store.putIfAbsent("test", "b", new byte[] {4}, Durability.VOLATILE)).isTrue();
      assertThat(store.putIfAbsent("test", "b", new byte[] {5}, Durability.VOLATILE)).isFalse();
      assertThat(store.get("test", "b")).hasValueSatisfying(v -> assertThat(v).containsExactly(4));
      assertThat(store.keys("test")).containsExactlyInAnyOrder("a", "b");
      assertThat(store.delete("test", "a")).isTrue();
      assertThat(store.delete("test", "a")).isFalse();
      assertThat(store.keys("other")).isEmpty();
    }
  }

  @Test
  void twoReplicasOnOneDatabaseServeOneGuestSession() throws Exception {
    Path root = Fixtures.dataDirectory();
    Path masterKey = root.resolve("shared-master.key");
    Files.write(masterKey, Bytes.fromHex("11".repeat(32)).toByteArray());
    Bytes mrTd = Bytes.fromHex("f6".repeat(48));
    byte[] secret = "replicated secret".getBytes(StandardCharsets.US_ASCII);
    try (ConfigurableApplicationContext as = new SpringApplicationBuilder(
        AttestationServiceApplication.class).run("--server.port=0",
        "--carapace.attestation.data-dir=" + root.resolve("attestation"),
        "--carapace.attestation.dev=true", "--carapace.attestation.snp.dev-products=Genoa")) {
      URI asUrl = URI.create("http://127.0.0.1:" + port(as));
      HttpResponse<String> rv = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          asUrl.resolve("/reference-values")).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"tdx.mr_td\",\"values\":[\""
              + mrTd.toHex() + "\"]}")).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(rv.statusCode()).isEqualTo(201);
      try (ConfigurableApplicationContext a = replica(root.resolve("a"), asUrl, masterKey, root);
          ConfigurableApplicationContext b = replica(root.resolve("b"), asUrl, masterKey, root)) {
        URI kbsA = URI.create("http://127.0.0.1:" + port(a));
        URI kbsB = URI.create("http://127.0.0.1:" + port(b));
        HttpResponse<String> put = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            kbsA.resolve("/kbs/v0/resource/default/key/replicated"))
            .header("Authorization", "Bearer " + Fixtures.adminToken())
            .POST(HttpRequest.BodyPublishers.ofByteArray(secret)).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(200);

        TestGuest onA = TestGuest.tdx(kbsA, Fixtures.tdxSimulator(), mrTd);
        String nonce = onA.auth().nonce();
        HttpResponse<String> attestOnB = onA.http.send(HttpRequest.newBuilder(
            kbsB.resolve("/kbs/v0/attest")).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(onA.attestation(nonce))).build(),
            HttpResponse.BodyHandlers.ofString());
        assertThat(attestOnB.statusCode()).as(attestOnB.body()).isEqualTo(200);
        HttpResponse<String> r = onA.get("/kbs/v0/resource/default/key/replicated");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(onA.decrypt(r.body())).isEqualTo(secret);
        assertThat(Files.exists(root.resolve("a").resolve("state"))).isFalse();
      }
    }
  }

  private static ConfigurableApplicationContext replica(Path data, URI asUrl, Path masterKey,
      Path root) {
    return new SpringApplicationBuilder(KeyBrokerApplication.class).run("--server.port=0",
        "--carapace.kbs.data-dir=" + data, "--carapace.kbs.attestation-url=" + asUrl,
        "--carapace.kbs.master-key=" + masterKey,
        "--carapace.kbs.store.jdbc-url=" + pg.jdbcUrl(), "--carapace.kbs.store.user=postgres",
        "--carapace.kbs.admin.public-keys[0]=" + Fixtures.adminKeyFile(root));
  }

  private static int port(ConfigurableApplicationContext c) {
    return Integer.parseInt(c.getEnvironment().getProperty("local.server.port"));
  }
}
