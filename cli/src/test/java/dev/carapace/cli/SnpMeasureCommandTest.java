package dev.carapace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code carapace snp measure} against sev-snp-measure's own test vectors. */
class SnpMeasureCommandTest {
  private static final String MEASURE = "../snp-support/src/test/resources/vectors/measure/";

  private static JsonNode vector(String name) throws Exception {
    for (JsonNode v : Json.MAPPER.readTree(Path.of(MEASURE + "vectors.json").toFile())
        .get("vectors")) {
      if (v.get("name").asText().equals(name)) {
        return v;
      }
    }
    throw new AssertionError("no vector " + name);
  }

  @Test
  void measureWhenSevSnpMeasureDefaultVectorThenPrintsItsDigest(@TempDir Path dir)
      throws Exception {
    JsonNode v = vector("test_snp_default");
    Path empty = Files.createFile(dir.resolve("empty"));
    CarapaceCliTest.Run r = CarapaceCliTest.run("snp", "measure",
        "--ovmf", MEASURE + v.get("ovmf").asText(), "--kernel", empty.toString(),
        "--initrd", empty.toString(), "--append", v.get("append").asText(),
        "--vcpus", v.get("vcpus").asText(), "--vcpu-type", v.get("vcpu_type").asText(),
        "--guest-features", v.get("guest_features").asText());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out().trim()).isEqualTo(v.get("expected_digest").asText());
  }

  @Test
  void measureWhenFourVcpusThenJsonCarriesThatVectorsDigest(@TempDir Path dir) throws Exception {
    JsonNode v = vector("test_snp_with_multiple_vcpus_default");
    Path empty = Files.createFile(dir.resolve("empty"));
    CarapaceCliTest.Run r = CarapaceCliTest.run("snp", "measure",
        "--ovmf", MEASURE + v.get("ovmf").asText(), "--kernel", empty.toString(),
        "--initrd", empty.toString(), "--append", "", "--vcpus", "4",
        "--vcpu-sig", v.get("vcpu_sig").asText(), "--guest-features", "0x21", "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Json.MAPPER.readTree(r.out()).get("measurement").asText())
        .isEqualTo(v.get("expected_digest").asText());
  }

  @Test
  void measureWhenOvmfIsNotFirmwareThenRejected(@TempDir Path dir) throws Exception {
    Path junk = Files.write(dir.resolve("junk.fd"), new byte[8192]);
    assertThat(CarapaceCliTest.run("snp", "measure", "--ovmf", junk.toString(),
        "--vcpu-type", "EPYC-v4").exit()).isEqualTo(1);
    assertThat(CarapaceCliTest.run("snp", "measure", "--ovmf", junk.toString(),
        "--vmm-type", "XEN").exit()).isEqualTo(2);
  }
}
