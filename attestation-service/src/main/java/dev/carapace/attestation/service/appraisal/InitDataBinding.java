package dev.carapace.attestation.service.appraisal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What init-data digest the evidence must carry, from a verification request's {@code init_data}:
 * {@code {"init_data_toml": "..."}} (Trustee REST) or {@code {"format": "toml", "body": "..."}}
 * (KBS protocol) is hashed, as sent, with the document's own {@code algorithm} (sha256, sha384,
 * sha512); {@code {"init_data_digest": "<base64url>"}} gives the digest directly. The hardware
 * field (TDX MRCONFIGID, 48 bytes; SNP HOST_DATA, 32 bytes) is compared with the digest
 * zero-padded or truncated to its size. Stateless.
 *
 * @param digest the init-data digest
 * @param claims the document's {@code [data]} table ({@code init_data_claims}; the TOML values of
 *     {@code aa.toml} and {@code cdh.toml} converted to JSON, as Trustee does), or null for a bare
 *     digest
 */
public record InitDataBinding(Bytes digest, @Nullable Map<String, Object> claims) {
  private static final TomlMapper TOML = new TomlMapper();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Empty when the request has no init data (then the init-data field is not checked). */
  public static Optional<InitDataBinding> of(@Nullable JsonNode initData)
      throws AttestationException {
    if (initData == null || initData.isNull()) {
      return Optional.empty();
    }
    if (!initData.isObject()) {
      throw invalid("init_data must be a JSON object");
    }
    JsonNode digest = initData.get("init_data_digest");
    if (digest != null) {
      if (!digest.isTextual()) {
        throw invalid("init_data.init_data_digest must be a base64url string");
      }
      try {
        String s = digest.asText().replace("=", "");
        return Optional.of(new InitDataBinding(Bytes.copyOf(Base64.getUrlDecoder().decode(s)),
            null));
      } catch (IllegalArgumentException e) {
        throw invalid("init_data.init_data_digest must be base64url");
      }
    }
    JsonNode toml = initData.get("init_data_toml");
    if (toml == null && initData.has("body")) {
      JsonNode format = initData.get("format");
      if (format != null && !"toml".equals(format.asText())) {
        throw invalid("init_data.format must be \"toml\", got " + format.asText());
      }
      toml = initData.get("body");
    }
    if (toml == null || !toml.isTextual()) {
      throw invalid("init_data must have init_data_toml, init_data_digest or format+body");
    }
    return Optional.of(fromToml(toml.asText()));
  }

  static InitDataBinding fromToml(String text) throws AttestationException {
    JsonNode doc;
    try {
      doc = TOML.readTree(text);
    } catch (JsonProcessingException e) {
      throw invalid("init data is not TOML: " + e.getOriginalMessage());
    }
    JsonNode alg = doc.get("algorithm");
    if (alg == null || !alg.isTextual()) {
      throw invalid("init data must name its algorithm (sha256, sha384 or sha512)");
    }
    String jca;
    try {
      jca = RuntimeDataBinding.algorithm(alg.asText());
    } catch (AttestationException e) {
      throw invalid("init data algorithm must be sha256, sha384 or sha512, got " + alg.asText());
    }
    byte[] d = RuntimeDataBinding.digest(jca, text.getBytes(StandardCharsets.UTF_8));
    Map<String, Object> claims = new LinkedHashMap<>();
    JsonNode data = doc.get("data");
    if (data != null && data.isObject()) {
      for (Map.Entry<String, JsonNode> e : data.properties()) {
        claims.put(e.getKey(), value(e.getKey(), e.getValue()));
      }
    }
    return new InitDataBinding(Bytes.copyOf(d), claims);
  }

  private static Object value(String key, JsonNode v) {
    if (v.isTextual() && (key.equals("aa.toml") || key.equals("cdh.toml"))) {
      try {
        return JSON.convertValue(TOML.readTree(v.asText()), Object.class);
      } catch (JsonProcessingException e) {
        return v.asText(); // not TOML after all: keep the text, as a string claim
      }
    }
    return JSON.convertValue(v, Object.class);
  }

  private static AttestationException invalid(String message) {
    return new AttestationException(Reason.INVALID_INIT_DATA, message);
  }
}
