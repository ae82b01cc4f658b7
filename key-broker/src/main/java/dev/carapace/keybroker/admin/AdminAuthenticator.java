package dev.carapace.keybroker.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocolException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.EdECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.jspecify.annotations.Nullable;

/**
 * Authenticates administration requests as Trustee's {@code bearer_jwt} mode does: {@code
 * Authorization: Bearer <JWT>} signed with ES256 (P-256) or EdDSA (Ed25519) by one of the
 * configured public keys, {@code exp} required and in the future, {@code iss} and {@code aud}
 * checked when configured, and a string {@code role} claim that must be one of the allowed roles.
 * With no key configured every administration request is refused (fail closed). Thread-safe.
 */
public final class AdminAuthenticator {
  private static final Duration LEEWAY = Duration.ofSeconds(30);
  private static final int MAX_TOKEN_CHARS = 16 * 1024;

  /** Why an administration request was refused. */
  public static final class AdminRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    public AdminRefusedException(String message) {
      super(message);
    }
  }

  private final List<PublicKey> keys;
  private final Set<String> roles;
  private final @Nullable String issuer;
  private final @Nullable String audience;
  private final Clock clock;

  public AdminAuthenticator(List<PublicKey> keys, Set<String> roles, @Nullable String issuer,
      @Nullable String audience, Clock clock) {
    this.keys = List.copyOf(keys);
    this.roles = Set.copyOf(roles);
    this.issuer = issuer;
    this.audience = audience;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Reads PEM public keys (EC P-256 or Ed25519), one per file. */
  public static List<PublicKey> readKeys(List<Path> files) throws IOException {
    List<PublicKey> out = new ArrayList<>();
    for (Path f : files) {
      try (PEMParser p = new PEMParser(new StringReader(Files.readString(f)))) {
        Object o = p.readObject();
        if (!(o instanceof SubjectPublicKeyInfo info)) {
          throw new IOException(f + " is not a PEM public key");
        }
        PublicKey k = new JcaPEMKeyConverter().getPublicKey(info);
        if (!(k instanceof ECPublicKey) && !(k instanceof EdECPublicKey)) {
          throw new IOException(f + ": admin keys must be EC P-256 or Ed25519");
        }
        out.add(k);
      }
    }
    return out;
  }

  public boolean enabled() {
    return !keys.isEmpty();
  }

  /**
   * Checks the {@code Authorization} header value.
   *
   * @return the subject (or "admin") for the audit log
   */
  public String authenticate(@Nullable String authorization) throws AdminRefusedException {
    if (keys.isEmpty()) {
      throw new AdminRefusedException("the administration API is disabled: no admin keys are"
          + " configured");
    }
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AdminRefusedException("an admin bearer token is required");
    }
    String token = authorization.substring(7).strip();
    if (token.length() > MAX_TOKEN_CHARS) {
      throw new AdminRefusedException("the admin token is too large");
    }
    String[] parts = token.split("\\.", -1);
    if (parts.length != 3) {
      throw new AdminRefusedException("the admin token is not a JWS");
    }
    JsonNode header;
    JsonNode claims;
    byte[] signature;
    try {
      header = KbsJson.parse(Base64.getUrlDecoder().decode(parts[0]));
      claims = KbsJson.parse(Base64.getUrlDecoder().decode(parts[1]));
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException | KbsProtocolException e) {
      throw new AdminRefusedException("the admin token is malformed");
    }
    String alg = header.path("alg").asText("");
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    if (!verified(alg, signed, signature)) {
      throw new AdminRefusedException("the admin token is not signed by a configured admin key");
    }
    Instant now = clock.instant();
    JsonNode exp = claims.get("exp");
    if (exp == null || !exp.isNumber()
        || !now.isBefore(Instant.ofEpochSecond(exp.asLong()).plus(LEEWAY))) {
      throw new AdminRefusedException("the admin token has no exp or has expired");
    }
    JsonNode nbf = claims.get("nbf");
    if (nbf != null && nbf.isNumber()
        && Instant.ofEpochSecond(nbf.asLong()).isAfter(now.plus(LEEWAY))) {
      throw new AdminRefusedException("the admin token is not valid yet");
    }
    if (issuer != null && !issuer.equals(claims.path("iss").asText(null))) {
      throw new AdminRefusedException("the admin token has the wrong issuer");
    }
    if (audience != null && !hasAudience(claims.get("aud"), audience)) {
      throw new AdminRefusedException("the admin token is not for this audience");
    }
    JsonNode role = claims.get("role");
    if (role == null || !role.isTextual() || !roles.contains(role.asText())) {
      throw new AdminRefusedException("the admin token's role is not allowed");
    }
    return claims.path("sub").asText("admin");
  }

  private boolean verified(String alg, byte[] signed, byte[] signature) {
    for (PublicKey k : keys) {
      try {
        if ("ES256".equals(alg) && k instanceof ECPublicKey) {
          if (signature.length != 64) {
            return false;
          }
          Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
          s.initVerify(k);
          s.update(signed);
          if (s.verify(signature)) {
            return true;
          }
        } else if ("EdDSA".equals(alg) && k instanceof EdECPublicKey) {
          Signature s = Signature.getInstance("Ed25519");
          s.initVerify(k);
          s.update(signed);
          if (s.verify(signature)) {
            return true;
          }
        }
      } catch (GeneralSecurityException e) {
        // not this key
      }
    }
    return false;
  }

  private static boolean hasAudience(@Nullable JsonNode aud, String want) {
    if (aud == null) {
      return false;
    }
    if (aud.isTextual()) {
      return want.equals(aud.asText());
    }
    for (JsonNode a : aud) {
      if (want.equals(a.asText())) {
        return true;
      }
    }
    return false;
  }
}
