package dev.carapace.attestation.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The service started as {@code main} does, on embedded defaults and an empty data directory;
 * policies, reference values and the signing key survive a restart.
 */
class RestartTest {
  @TempDir Path data;

  private ConfigurableApplicationContext start() {
    return new SpringApplicationBuilder(AttestationServiceApplication.class).run(
        AttestationServiceApplication.translate(new String[] {"--port", "0", "--data",
            data.toString(), "--dev", "--carapace.attestation.snp.dev-products=Genoa"})
            .toArray(String[]::new));
  }

  private static ServiceClient client(ConfigurableApplicationContext ctx) {
    return new ServiceClient(((WebServerApplicationContext) ctx).getWebServer().getPort());
  }

  @Test
  void restartWhenDataWrittenThenPoliciesReferenceValuesAndSigningKeySurvive() throws Exception {
    String policy = "id: kept\nversion: 1\ntrustworthiness:\n  hardware:\n    rules:\n"
        + "      - when: claims.tdx.tcb_status == \"UpToDate\"\n        value: 2\n";
    String jwks;
    try (ConfigurableApplicationContext ctx = start()) {
      ServiceClient c = client(ctx);
      assertThat(c.put("/policy/kept", "application/yaml", policy).statusCode()).isEqualTo(201);
      assertThat(c.postJson("/reference-values",
          "{\"name\":\"tdx.mr_td\",\"values\":[\"00\"]}").statusCode()).isEqualTo(201);
      jwks = c.get("/.well-known/jwks.json").body();
    }
    assertThat(Files.exists(data.resolve("dev-pki/tdx/root-ca.pem"))).isTrue();
    assertThat(Files.exists(data.resolve("dev-pki/snp/genoa/ark.pem"))).isTrue();
    try (ConfigurableApplicationContext ctx = start()) {
      ServiceClient c = client(ctx);
      assertThat(c.get("/policy/kept").body()).isEqualTo(policy);
      JsonNode rv = ServiceClient.json(c.get("/reference-values/tdx.mr_td"));
      assertThat(rv.get("values").get(0).asText()).isEqualTo("00");
      assertThat(c.get("/.well-known/jwks.json").body()).isEqualTo(jwks);
    }
  }
}
