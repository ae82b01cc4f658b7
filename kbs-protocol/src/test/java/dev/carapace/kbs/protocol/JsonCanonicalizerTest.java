package dev.carapace.kbs.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonCanonicalizerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void canonicalizeWhenRfc8785SampleThenRfcOutput() throws Exception {
    // RFC 8785 section 3.2.2 / 3.2.3 example input and output.
    String input = "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, "
        + "0.000000000000000000000000001],"
        + "\n  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
        + "\n  \"literals\": [null, true, false]\n}";
    String expected = "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,"
        + "0.002,1e-27],\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";
    assertThat(JsonCanonicalizer.canonicalize(MAPPER.readTree(input))).isEqualTo(expected);
  }

  @Test
  void canonicalizeWhenKeysNeedUtf16OrderThenSortedByCodeUnits() throws Exception {
    // RFC 8785 3.2.3: sorting by UTF-16 code units puts U+1F600 (surrogates D83D..) before U+FB33.
    String input = "{\"\\u20ac\": \"Euro Sign\", \"\\r\": \"Carriage Return\", \"\\ufb33\": "
        + "\"Hebrew Letter Dalet With Dagesh\", \"1\": \"One\", \"\\ud83d\\ude00\": "
        + "\"Emoji: Grinning Face\", \"\\u0080\": \"Control\", "
        + "\"\\u00f6\": \"Latin Small Letter O With Diaeresis\"}";
    String canonical = JsonCanonicalizer.canonicalize(MAPPER.readTree(input));
    assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":"
        + "\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
        + "\"\ud83d\ude00\":\"Emoji: Grinning Face\","
        + "\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
  }

  @ParameterizedTest
  @CsvSource({
      // RFC 8785 Appendix B: IEEE-754 bits -> ECMAScript text.
      "0000000000000000, 0",
      "8000000000000000, 0",
      "0000000000000001, 5e-324",
      "8000000000000001, -5e-324",
      "7fefffffffffffff, 1.7976931348623157e+308",
      "ffefffffffffffff, -1.7976931348623157e+308",
      "4340000000000000, 9007199254740992",
      "c340000000000000, -9007199254740992",
      "4430000000000000, 295147905179352830000",
      "44b52d02c7e14af5, 9.999999999999997e+22",
      "44b52d02c7e14af6, 1e+23",
      "44b52d02c7e14af7, 1.0000000000000001e+23",
      "444b1ae4d6e2ef4e, 999999999999999700000",
      "444b1ae4d6e2ef4f, 999999999999999900000",
      "444b1ae4d6e2ef50, 1e+21",
      "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
      "3eb0c6f7a0b5ed8d, 0.000001",
      "41b3de4355555553, 333333333.3333332",
      "41b3de4355555554, 333333333.33333325",
      "41b3de4355555555, 333333333.3333333",
      "41b3de4355555556, 333333333.3333334",
      "41b3de4355555557, 333333333.33333343",
      "becbf647612f3696, -0.0000033333333333333333",
      "43143ff3c1cb0959, 1424953923781206.2",
  })
  void numberWhenRfc8785AppendixBThenEcmascriptText(String bits, String expected) {
    double v = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
    assertThat(JsonCanonicalizer.number(v)).isEqualTo(expected);
  }

  @Test
  void numberWhenNotFiniteThenRefused() {
    assertThatThrownBy(() -> JsonCanonicalizer.number(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void canonicalizeWhenTrusteeUnitVectorThenTrusteeDigest() throws Exception {
    // attestation-service/src/lib.rs parse_runtime_data test.
    String canonical = JsonCanonicalizer.canonicalize(
        MAPPER.readTree("{\"b\":1,\"a\":\"test\",\"c\":{\"d\":\"e\"}}"));
    assertThat(canonical).isEqualTo("{\"a\":\"test\",\"b\":1,\"c\":{\"d\":\"e\"}}");
    assertThat(sha384(canonical)).isEqualTo("e71ce8e70d814ba6639c3612ebee0ff1f76f650f8dbb5e47157e"
        + "0f3f525cd22c4597480a186427c813ca941da78870c3");
  }

  @Test
  void canonicalizeWhenKbsRuntimeDataVectorThenCanonicalStringAndDigest() {
    JsonNode v = Vectors.kbs().get("runtime_data_binding");
    String canonical = JsonCanonicalizer.canonicalize(v.get("structured_runtime_data"));
    assertThat(canonical).isEqualTo(v.get("jcs_canonical_string").asText());
    assertThat(sha384(canonical)).isEqualTo(v.get("digest_hex").asText());
  }

  private static String sha384(String s) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-384").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
