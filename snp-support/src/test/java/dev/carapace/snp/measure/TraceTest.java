package dev.carapace.snp.measure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.attestation.model.Bytes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Step-by-step comparison with trace_snp_default.json (sev-snp-measure test_snp_default). */
class TraceTest {
  private static final JsonNode TRACE = MeasureVectors.json("trace_snp_default.json");

  private static MeasurementInputs snpDefault() {
    return MeasurementInputs.builder(MeasureVectors.bytes(MeasureVectors.AMDSEV))
        .vcpus(1)
        .vcpuType(VcpuType.EPYC_V4)
        .guestFeatures(0x21)
        .kernel(Bytes.empty())
        .initrd(Bytes.empty())
        .append("console=ttyS0 loglevel=7")
        .build();
  }

  @Test
  void everyStepMatches() throws MeasurementException {
    TracedDigest traced = LaunchDigestCalculator.calculateWithTrace(snpDefault());
    List<TraceStep> steps = traced.steps();
    int i = -1;
    for (JsonNode step : TRACE.get("steps")) {
      Bytes expected = Bytes.fromHex(step.get("ld_after").asText());
      if (step.has("vmsa_sha384")) {
        i++;
        assertThat(steps.get(i).pageType()).isEqualTo(PageType.VMSA);
        assertThat(steps.get(i).gpa()).isEqualTo(LaunchDigest.VMSA_GPA);
        assertThat(steps.get(i).contents())
            .isEqualTo(Bytes.fromHex(step.get("vmsa_sha384").asText()));
      } else {
        long start = MeasureVectors.hex(step.get("gpa_start").asText());
        long pages = MeasureVectors.hex(step.get("len").asText()) / 4096;
        for (long p = 0; p < pages; p++) {
          i++;
          assertThat(steps.get(i).gpa()).as(step.get("step").asText()).isEqualTo(start + p * 4096);
        }
      }
      assertThat(steps.get(i).digestAfter()).as(step.get("step").asText()).isEqualTo(expected);
    }
    assertThat(steps).hasSize(i + 1);
    assertThat(traced.digest()).isEqualTo(Bytes.fromHex(TRACE.get("final").asText()));
  }

  @Test
  void pageTypesFollowTheQemuOrder() throws MeasurementException {
    List<TraceStep> steps = LaunchDigestCalculator.calculateWithTrace(snpDefault()).steps();
    // 1 OVMF page, 9 + 3 SEC_MEM zero, secrets, CPUID, CAA zero, kernel hashes, 15 SEC_MEM, VMSA
    assertThat(steps).extracting(TraceStep::pageType).containsExactly(
        PageType.NORMAL,
        PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO,
        PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO,
        PageType.ZERO, PageType.ZERO, PageType.ZERO,
        PageType.SECRETS, PageType.CPUID, PageType.ZERO, PageType.NORMAL,
        PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO,
        PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO,
        PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO, PageType.ZERO,
        PageType.VMSA);
  }

  @Test
  void firstPageInfoMatches() throws MeasurementException {
    OvmfImage ovmf = OvmfImage.parse(MeasureVectors.bytes(MeasureVectors.AMDSEV));
    assertThat(ovmf.gpa()).isEqualTo(MeasureVectors.hex(TRACE.get("ovmf_gpa").asText()));
    Bytes info = LaunchDigest.pageInfo(LaunchDigest.initial().value(),
        LaunchDigest.sha384(ovmf.data().toByteArray()), PageType.NORMAL, ovmf.gpa());
    assertThat(info).isEqualTo(Bytes.fromHex(TRACE.get("first_page_info_hex").asText()));
    assertThat(LaunchDigest.initial().updatePage(PageType.NORMAL, ovmf.gpa(), ovmf.data()).value())
        .isEqualTo(Bytes.fromHex(TRACE.get("steps").get(0).get("ld_after").asText()));
  }

  @Test
  void hashesTableAndResetEipMatch() throws MeasurementException {
    OvmfImage ovmf = OvmfImage.parse(MeasureVectors.bytes(MeasureVectors.AMDSEV));
    assertThat(ovmf.sevEsResetEip())
        .hasValue(MeasureVectors.hex(TRACE.get("sev_es_reset_eip").asText()));
    assertThat(ovmf.sevHashesTableGpa())
        .hasValue(MeasureVectors.hex(TRACE.get("sev_hashes_table_gpa").asText()));
    SevHashesTable table =
        SevHashesTable.of(Bytes.empty(), Bytes.empty(), "console=ttyS0 loglevel=7");
    assertThat(table.kernelSha256()).isEqualTo(Bytes.fromHex(TRACE.get("kernel_sha256").asText()));
    assertThat(table.initrdSha256()).isEqualTo(Bytes.fromHex(TRACE.get("initrd_sha256").asText()));
    String cmdlineKey = "cmdline_sha256_of_'console=ttyS0 loglevel=7\\0'";
    assertThat(table.cmdlineSha256()).isEqualTo(Bytes.fromHex(TRACE.get(cmdlineKey).asText()));
    assertThat(table.toBytes())
        .isEqualTo(Bytes.fromHex(TRACE.get("sev_hashes_table_hex").asText()));
  }

  @Test
  void sevModesHaveNoTrace() throws MeasurementException {
    MeasurementInputs in = MeasurementInputs.builder(MeasureVectors.bytes(MeasureVectors.AMDSEV))
        .mode(SevMode.SEV).build();
    assertThat(LaunchDigestCalculator.calculateWithTrace(in).steps()).isEmpty();
  }
}
