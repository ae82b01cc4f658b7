package dev.carapace.attestation.service.token;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Issues EAR attestation results (draft-ietf-rats-ear) as ES256 JWTs, shaped like Trustee's:
 *
 * <pre>
 * {"eat_profile": "tag:github.com,2023:veraison/ear", "iat": ..., "exp": ..., "iss": ...,
 *  "ear.verifier-id": {"developer": ..., "build": ...},
 *  "submods": {"cpu0": {"ear.status": "affirming", "ear.trustworthiness-vector": {...},
 *              "ear.appraisal-policy-id": "default",
 *              "ear.veraison.annotated-evidence": {"tdx": {...}, "report_data": ...,
 *                 "runtime_data_claims": {...}, "init_data": ..., "init_data_claims": ...},
 *              "ear.veraison.policy-claims": {"reasons": [...]}}}}
 * </pre>
 *
 * The protected header carries {@code kid} (found in {@code /.well-known/jwks.json}) and, as
 * Trustee's does, the public {@code jwk}. Thread-safe.
 */
public final class AttestationResultIssuer {
  /** The EAR profile of draft-ietf-rats-ear. */
  public static final String EAT_PROFILE = "tag:github.com,2023:veraison/ear";
  public static final String DEVELOPER = "https://carapace.dev";
  public static final String BUILD = "carapace attestation-service 0.1.0";

  /**
   * One appraised attester (submodule {@code cpu0}, ...).
   *
   * @param status EAR status name: affirming, warning, contraindicated or none
   * @param trustworthinessVector the AR4SI claims by their EAR names, in the AR4SI order
   * @param policyId the appraisal policy applied
   * @param annotatedEvidence the verified claims and bindings that the policy saw
   * @param reasons why the policy decided as it did (may be empty)
   */
  public record Submodule(String status, Map<String, Integer> trustworthinessVector,
      String policyId, Map<String, Object> annotatedEvidence, List<String> reasons) {
    public Submodule {
      Objects.requireNonNull(status, "status");
      trustworthinessVector = new LinkedHashMap<>(trustworthinessVector);
      Objects.requireNonNull(policyId, "policyId");
      annotatedEvidence = new LinkedHashMap<>(annotatedEvidence);
      reasons = List.copyOf(reasons);
    }
  }

  /** A signed token with its validity. */
  public record IssuedToken(String jwt, String kid, Instant issuedAt, Instant expiresAt) {
    @Override
    public String toString() {
      return "IssuedToken[kid=" + kid + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt
          + "]";
    }
  }

  private final SigningKeys keys;
  private final Clock clock;
  private final String issuer;
  private final Duration lifetime;

  public AttestationResultIssuer(SigningKeys keys, Clock clock, String issuer, Duration lifetime) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.issuer = Objects.requireNonNull(issuer, "issuer");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
  }

  /** Signs an EAR with the given submodules ({@code "cpu0"} first). */
  public IssuedToken issue(Map<String, Submodule> submods) {
    if (submods.isEmpty()) {
      throw new IllegalArgumentException("an attestation result needs at least one submodule");
    }
    Instant now = clock.instant();
    long iat = now.getEpochSecond();
    long exp = now.plus(lifetime).getEpochSecond();
    Map<String, Object> claims = new LinkedHashMap<>();
    claims.put("eat_profile", EAT_PROFILE);
    claims.put("iat", iat);
    Map<String, Object> verifierId = new LinkedHashMap<>();
    verifierId.put("developer", DEVELOPER);
    verifierId.put("build", BUILD);
    claims.put("ear.verifier-id", verifierId);
    Map<String, Object> mods = new LinkedHashMap<>();
    for (Map.Entry<String, Submodule> e : submods.entrySet()) {
      Submodule s = e.getValue();
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("ear.status", s.status());
      m.put("ear.trustworthiness-vector", s.trustworthinessVector());
      m.put("ear.appraisal-policy-id", s.policyId());
      m.put("ear.veraison.annotated-evidence", s.annotatedEvidence());
      if (!s.reasons().isEmpty()) {
        m.put("ear.veraison.policy-claims", Map.of("reasons", s.reasons()));
      }
      mods.put(e.getKey(), m);
    }
    claims.put("submods", mods);
    claims.put("exp", exp);
    claims.put("iss", issuer);

    SigningKeys.Signer signer = keys.current();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256)
        .type(JOSEObjectType.JWT)
        .keyID(signer.kid())
        .jwk(signer.publicJwk())
        .build();
    JWSObject jws = new JWSObject(header, new Payload(claims));
    try {
      jws.sign(signer.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("ES256 signing failed", e);
    }
    return new IssuedToken(jws.serialize(), signer.kid(), Instant.ofEpochSecond(iat),
        Instant.ofEpochSecond(exp));
  }
}
