package dev.carapace.keybroker.admin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Mints administration tokens the way Trustee's set-up does (EdDSA over Ed25519, {@code role},
 * {@code iat}, {@code exp}) for tools that hold an admin private key: {@code carapace demo} and
 * the tests. {@link AdminAuthenticator} is what checks them. Stateless.
 */
public final class AdminTokens {
  private AdminTokens() {}

  /** A compact JWS {@code {"sub","role","iat","exp"}} signed with an Ed25519 private key. */
  public static String ed25519(PrivateKey key, String subject, String role, Instant issuedAt,
      Duration lifetime) throws GeneralSecurityException {
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    String header = b64.encodeToString("{\"alg\":\"EdDSA\",\"typ\":\"JWT\"}"
        .getBytes(StandardCharsets.UTF_8));
    long iat = issuedAt.getEpochSecond();
    String claims = b64.encodeToString(("{\"sub\":\"" + json(subject) + "\",\"role\":\""
        + json(role) + "\",\"iat\":" + iat + ",\"exp\":" + (iat + lifetime.getSeconds()) + "}")
        .getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance("Ed25519");
    s.initSign(key);
    s.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
    return header + "." + claims + "." + b64.encodeToString(s.sign());
  }

  private static String json(String s) {
    if (!s.matches("[A-Za-z0-9._@-]{1,128}")) {
      throw new IllegalArgumentException("subject and role are plain names");
    }
    return s;
  }
}
