package dev.carapace.attestation.service.appraisal;

import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Challenge nonces from {@code POST /challenge}: 32 random bytes (standard base64, as KBS
 * nonces are), valid for a fixed lifetime and usable once. A used nonce is remembered until it
 * would have expired, so reuse is told apart from an unknown nonce. In memory: a restart
 * invalidates outstanding challenges. Thread-safe.
 */
public final class NonceStore {
  /** Outstanding and remembered nonces above which {@link #issue()} refuses. */
  public static final int CAPACITY = 200_000;
  private static final int NONCE_BYTES = 32;

  /** A nonce and when it stops being accepted. */
  public record Challenge(String nonce, Instant expiresAt) {}

  /** What {@link #consume} found. */
  public enum State { CONSUMED, UNKNOWN, EXPIRED, REUSED }

  private record Entry(Instant expiresAt, boolean used) {}

  private final Clock clock;
  private final SecureRandom random;
  private final Duration lifetime;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final AtomicLong issued = new AtomicLong();

  public NonceStore(Clock clock, SecureRandom random, Duration lifetime) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
    this.lifetime = Objects.requireNonNull(lifetime, "lifetime");
  }

  public Challenge issue() throws AttestationException {
    Instant now = clock.instant();
    if (issued.incrementAndGet() % 1024 == 0 || entries.size() >= CAPACITY) {
      purge(now);
    }
    if (entries.size() >= CAPACITY) {
      throw new AttestationException(Reason.CHALLENGE_CAPACITY,
          "too many outstanding challenges; retry later");
    }
    byte[] b = new byte[NONCE_BYTES];
    random.nextBytes(b);
    String nonce = Base64.getEncoder().encodeToString(b);
    Instant expires = now.plus(lifetime);
    entries.put(nonce, new Entry(expires, false));
    return new Challenge(nonce, expires);
  }

  /** What {@link #consume} would find now, without consuming. */
  public State peek(String nonce) {
    Entry e = entries.get(nonce);
    if (e == null) {
      return State.UNKNOWN;
    }
    if (e.used()) {
      return State.REUSED;
    }
    return clock.instant().isBefore(e.expiresAt()) ? State.CONSUMED : State.EXPIRED;
  }

  /** Marks an issued, unexpired, unused nonce used; atomically, so only one caller wins. */
  public State consume(String nonce) {
    Instant now = clock.instant();
    State[] result = {State.UNKNOWN};
    entries.computeIfPresent(nonce, (k, e) -> {
      if (e.used()) {
        result[0] = State.REUSED;
        return e;
      }
      if (!now.isBefore(e.expiresAt())) {
        result[0] = State.EXPIRED;
        return e;
      }
      result[0] = State.CONSUMED;
      return new Entry(e.expiresAt(), true);
    });
    return result[0];
  }

  private void purge(Instant now) {
    entries.entrySet().removeIf(e -> !now.isBefore(e.getValue().expiresAt()));
  }
}
