package dev.carapace.guest.kbs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocolException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The attestation token a KBS returned from {@code /attest} (Trustee: an EAR JWT). The guest does
 * not verify it (the KBS does when it is presented); it only reads {@code exp} and {@code nbf},
 * which must be numeric when present, to know when to attest again, as CoCo's token provider does.
 *
 * <p>The token is a bearer credential: {@link #toString()} is redacted and there is no
 * {@code equals}. Immutable and thread-safe.
 */
public final class AttestationToken {
  private final String value;
  private final @Nullable Instant expiry;

  private AttestationToken(String value, @Nullable Instant expiry) {
    this.value = value;
    this.expiry = expiry;
  }

  /**
   * Reads the claims of a compact JWS.
   *
   * @throws IllegalArgumentException if it is not a JWT whose payload is a JSON object with
   *     numeric {@code exp}/{@code nbf} (when present)
   */
  static AttestationToken parse(String jwt) {
    Objects.requireNonNull(jwt, "jwt");
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("the attestation token is not a compact JWT");
    }
    JsonNode claims;
    try {
      claims = KbsJson.parse(Base64.getUrlDecoder().decode(parts[1]
          .getBytes(StandardCharsets.US_ASCII)));
    } catch (IllegalArgumentException | KbsProtocolException e) {
      throw new IllegalArgumentException("the attestation token payload is not base64url JSON", e);
    }
    if (!claims.isObject()) {
      throw new IllegalArgumentException("the attestation token claims are not a JSON object");
    }
    Instant exp = numericDate(claims, "exp");
    numericDate(claims, "nbf");
    return new AttestationToken(jwt, exp);
  }

  private static @Nullable Instant numericDate(JsonNode claims, String name) {
    JsonNode n = claims.get(name);
    if (n == null || n.isNull()) {
      return null;
    }
    if (!n.isNumber()) {
      throw new IllegalArgumentException("the attestation token " + name + " is not numeric");
    }
    return Instant.ofEpochSecond(n.longValue());
  }

  /** The compact JWT, for {@code Authorization: Bearer}. Handle as a secret. */
  public String value() {
    return value;
  }

  /** The {@code exp} claim, if the token has one. */
  public Optional<Instant> expiry() {
    return Optional.ofNullable(expiry);
  }

  /** Whether {@code now} is at or after the expiry (never, without {@code exp}). */
  public boolean isExpiredAt(Instant now) {
    return expiry != null && !now.isBefore(expiry);
  }

  @Override
  public String toString() {
    return "AttestationToken[redacted, expiry=" + expiry + "]";
  }
}
