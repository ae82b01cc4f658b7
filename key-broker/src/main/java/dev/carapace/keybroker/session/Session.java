package dev.carapace.keybroker.session;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One RCAR session (Trustee's {@code Authed} → {@code Attested}): the TEE named in {@code /auth},
 * the challenge nonce, the fixed expiry set at {@code /auth}, and once attested the attestation
 * token. Immutable.
 */
public record Session(String id, String tee, String nonce, Instant expiresAt,
    @Nullable String token) {
  public Session {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tee, "tee");
    Objects.requireNonNull(nonce, "nonce");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public boolean attested() {
    return token != null;
  }

  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public Session withToken(String attestationToken) {
    return new Session(id, tee, nonce, expiresAt, attestationToken);
  }

  @Override
  public String toString() {
    return "Session[" + id.substring(0, 8) + "…, tee=" + tee + ", attested=" + attested() + "]";
  }
}
