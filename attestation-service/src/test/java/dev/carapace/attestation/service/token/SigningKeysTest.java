package dev.carapace.attestation.service.token;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import dev.carapace.attestation.service.MutableClock;
import dev.carapace.attestation.service.store.FileSigningKeyStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final java.security.Provider BC =
      new org.bouncycastle.jce.provider.BouncyCastleProvider();
  private static final Duration LIFETIME = Duration.ofMinutes(5);
  private static final Duration ROTATION = Duration.ofDays(30);

  @TempDir Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  private SigningKeys keys() {
    return new SigningKeys(new FileSigningKeyStore(dir, MAPPER), null, LIFETIME, ROTATION, clock,
        new SecureRandom(), BC);
  }

  @Test
  void currentWhenRestartedThenSameGeneratedKeyFromPrivateFile() throws Exception {
    String kid = keys().current().kid();
    assertThat(keys().current().kid()).isEqualTo(kid);
    Path file = dir.resolve(FileSigningKeyStore.FILE_NAME);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void currentWhenRotationDueThenNewKeyAndPreviousStaysInJwksUntilItsTokensExpire()
      throws Exception {
    SigningKeys keys = keys();
    AttestationResultIssuer issuer = new AttestationResultIssuer(keys, clock, "test", LIFETIME);
    var old = issuer.issue(Map.of("cpu0", submodule()));
    clock.advance(ROTATION.plusSeconds(1));
    var fresh = issuer.issue(Map.of("cpu0", submodule()));
    assertThat(fresh.kid()).isNotEqualTo(old.kid());
    assertThat(kids(keys.jwksJson())).containsExactly(fresh.kid(), old.kid());
    assertThat(verifies(old.jwt(), keys.jwksJson())).isTrue();
    // After a restart too: the retired key is kept on disk.
    assertThat(kids(keys().jwksJson())).containsExactly(fresh.kid(), old.kid());

    clock.advance(LIFETIME);
    assertThat(kids(keys.jwksJson())).containsExactly(fresh.kid());
    assertThat(kids(keys().jwksJson())).containsExactly(fresh.kid());
  }

  @Test
  void jwksWhenRetiredKeysThenNoPrivateKeyIsKept() throws Exception {
    SigningKeys keys = keys();
    keys.rotate();
    JsonNode saved = MAPPER.readTree(dir.resolve(FileSigningKeyStore.FILE_NAME).toFile());
    assertThat(saved.get("keys")).hasSize(2);
    assertThat(saved.get("keys").get(0).has("private_key")).isTrue();
    assertThat(saved.get("keys").get(1).has("private_key")).isFalse();
    for (JsonNode k : MAPPER.readTree(keys.jwksJson()).get("keys")) {
      assertThat(k.has("d")).isFalse();
    }
  }

  static AttestationResultIssuer.Submodule submodule() {
    return new AttestationResultIssuer.Submodule("affirming", Map.of("hardware", 2), "default",
        Map.of("sample", Map.of("svn", "1")), List.of());
  }

  static List<String> kids(String jwks) throws Exception {
    List<String> out = new ArrayList<>();
    JWKSet.parse(jwks).getKeys().forEach(k -> out.add(k.getKeyID()));
    return out;
  }

  static boolean verifies(String jwt, String jwks) throws Exception {
    JWSObject jws = JWSObject.parse(jwt);
    ECKey key = (ECKey) JWKSet.parse(jwks).getKeyByKeyId(jws.getHeader().getKeyID());
    return key != null && jws.verify(new ECDSAVerifier(key));
  }
}
