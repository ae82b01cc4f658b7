package dev.carapace.attestation.service.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.attestation.service.DevelopmentFixtures;
import dev.carapace.attestation.service.IndependentTokenVerifier;
import dev.carapace.attestation.service.MutableClock;
import dev.carapace.attestation.service.ServiceClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * One service in dev mode (development roots trusted, sample TEE on) on a random port, shared by
 * the subclasses, with a clock the tests can move. Subclasses talk to it over real HTTP.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@Import(DevModeHttpTest.TestClock.class)
abstract class DevModeHttpTest {
  static final Path DATA = DevelopmentFixtures.dataDirectory("as-dev-");
  static final MutableClock CLOCK = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));

  @TestConfiguration
  static class TestClock {
    @Bean
    @Primary
    Clock testClock() {
      return CLOCK;
    }
  }

  @DynamicPropertySource
  static void properties(DynamicPropertyRegistry r) {
    r.add("carapace.attestation.data-dir", DATA::toString);
    r.add("carapace.attestation.dev", () -> "true");
    r.add("carapace.attestation.snp.dev-products", () -> "Genoa");
  }

  @LocalServerPort int port;
  ServiceClient client;

  @BeforeEach
  void client() {
    client = new ServiceClient(port);
  }

  /** The token's claims, verified with jose4j against the service's JWKS. */
  JsonNode verifiedClaims(HttpResponse<String> response) throws Exception {
    String jwks = client.get("/.well-known/jwks.json").body();
    return IndependentTokenVerifier.verify(response.body(), jwks, CLOCK.instant());
  }

  static JsonNode cpu0(JsonNode claims) {
    return claims.get("submods").get("cpu0");
  }
}
