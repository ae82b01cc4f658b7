package dev.carapace.attestation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttestationServiceApplicationTest {
  @Test
  void translateWhenShortOptionsThenSpringProperties() {
    assertThat(AttestationServiceApplication.translate(
        new String[] {"--port", "9090", "--data", "/srv/as", "--dev",
            "--carapace.attestation.token-lifetime=PT1M"}))
        .containsExactly("--server.port=9090", "--carapace.attestation.data-dir=/srv/as",
            "--carapace.attestation.dev=true", "--carapace.attestation.token-lifetime=PT1M");
    assertThat(AttestationServiceApplication.translate(new String[] {"--port=1", "--data=d",
        "--address", "0.0.0.0"}))
        .containsExactly("--server.port=1", "--carapace.attestation.data-dir=d",
            "--server.address=0.0.0.0");
  }

  @Test
  void translateWhenOptionWithoutValueThenRefused() {
    assertThatThrownBy(() -> AttestationServiceApplication.translate(new String[] {"--port"}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> AttestationServiceApplication.translate(
        new String[] {"--data", "--dev"})).isInstanceOf(IllegalArgumentException.class);
  }
}
