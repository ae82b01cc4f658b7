package dev.carapace.attestation.service.appraisal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import dev.carapace.attestation.service.store.ReferenceValue;
import dev.carapace.attestation.service.store.ReferenceValueStore;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reference values (the RVPS role): registration with an expiry, listing, deletion, and the
 * lookup policies use, which enforces the expiry: from the instant a value expires it is no
 * longer given to any policy (unlike Trustee's RVPS, whose lookup ignores expirations).
 * Thread-safe.
 */
public final class ReferenceValues {
  /** Name length limit. */
  public static final int MAX_NAME_LENGTH = 256;
  /** Values per name limit. */
  public static final int MAX_VALUES = 4096;

  private final ReferenceValueStore store;
  private final Clock clock;
  private final Duration defaultLifetime;
  private final ObjectMapper mapper;

  public ReferenceValues(ReferenceValueStore store, Clock clock, Duration defaultLifetime,
      ObjectMapper mapper) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.defaultLifetime = Objects.requireNonNull(defaultLifetime, "defaultLifetime");
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  /** The unexpired values of {@code name}; empty when unknown or expired. */
  public List<String> lookup(String name) {
    Optional<ReferenceValue> v = store.get(name);
    if (v.isEmpty() || v.get().expiredAt(clock.instant())) {
      return List.of();
    }
    return v.get().values();
  }

  /** Every stored value, expired ones included. */
  public List<ReferenceValue> list() {
    return store.list();
  }

  public ReferenceValue get(String name) throws AttestationException {
    return store.get(name).orElseThrow(() -> new AttestationException(
        Reason.REFERENCE_VALUE_NOT_FOUND, "no reference value named " + name));
  }

  public void delete(String name) throws AttestationException, IOException {
    if (!store.delete(name)) {
      throw new AttestationException(Reason.REFERENCE_VALUE_NOT_FOUND,
          "no reference value named " + name);
    }
  }

  /**
   * Registers (or replaces) {@code name}. Values may be strings, numbers or booleans (kept as
   * their JSON text); {@code expiration} defaults to now plus the configured lifetime.
   */
  public ReferenceValue register(String name, JsonNode values, @Nullable Instant expiration)
      throws AttestationException, IOException {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.chars().anyMatch(c -> c < 0x20)) {
      throw invalid("reference value names are 1 to " + MAX_NAME_LENGTH
          + " printable characters");
    }
    List<String> list = new ArrayList<>();
    if (values.isArray()) {
      for (JsonNode v : values) {
        list.add(scalar(v, name));
      }
    } else {
      list.add(scalar(values, name));
    }
    if (list.size() > MAX_VALUES) {
      throw invalid("at most " + MAX_VALUES + " values per name");
    }
    Instant now = clock.instant();
    Instant exp = expiration != null ? expiration : now.plus(defaultLifetime);
    if (!exp.isAfter(now)) {
      throw invalid("expiration " + exp + " is not in the future");
    }
    ReferenceValue rv = new ReferenceValue(name, exp, list);
    store.put(rv);
    return rv;
  }

  /**
   * Registers every entry of a Trustee RVPS message {@code {"version": "0.1.0", "type":
   * "sample", "payload": "<base64 of {name: value, ...}>"}} with the default expiry.
   */
  public List<ReferenceValue> registerRvpsMessage(JsonNode message)
      throws AttestationException, IOException {
    if (!"0.1.0".equals(message.path("version").asText())) {
      throw invalid("RVPS message version must be 0.1.0");
    }
    if (!"sample".equals(message.path("type").asText())) {
      throw invalid("only RVPS messages of type \"sample\" are supported");
    }
    JsonNode payload;
    try {
      payload = mapper.readTree(Base64.getDecoder().decode(message.path("payload").asText()));
    } catch (IllegalArgumentException | IOException e) {
      throw invalid("RVPS payload must be standard base64 of a JSON object");
    }
    if (payload == null || !payload.isObject()) {
      throw invalid("RVPS payload must be standard base64 of a JSON object");
    }
    List<ReferenceValue> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : payload.properties()) {
      out.add(register(e.getKey(), e.getValue(), null));
    }
    return out;
  }

  private static String scalar(JsonNode v, String name) throws AttestationException {
    if (v.isTextual()) {
      return v.asText();
    }
    if (v.isNumber() || v.isBoolean()) {
      return v.asText();
    }
    throw invalid("values of " + name + " must be strings, numbers or booleans");
  }

  private static AttestationException invalid(String message) {
    return new AttestationException(Reason.INVALID_REFERENCE_VALUE, message);
  }
}
