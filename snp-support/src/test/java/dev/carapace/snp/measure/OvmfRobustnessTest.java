package dev.carapace.snp.measure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.attestation.model.Bytes;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Mutated firmware images either measure or fail with a {@link MeasurementException}. */
class OvmfRobustnessTest {

  @Test
  void mutatedFooterAndMetadataNeverCrash() {
    byte[] base = MeasureVectors.bytes(MeasureVectors.AMDSEV).toByteArray();
    Random random = new Random(20240501L);
    int measured = 0;
    int rejected = 0;
    for (int i = 0; i < 3000; i++) {
      byte[] img = base.clone();
      int flips = 1 + random.nextInt(4);
      for (int f = 0; f < flips; f++) {
        // the footer table and metadata live in the last ~1400 bytes
        int at = 2700 + random.nextInt(4096 - 2700);
        img[at] = (byte) random.nextInt(256);
      }
      MeasurementInputs in = MeasurementInputs.builder(Bytes.copyOf(img))
          .vcpuType(VcpuType.EPYC_V4).vcpus(2).kernel(Bytes.empty()).build();
      try {
        assertThat(LaunchDigestCalculator.calculate(in).size()).isEqualTo(48);
        measured++;
      } catch (MeasurementException e) {
        assertThat(e.reason()).isNotNull();
        rejected++;
      }
    }
    assertThat(measured).isPositive();
    assertThat(rejected).isPositive();
  }
}
