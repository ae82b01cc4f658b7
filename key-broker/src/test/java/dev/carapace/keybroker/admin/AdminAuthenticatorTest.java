package dev.carapace.keybroker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.keybroker.admin.AdminAuthenticator.AdminRefusedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdminAuthenticatorTest {
  private static final Instant IN_WINDOW = Instant.ofEpochSecond(1_800_000_000L);

  @Test
  void trusteeDockerComposeTokenIsAcceptedWithItsIssuerAudienceAndRole(@TempDir Path dir)
      throws Exception {
    JsonNode v = new ObjectMapper().readTree(getClass().getResourceAsStream(
        "/vectors/kbs-protocol-test-vectors.json")).get("admin_token_eddsa");
    Path pem = dir.resolve("admin.pub");
    Files.writeString(pem, v.get("public_key_pem").asText());
    AdminAuthenticator auth = new AdminAuthenticator(AdminAuthenticator.readKeys(List.of(pem)),
        Set.of("admin"), "TrusteeInDocker", "KBS", Clock.fixed(IN_WINDOW, ZoneOffset.UTC));
    assertThat(auth.authenticate("Bearer " + v.get("token").asText())).isEqualTo("admin");

    AdminAuthenticator otherIssuer = new AdminAuthenticator(
        AdminAuthenticator.readKeys(List.of(pem)), Set.of("admin"), "someone-else", null,
        Clock.fixed(IN_WINDOW, ZoneOffset.UTC));
    assertThatThrownBy(() -> otherIssuer.authenticate("Bearer " + v.get("token").asText()))
        .isInstanceOf(AdminRefusedException.class).hasMessageContaining("issuer");
    AdminAuthenticator afterExpiry = new AdminAuthenticator(
        AdminAuthenticator.readKeys(List.of(pem)), Set.of("admin"), null, null,
        Clock.fixed(Instant.ofEpochSecond(2_075_360_000L + 60), ZoneOffset.UTC));
    assertThatThrownBy(() -> afterExpiry.authenticate("Bearer " + v.get("token").asText()))
        .isInstanceOf(AdminRefusedException.class).hasMessageContaining("expired");
  }

  @Test
  void mintedTokenIsAcceptedOnlyForTheConfiguredKeyAndRole(@TempDir Path dir) throws Exception {
    var key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    Path pem = dir.resolve("k.pub");
    Files.writeString(pem, "-----BEGIN PUBLIC KEY-----\n" + java.util.Base64.getMimeEncoder()
        .encodeToString(key.getPublic().getEncoded()) + "\n-----END PUBLIC KEY-----\n");
    Clock clock = Clock.fixed(IN_WINDOW, ZoneOffset.UTC);
    AdminAuthenticator auth = new AdminAuthenticator(AdminAuthenticator.readKeys(List.of(pem)),
        Set.of("admin"), null, null, clock);
    assertThat(auth.authenticate("Bearer " + AdminTokens.ed25519(key.getPrivate(), "ops",
        "admin", IN_WINDOW, Duration.ofMinutes(5)))).isEqualTo("ops");
    assertThatThrownBy(() -> auth.authenticate("Bearer " + AdminTokens.ed25519(
        key.getPrivate(), "ops", "reader", IN_WINDOW, Duration.ofMinutes(5))))
        .isInstanceOf(AdminRefusedException.class).hasMessageContaining("role");
    var other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    assertThatThrownBy(() -> auth.authenticate("Bearer " + AdminTokens.ed25519(
        other.getPrivate(), "ops", "admin", IN_WINDOW, Duration.ofMinutes(5))))
        .isInstanceOf(AdminRefusedException.class).hasMessageContaining("not signed");
    AdminAuthenticator none = new AdminAuthenticator(List.of(), Set.of("admin"), null, null,
        clock);
    assertThatThrownBy(() -> none.authenticate("Bearer x.y.z"))
        .isInstanceOf(AdminRefusedException.class).hasMessageContaining("disabled");
  }
}
