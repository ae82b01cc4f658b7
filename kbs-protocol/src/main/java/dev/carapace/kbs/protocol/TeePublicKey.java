package dev.carapace.kbs.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.kbs.protocol.KbsProtocolException.Reason;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;

/**
 * The guest's TEE public key as the KBS protocol carries it ({@code runtime-data.tee-pubkey}, a
 * JWK). Only the members Trustee keeps survive ({@code kty, crv, alg, x, y} and
 * {@code kty, alg, n, e}), because the runtime-data digest is computed over them. Immutable.
 */
public sealed interface TeePublicKey permits EcTeePublicKey, RsaTeePublicKey {
  /** The key-management algorithm of the JWE the KBS encrypts to this key. */
  String alg();

  /** The JWK in the member order CoCo guests send. */
  ObjectNode toJwk();

  /** The key as a JCA public key (points are checked to lie on their curve). */
  PublicKey toPublicKey() throws KbsProtocolException;

  /**
   * Reads a {@code tee-pubkey} JWK.
   *
   * @throws KbsProtocolException MALFORMED_KEY for a malformed JWK, UNSUPPORTED_KEY for a key
   *     type, curve or algorithm this KBS does not encrypt to (RSA1_5 is refused)
   */
  static TeePublicKey fromJwk(JsonNode jwk) throws KbsProtocolException {
    if (jwk == null || !jwk.isObject()) {
      throw new KbsProtocolException(Reason.MALFORMED_KEY, "tee-pubkey must be a JSON object");
    }
    String kty = KbsJson.text(jwk, "kty", Reason.MALFORMED_KEY);
    return switch (kty) {
      case "EC" -> EcTeePublicKey.fromJwk(jwk);
      case "RSA" -> RsaTeePublicKey.fromJwk(jwk);
      default -> throw new KbsProtocolException(Reason.UNSUPPORTED_KEY,
          "tee-pubkey kty \"" + kty + "\" is not supported (EC or RSA)");
    };
  }

  /** The TEE key for a JCA public key: P-256/P-521 for ECDH-ES+A256KW, RSA for RSA-OAEP-256. */
  static TeePublicKey of(PublicKey key) throws KbsProtocolException {
    if (key instanceof ECPublicKey ec) {
      return EcTeePublicKey.of(ec);
    }
    if (key instanceof RSAPublicKey rsa) {
      return RsaTeePublicKey.of(rsa);
    }
    throw new KbsProtocolException(Reason.UNSUPPORTED_KEY,
        "only EC (P-256, P-521) and RSA TEE keys are supported");
  }
}
