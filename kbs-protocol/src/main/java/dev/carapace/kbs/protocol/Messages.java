package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The RCAR messages of KBS protocol 0.4.0 with their exact JSON shapes (kbs-types), readers that
 * reject malformed input with MALFORMED_MESSAGE, and writers that emit what CoCo guests and
 * Trustee emit.
 */
public final class Messages {
  private Messages() {}

  /** Body of {@code POST /kbs/v0/auth}. */
  public record AuthRequest(String version, String tee, JsonNode extraParams) {
    public AuthRequest {
      Objects.requireNonNull(version, "version");
      Objects.requireNonNull(tee, "tee");
      extraParams = extraParams == null ? JsonNodeFactory.instance.nullNode() : extraParams;
    }

    public static AuthRequest read(byte[] json) throws KbsProtocolException {
      JsonNode n = object(KbsJson.parse(json), "auth request");
      return new AuthRequest(KbsJson.text(n, "version", Reason.MALFORMED_MESSAGE),
          KbsJson.text(n, "tee", Reason.MALFORMED_MESSAGE), n.get("extra-params"));
    }

    public ObjectNode toJson() {
      ObjectNode n = KbsJson.object();
      n.put("version", version);
      n.put("tee", tee);
      n.set("extra-params", extraParams);
      return n;
    }
  }

  /** Answer of {@code /auth}: a nonce and (for every TEE but IBM SE) {@code "extra-params": ""}. */
  public record Challenge(String nonce, JsonNode extraParams) {
    public Challenge {
      Objects.requireNonNull(nonce, "nonce");
      Objects.requireNonNull(extraParams, "extraParams");
    }

    public static Challenge read(byte[] json) throws KbsProtocolException {
      JsonNode n = object(KbsJson.parse(json), "challenge");
      JsonNode extra = n.get("extra-params");
      return new Challenge(KbsJson.text(n, "nonce", Reason.MALFORMED_MESSAGE),
          extra == null ? JsonNodeFactory.instance.textNode("") : extra);
    }

    public ObjectNode toJson() {
      ObjectNode n = KbsJson.object();
      n.put("nonce", nonce);
      n.set("extra-params", extraParams);
      return n;
    }
  }

  /** Optional init data: its format ({@code toml}) and the document verbatim. */
  public record InitData(String format, String body) {
    public InitData {
      Objects.requireNonNull(format, "format");
      Objects.requireNonNull(body, "body");
    }
  }

  /** Body of {@code POST /kbs/v0/attest}. */
  public record Attestation(@Nullable InitData initData, String nonce, TeePublicKey teePubkey,
      JsonNode primaryEvidence, String additionalEvidence) {
    public Attestation {
      Objects.requireNonNull(nonce, "nonce");
      Objects.requireNonNull(teePubkey, "teePubkey");
      Objects.requireNonNull(primaryEvidence, "primaryEvidence");
      Objects.requireNonNull(additionalEvidence, "additionalEvidence");
    }

    public static Attestation read(byte[] json) throws KbsProtocolException {
      JsonNode n = object(KbsJson.parse(json), "attestation");
      JsonNode runtime = object(n.get("runtime-data"), "runtime-data");
      JsonNode evidence = object(n.get("tee-evidence"), "tee-evidence");
      JsonNode primary = evidence.get("primary_evidence");
      if (primary == null || primary.isNull()) {
        throw new KbsProtocolException(Reason.MALFORMED_MESSAGE,
            "tee-evidence.primary_evidence is missing");
      }
      JsonNode additional = evidence.get("additional_evidence");
      String additionalText = additional == null || additional.isNull() ? ""
          : additional.isTextual() ? additional.asText() : null;
      if (additionalText == null) {
        throw new KbsProtocolException(Reason.MALFORMED_MESSAGE,
            "tee-evidence.additional_evidence must be a string");
      }
      JsonNode init = n.get("init-data");
      InitData initData = null;
      if (init != null && !init.isNull()) {
        object(init, "init-data");
        initData = new InitData(KbsJson.text(init, "format", Reason.MALFORMED_MESSAGE),
            KbsJson.text(init, "body", Reason.MALFORMED_MESSAGE));
      }
      JsonNode key = runtime.get("tee-pubkey");
      TeePublicKey teeKey = TeePublicKey.fromJwk(key);
      return new Attestation(initData, KbsJson.text(runtime, "nonce", Reason.MALFORMED_MESSAGE),
          teeKey, primary, additionalText);
    }

    /** The body exactly as a CoCo guest serializes it. */
    public ObjectNode toJson() {
      ObjectNode n = KbsJson.object();
      if (initData == null) {
        n.putNull("init-data");
      } else {
        ObjectNode i = n.putObject("init-data");
        i.put("format", initData.format());
        i.put("body", initData.body());
      }
      ObjectNode r = n.putObject("runtime-data");
      r.put("nonce", nonce);
      r.set("tee-pubkey", teePubkey.toJwk());
      ObjectNode e = n.putObject("tee-evidence");
      e.set("primary_evidence", primaryEvidence);
      e.put("additional_evidence", additionalEvidence);
      return n;
    }
  }

  /** Answer of {@code /attest}: {@code {"token": "<EAR JWT>"}}. */
  public record AttestationToken(String token) {
    public AttestationToken {
      Objects.requireNonNull(token, "token");
    }

    public static AttestationToken read(byte[] json) throws KbsProtocolException {
      JsonNode n = object(KbsJson.parse(json), "attestation response");
      return new AttestationToken(KbsJson.text(n, "token", Reason.MALFORMED_MESSAGE));
    }

    public ObjectNode toJson() {
      ObjectNode n = KbsJson.object();
      n.put("token", token);
      return n;
    }

    @Override
    public String toString() {
      return "AttestationToken[redacted]";
    }
  }

  /** Reads an error body; MALFORMED_MESSAGE unless it has string {@code type} and {@code detail}. */
  public static ErrorInformation readError(byte[] json) throws KbsProtocolException {
    JsonNode n = object(KbsJson.parse(json), "error information");
    return new ErrorInformation(KbsJson.text(n, "type", Reason.MALFORMED_MESSAGE),
        KbsJson.text(n, "detail", Reason.MALFORMED_MESSAGE));
  }

  /** The error body JSON. */
  public static ObjectNode toJson(ErrorInformation e) {
    ObjectNode n = KbsJson.object();
    n.put("type", e.type());
    n.put("detail", e.detail());
    return n;
  }

  private static JsonNode object(@Nullable JsonNode n, String what) throws KbsProtocolException {
    if (n == null || !n.isObject()) {
      throw new KbsProtocolException(Reason.MALFORMED_MESSAGE, what + " must be a JSON object");
    }
    return n;
  }
}
