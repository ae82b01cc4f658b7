package dev.carapace.keybroker.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocol;
import dev.carapace.kbs.protocol.KbsProtocolException;
import dev.carapace.kbs.protocol.TeePublicKey;
import dev.carapace.keybroker.attest.AttestationRefusedException;
import dev.carapace.keybroker.attest.Attestor;
import dev.carapace.keybroker.token.TokenRejectedException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Base64;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies EAR attestation tokens (ours and Trustee's shape): ES256 only, the key found by
 * {@code kid} among the attestation service's published keys (never the token's own header
 * {@code jwk}), {@code exp} required and in the future (30 s leeway), {@code iat} not in the
 * future. Builds the resource-policy claims of submodule {@code cpu0} and extracts the TEE key at
 * {@code /submods/cpu0/ear.veraison.annotated-evidence/runtime_data_claims/tee-pubkey}.
 * Thread-safe; keys are cached by id.
 */
public final class AttestationTokenVerifier {
  private static final Duration LEEWAY = Duration.ofSeconds(30);
  /** Largest token accepted (Trustee's verbose TDX tokens are tens of KiB). */
  public static final int MAX_TOKEN_CHARS = 256 * 1024;

  private final Attestor attestor;
  private final Clock clock;
  private final Provider provider;
  private final Map<String, ECPublicKey> keys = new ConcurrentHashMap<>();
  /** Claims of session tokens already read (attest, then resource on the same replica). */
  private final Map<String, VerifiedAttestation> trusted = new ConcurrentHashMap<>();
  private static final int TRUSTED_CACHE = 4096;

  public AttestationTokenVerifier(Attestor attestor, Clock clock, Provider provider) {
    this.attestor = attestor;
    this.clock = clock;
    this.provider = provider;
  }

  /** Verifies the token's signature and lifetime, then reads its claims. */
  public VerifiedAttestation verify(String token) throws TokenRejectedException {
    String[] parts = split(token);
    JsonNode header;
    try {
      header = KbsJson.parse(Base64.getUrlDecoder().decode(parts[0]));
    } catch (KbsProtocolException | IllegalArgumentException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token header is malformed");
    }
    if (!"ES256".equals(header.path("alg").asText())) {
      throw new TokenRejectedException(Reason.MALFORMED, "tokens must be signed with ES256");
    }
    JsonNode kid = header.get("kid");
    if (kid == null || !kid.isTextual()) {
      throw new TokenRejectedException(Reason.UNKNOWN_KEY, "the token names no signing key");
    }
    ECPublicKey key = key(kid.asText());
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token signature is not base64url");
    }
    if (signature.length != 64 || !es256(key, parts[0] + "." + parts[1], signature)) {
      throw new TokenRejectedException(Reason.BAD_SIGNATURE, "the token signature is invalid");
    }
    return readClaims(payload(parts));
  }

  /**
   * Reads the claims of a token this broker verified or issued itself (a session's token). The
   * lifetime is still checked.
   */
  public VerifiedAttestation readTrusted(String token) throws TokenRejectedException {
    VerifiedAttestation known = trusted.get(token);
    if (known != null) {
      if (!clock.instant().isBefore(known.expiresAt().plus(LEEWAY))) {
        trusted.remove(token);
        throw new TokenRejectedException(Reason.EXPIRED, "the token expired at "
            + known.expiresAt());
      }
      return known;
    }
    VerifiedAttestation v = readClaims(payload(split(token)));
    if (trusted.size() >= TRUSTED_CACHE) {
      trusted.clear();
    }
    trusted.put(token, v);
    return v;
  }

  private static String[] split(String token) throws TokenRejectedException {
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token is too large");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token is not a compact JWS");
    }
    return parts;
  }

  private static byte[] payload(String[] parts) throws TokenRejectedException {
    try {
      return Base64.getUrlDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token payload is not base64url");
    }
  }

  private boolean es256(ECPublicKey key, String signingInput, byte[] signature)
      throws TokenRejectedException {
    try {
      Signature s = Signature.getInstance("SHA256withPLAIN-ECDSA", provider);
      s.initVerify(key);
      s.update(signingInput.getBytes(StandardCharsets.US_ASCII));
      return s.verify(signature);
    } catch (GeneralSecurityException e) {
      throw new TokenRejectedException(Reason.BAD_SIGNATURE, "the token signature is invalid",
          e);
    }
  }

  private ECPublicKey key(String kid) throws TokenRejectedException {
    ECPublicKey cached = keys.get(kid);
    if (cached != null) {
      return cached;
    }
    try {
      JWK jwk = attestor.tokenKeys(false).getKeyByKeyId(kid);
      if (jwk == null) {
        jwk = attestor.tokenKeys(true).getKeyByKeyId(kid);
      }
      if (!(jwk instanceof ECKey ec) || !"P-256".equals(ec.getCurve().getName())) {
        throw new TokenRejectedException(Reason.UNKNOWN_KEY,
            "the token was not signed by a key of the attestation service");
      }
      ECPublicKey k = (ECPublicKey) java.security.KeyFactory.getInstance("EC", provider)
          .translateKey(ec.toECPublicKey());
      if (keys.size() > 64) {
        keys.clear();
      }
      keys.put(kid, k);
      return k;
    } catch (AttestationRefusedException e) {
      throw new TokenRejectedException(Reason.UNAVAILABLE, e.getMessage(), e);
    } catch (JOSEException | GeneralSecurityException e) {
      throw new TokenRejectedException(Reason.UNKNOWN_KEY, "the signing key is unusable", e);
    }
  }

  private VerifiedAttestation readClaims(byte[] payload)
      throws TokenRejectedException {
    JsonNode claims;
    try {
      claims = KbsJson.parse(payload);
    } catch (KbsProtocolException e) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token payload is not JSON");
    }
    Instant now = clock.instant();
    JsonNode exp = claims.get("exp");
    if (exp == null || !exp.isNumber()) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token has no numeric exp");
    }
    Instant expiresAt = Instant.ofEpochSecond(exp.asLong());
    if (!now.isBefore(expiresAt.plus(LEEWAY))) {
      throw new TokenRejectedException(Reason.EXPIRED, "the token expired at " + expiresAt);
    }
    JsonNode iat = claims.get("iat");
    if (iat != null && iat.isNumber()
        && Instant.ofEpochSecond(iat.asLong()).isAfter(now.plus(LEEWAY))) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token was issued in the future");
    }
    JsonNode cpu0 = claims.path("submods").path("cpu0");
    if (!cpu0.isObject()) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token has no cpu0 submodule");
    }
    JsonNode annotated = cpu0.path("ear.veraison.annotated-evidence");
    TeePublicKey key;
    try {
      key = TeePublicKey.fromJwk(annotated.path("runtime_data_claims").get("tee-pubkey"));
    } catch (KbsProtocolException e) {
      throw new TokenRejectedException(Reason.NO_TEE_KEY,
          "the token carries no usable TEE public key: " + e.getMessage());
    }
    String tee = null;
    for (var it = annotated.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (KbsProtocol.TEES.contains(name)) {
        tee = name;
        break;
      }
    }
    if (tee == null) {
      throw new TokenRejectedException(Reason.MALFORMED, "the token names no TEE");
    }
    String status = cpu0.path("ear.status").asText("");
    Map<String, Object> ear = new LinkedHashMap<>();
    ear.put("status", status);
    ear.put("trustworthiness_vector", plain(cpu0.path("ear.trustworthiness-vector")));
    ear.put("policy_id", cpu0.path("ear.appraisal-policy-id").asText(""));
    Map<String, Object> policyClaims = new LinkedHashMap<>();
    policyClaims.put("tee", tee);
    policyClaims.put("ear", ear);
    for (String member : List.of(tee, "init_data", "init_data_claims", "runtime_data_claims",
        "report_data")) {
      JsonNode v = annotated.get(member);
      if (v != null && !v.isNull()) {
        policyClaims.put(member, plain(v));
      }
    }
    List<String> reasons = new ArrayList<>();
    cpu0.path("ear.veraison.policy-claims").path("reasons")
        .forEach(r -> reasons.add(r.asText()));
    return new VerifiedAttestation(tee, status, policyClaims, key, reasons, expiresAt);
  }

  private static Object plain(JsonNode n) {
    return PlainJson.MAPPER.convertValue(n, Object.class);
  }

  private static final class PlainJson {
    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER =
        new com.fasterxml.jackson.databind.ObjectMapper();
  }
}
