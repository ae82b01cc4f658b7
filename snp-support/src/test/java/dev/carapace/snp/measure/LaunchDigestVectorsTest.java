package dev.carapace.snp.measure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.attestation.model.Bytes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every digest vector of sev-snp-measure's tests/test_guest.py (vectors/measure/vectors.json). */
class LaunchDigestVectorsTest {

  static Stream<Arguments> vectors() {
    List<Arguments> out = new ArrayList<>();
    for (JsonNode v : MeasureVectors.json("vectors.json").get("vectors")) {
      out.add(Arguments.of(v.get("name").asText(), v));
    }
    return out.stream();
  }

  @Test
  void allTwentyTwoVectorsAreListed() {
    assertThat(vectors()).hasSize(22);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("vectors")
  void digestMatches(String name, JsonNode v) throws MeasurementException {
    Bytes ovmf = MeasureVectors.bytes(v.get("ovmf").asText());
    String mode = v.get("mode").asText();
    Bytes expected = Bytes.fromHex(v.get("expected_digest").asText());
    if (mode.equals("snp:ovmf-hash")) {
      assertThat(LaunchDigestCalculator.ovmfHash(ovmf)).isEqualTo(expected);
      return;
    }
    MeasurementInputs.Builder b = MeasurementInputs.builder(ovmf)
        .mode(SevMode.fromName(mode).orElseThrow())
        .vcpus(v.get("vcpus").asInt())
        .vmmType(VmmType.fromName(v.get("vmm_type").asText()).orElseThrow())
        .guestFeatures(MeasureVectors.hex(v.get("guest_features").asText()))
        .kernel(file(v.get("kernel")))
        .initrd(file(v.get("initrd")))
        .append(v.get("append").isNull() ? null : v.get("append").asText());
    if (!v.get("vcpu_type").isNull()) {
      VcpuType type = VcpuType.fromName(v.get("vcpu_type").asText()).orElseThrow();
      assertThat(type.signature()).isEqualTo((int) MeasureVectors.hex(v.get("vcpu_sig").asText()));
      b.vcpuType(type);
    }
    if (!v.get("snp_ovmf_hash").isNull()) {
      b.ovmfHash(Bytes.fromHex(v.get("snp_ovmf_hash").asText()));
    }
    Bytes digest = LaunchDigestCalculator.calculate(b.build());
    assertThat(digest.size()).isEqualTo(SevMode.fromName(mode).orElseThrow().digestLength());
    assertThat(digest).isEqualTo(expected);
  }

  /** The vectors name /dev/null for an empty kernel or initrd; null means "not given". */
  private static Bytes file(JsonNode path) {
    if (path.isNull()) {
      return null;
    }
    assertThat(path.asText()).isEqualTo("/dev/null");
    return Bytes.empty();
  }
}
