package dev.carapace.attestation.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

/**
 * Verifies the service's tokens with jose4j, a JOSE implementation independent of the Nimbus
 * library that signs them: ES256 only, key by {@code kid} from the JWKS, issuer, iat and exp.
 */
public final class IndependentTokenVerifier {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private IndependentTokenVerifier() {}

  /** The verified claims; throws if the token does not verify with a key of {@code jwksJson}. */
  public static JsonNode verify(String jwt, String jwksJson, Instant now) throws Exception {
    JsonWebKeySet jwks = new JsonWebKeySet(jwksJson);
    JwtConsumer consumer = new JwtConsumerBuilder()
        .setVerificationKeyResolver(new JwksVerificationKeyResolver(jwks.getJsonWebKeys()))
        .setJwsAlgorithmConstraints(new AlgorithmConstraints(ConstraintType.PERMIT,
            AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256))
        .setExpectedIssuer("carapace-attestation-service")
        .setRequireExpirationTime()
        .setRequireIssuedAt()
        .setEvaluationTime(NumericDate.fromSeconds(now.getEpochSecond()))
        .build();
    JwtClaims claims = consumer.processToClaims(jwt);
    return MAPPER.readTree(claims.toJson());
  }
}
