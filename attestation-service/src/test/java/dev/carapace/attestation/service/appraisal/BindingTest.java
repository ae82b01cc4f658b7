package dev.carapace.attestation.service.appraisal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.TestVectors;
import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** Runtime-data and init-data bindings against Trustee's generated vectors. */
class BindingTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void runtimeDataWhenStructuredThenPaddedDigestIsTheTdxSnpReportData() throws Exception {
    JsonNode v = TestVectors.kbs().get("runtime_data_binding");
    ObjectNode rd = MAPPER.createObjectNode();
    rd.set("structured", v.get("structured_runtime_data"));
    RuntimeDataBinding b = RuntimeDataBinding.of(rd, null).orElseThrow();
    assertThat(b.expected().toHex()).isEqualTo(v.get("digest_hex").asText());
    assertThat(RuntimeDataBinding.regularize(b.expected(), 64).toHex())
        .isEqualTo(v.get("tdx_snp_report_data_64_hex").asText());
    assertThat(Base64.getEncoder().encodeToString(b.expected().toByteArray()))
        .isEqualTo(v.get("sample_report_data_b64std").asText());
  }

  @Test
  void runtimeDataWhenSha512ThenSha512OfTheCanonicalJson() throws Exception {
    JsonNode v = TestVectors.kbs().get("runtime_data_binding");
    ObjectNode rd = MAPPER.createObjectNode();
    rd.set("structured", v.get("structured_runtime_data"));
    RuntimeDataBinding b = RuntimeDataBinding.of(rd, "sha512").orElseThrow();
    byte[] want = java.security.MessageDigest.getInstance("SHA-512").digest(
        v.get("jcs_canonical_string").asText().getBytes(StandardCharsets.UTF_8));
    assertThat(b.expected()).isEqualTo(Bytes.copyOf(want));
  }

  @Test
  void runtimeDataWhenRawThenTheBytesThemselves() throws Exception {
    JsonNode rd = MAPPER.readTree("{\"raw\":\"AAEC\"}");
    assertThat(RuntimeDataBinding.of(rd, null).orElseThrow().expected().toHex())
        .isEqualTo("000102");
  }

  @Test
  void runtimeDataWhenUnknownShapeOrAlgorithmThenInvalidRuntimeData() throws Exception {
    assertThatThrownBy(() -> RuntimeDataBinding.of(MAPPER.readTree("{\"other\":1}"), null))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_RUNTIME_DATA));
    assertThatThrownBy(() -> RuntimeDataBinding.of(MAPPER.readTree("{\"structured\":{}}"), "md5"))
        .isInstanceOfSatisfying(AttestationException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_RUNTIME_DATA));
  }

  @Test
  void regularizeWhenLongerOrShorterThenTruncatedOrZeroPadded() {
    Bytes v = Bytes.fromHex("0102030405");
    assertThat(RuntimeDataBinding.regularize(v, 3).toHex()).isEqualTo("010203");
    assertThat(RuntimeDataBinding.regularize(v, 7).toHex()).isEqualTo("01020304050000");
  }

  @Test
  void initDataWhenTomlThenSha384IsMrConfigIdAndHostDataPrefix() throws Exception {
    JsonNode v = TestVectors.kbs().get("initdata");
    ObjectNode init = MAPPER.createObjectNode().put("init_data_toml", v.get("toml_body").asText());
    InitDataBinding b = InitDataBinding.of(init).orElseThrow();
    assertThat(b.digest().toHex()).isEqualTo(v.get("sha384_hex").asText());
    assertThat(RuntimeDataBinding.regularize(b.digest(), 48).toHex())
        .isEqualTo(v.get("tdx_mr_config_id_hex").asText());
    assertThat(RuntimeDataBinding.regularize(b.digest(), 32).toHex())
        .isEqualTo(v.get("snp_host_data_hex").asText());
    assertThat(b.claims()).containsKey("aa.toml");
    assertThat(MAPPER.valueToTree(b.claims()).at("/aa.toml/token_configs/kbs/url").asText())
        .isEqualTo("http://kbs.example:8080");
  }

  @Test
  void initDataWhenKbsFormatBodyThenSameDigest() throws Exception {
    JsonNode v = TestVectors.kbs().get("initdata");
    ObjectNode init = MAPPER.createObjectNode().put("format", "toml")
        .put("body", v.get("toml_body").asText());
    assertThat(InitDataBinding.of(init).orElseThrow().digest().toHex())
        .isEqualTo(v.get("sha384_hex").asText());
  }

  @Test
  void initDataWhenNoAlgorithmOrNotTomlThenInvalidInitData() throws Exception {
    for (String toml : new String[] {"version = \"0.1.0\"\n", "this is [not toml"}) {
      ObjectNode init = MAPPER.createObjectNode().put("init_data_toml", toml);
      assertThatThrownBy(() -> InitDataBinding.of(init))
          .isInstanceOfSatisfying(AttestationException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_INIT_DATA));
    }
  }
}
