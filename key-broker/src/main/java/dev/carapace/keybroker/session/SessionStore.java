package dev.carapace.keybroker.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocol;
import dev.carapace.kbs.protocol.KbsProtocolException;
import dev.carapace.keybroker.store.KeyValueStore;
import dev.carapace.keybroker.store.KeyValueStore.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RCAR sessions in the shared {@link KeyValueStore} (namespace {@code sessions}), so that a client
 * may authenticate on one replica and attest or fetch on another. Session ids are 128 random bits
 * (32 lower-case hex characters, like Trustee's simple UUIDs); nonces 256 random bits. Expired
 * sessions are ignored when read and removed by {@link #removeExpired()}. Thread-safe.
 */
public final class SessionStore {
  private static final Logger LOG = LoggerFactory.getLogger(SessionStore.class);
  private static final String NAMESPACE = "sessions";
  private static final Pattern ID = Pattern.compile("[0-9a-f]{32}");

  private final KeyValueStore store;
  private final Clock clock;
  private final SecureRandom random;
  private final Duration lifetime;

  public SessionStore(KeyValueStore store, Clock clock, SecureRandom random, Duration lifetime) {
    this.store = store;
    this.clock = clock;
    this.random = random;
    this.lifetime = lifetime;
  }

  /** A new session for {@code tee} with a fresh nonce. */
  public Session create(String tee) throws IOException {
    byte[] nonce = new byte[KbsProtocol.NONCE_BYTES];
    random.nextBytes(nonce);
    for (int attempt = 0; ; attempt++) {
      byte[] id = new byte[16];
      random.nextBytes(id);
      Session s = new Session(HexFormat.of().formatHex(id), tee,
          Base64.getEncoder().encodeToString(nonce), clock.instant().plus(lifetime), null);
      if (store.putIfAbsent(NAMESPACE, s.id(), encode(s), Durability.VOLATILE)) {
        return s;
      }
      if (attempt > 3) {
        throw new IOException("cannot allocate a session id");
      }
    }
  }

  /** The unexpired session {@code id}, if any. Malformed ids and stored values read as absent. */
  public Optional<Session> find(String id) throws IOException {
    if (id == null || !ID.matcher(id).matches()) {
      return Optional.empty();
    }
    Optional<byte[]> raw = store.get(NAMESPACE, id);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    Session s = decode(id, raw.get());
    if (s == null || s.expired(clock.instant())) {
      return Optional.empty();
    }
    return Optional.of(s);
  }

  /** Whether {@code id} names a session that existed but expired (for the error message). */
  public boolean isExpired(String id) throws IOException {
    if (id == null || !ID.matcher(id).matches()) {
      return false;
    }
    Optional<byte[]> raw = store.get(NAMESPACE, id);
    if (raw.isEmpty()) {
      return false;
    }
    Session s = decode(id, raw.get());
    return s != null && s.expired(clock.instant());
  }

  /** Records the attestation token; the expiry stays the one set at {@code /auth}. */
  public void attested(Session s) throws IOException {
    store.put(NAMESPACE, s.id(), encode(s), Durability.VOLATILE);
  }

  /** Removes expired sessions; returns how many. */
  public int removeExpired() throws IOException {
    Instant now = clock.instant();
    int removed = 0;
    for (String id : store.keys(NAMESPACE)) {
      Optional<byte[]> raw = store.get(NAMESPACE, id);
      Session s = raw.map(r -> decode(id, r)).orElse(null);
      if (s == null || s.expired(now)) {
        if (store.delete(NAMESPACE, id)) {
          removed++;
        }
      }
    }
    if (removed > 0) {
      LOG.debug("removed {} expired sessions", removed);
    }
    return removed;
  }

  private static byte[] encode(Session s) {
    ObjectNode n = KbsJson.object();
    n.put("tee", s.tee());
    n.put("nonce", s.nonce());
    n.put("expires", s.expiresAt().toEpochMilli());
    if (s.token() != null) {
      n.put("token", s.token());
    }
    return KbsJson.write(n).getBytes(StandardCharsets.UTF_8);
  }

  private static Session decode(String id, byte[] raw) {
    try {
      JsonNode n = KbsJson.parse(raw);
      JsonNode token = n.get("token");
      return new Session(id, n.get("tee").asText(), n.get("nonce").asText(),
          Instant.ofEpochMilli(n.get("expires").asLong()),
          token == null ? null : token.asText());
    } catch (KbsProtocolException | RuntimeException e) {
      LOG.warn("ignoring an unreadable session record");
      return null;
    }
  }
}
