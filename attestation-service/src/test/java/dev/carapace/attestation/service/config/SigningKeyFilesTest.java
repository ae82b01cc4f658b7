package dev.carapace.attestation.service.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.service.MutableClock;
import dev.carapace.attestation.service.TestVectors;
import dev.carapace.attestation.service.store.FileSigningKeyStore;
import dev.carapace.attestation.service.token.SigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A configured key and certificate give the JWKS Trustee's AS gives for them. */
class SigningKeyFilesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();

  @TempDir Path dir;

  @Test
  void jwksWhenTrusteeFixtureKeyAndChainThenExpectedXyAndX5c() throws Exception {
    Path key = dir.resolve("signing-key.pem");
    Path chain = dir.resolve("cert-chain.pem");
    Files.write(key, TestVectors.bytes("trustee/as-jwks-fixture/signing-key.pem"));
    Files.write(chain, TestVectors.bytes("trustee/as-jwks-fixture/cert-chain.pem"));
    SigningKeys keys = new SigningKeys(new FileSigningKeyStore(dir.resolve("keys"), MAPPER),
        SigningKeyFiles.read(key, chain), Duration.ofMinutes(5), Duration.ofDays(90),
        new MutableClock(Instant.parse("2026-01-01T00:00:00Z")), new SecureRandom(),
        BC);
    JsonNode got = MAPPER.readTree(keys.jwksJson()).get("keys");
    JsonNode want = TestVectors.json("trustee/as-jwks-fixture/expected-jwks.json").get("keys");
    assertThat(got).hasSize(1);
    for (String f : new String[] {"kty", "crv", "alg", "x", "y", "x5c"}) {
      assertThat(got.get(0).get(f)).as(f).isEqualTo(want.get(0).get(f));
    }
    // The configured private key is never copied into the data directory.
    JsonNode saved = MAPPER.readTree(dir.resolve("keys").resolve(FileSigningKeyStore.FILE_NAME)
        .toFile());
    assertThat(saved.get("keys").get(0).has("private_key")).isFalse();
  }

  @Test
  void signingKeysWhenConfiguredKeyReplacesGeneratedOneThenGeneratedOneRetired()
      throws Exception {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    FileSigningKeyStore store = new FileSigningKeyStore(dir.resolve("keys"), MAPPER);
    String generated = new SigningKeys(store, null, Duration.ofMinutes(5), Duration.ofDays(90),
        clock, new SecureRandom(), BC).current().kid();
    Path key = dir.resolve("signing-key.pem");
    Files.write(key, TestVectors.bytes("trustee/as-jwks-fixture/signing-key.pem"));
    SigningKeys keys = new SigningKeys(store, SigningKeyFiles.read(key, null),
        Duration.ofMinutes(5), Duration.ofDays(90), clock, new SecureRandom(), BC);
    assertThat(keys.current().kid()).isNotEqualTo(generated);
    assertThat(keys.jwksJson()).contains(generated);
    clock.advance(Duration.ofMinutes(5));
    assertThat(keys.jwksJson()).doesNotContain(generated);
  }
}
