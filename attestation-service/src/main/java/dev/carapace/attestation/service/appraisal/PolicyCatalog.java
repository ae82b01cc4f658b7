package dev.carapace.attestation.service.appraisal;

import dev.carapace.attestation.service.appraisal.AttestationException.Reason;
import dev.carapace.attestation.service.appraisal.PolicyEngine.CompiledPolicy;
import dev.carapace.attestation.service.store.PolicyStore;
import dev.carapace.attestation.service.store.StoredPolicy;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Appraisal policies by id: documents in the {@link PolicyStore}, each validated by the {@link
 * PolicyEngine} before it is stored and kept parsed in memory, plus the built-in {@code default}
 * until a document with that id is uploaded (deleting it restores the built-in one).
 * Thread-safe.
 */
public final class PolicyCatalog {
  public static final String DEFAULT_ID = "default";
  /** Policy ids: letters, digits, '.', '_' and '-', 1 to 128 characters. */
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** A listing entry. */
  public record PolicyInfo(String id, String version, String description, boolean builtIn) {}

  private final PolicyStore store;
  private final PolicyEngine engine;
  private final Clock clock;
  private final Map<String, CompiledPolicy> compiled = new ConcurrentHashMap<>();

  /** Parses every stored document; a stored document that no longer validates stops start-up. */
  public PolicyCatalog(PolicyStore store, PolicyEngine engine, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.clock = Objects.requireNonNull(clock, "clock");
    for (StoredPolicy p : store.list()) {
      try {
        compiled.put(p.id(), engine.compile(p.document()));
      } catch (AttestationException e) {
        throw new IllegalStateException("stored policy " + p.id() + " is invalid: "
            + e.getMessage(), e);
      }
    }
  }

  public List<PolicyInfo> list() {
    List<PolicyInfo> out = new ArrayList<>();
    if (!compiled.containsKey(DEFAULT_ID)) {
      CompiledPolicy d = engine.defaultPolicy();
      out.add(new PolicyInfo(DEFAULT_ID, d.version(), d.description(), true));
    }
    for (StoredPolicy p : store.list()) {
      CompiledPolicy c = compiled.get(p.id());
      if (c != null) {
        out.add(new PolicyInfo(p.id(), c.version(), c.description(), false));
      }
    }
    out.sort((a, b) -> a.id().compareTo(b.id()));
    return out;
  }

  /** The policy to appraise with. */
  public CompiledPolicy policy(String id) throws AttestationException {
    CompiledPolicy c = compiled.get(id);
    if (c != null) {
      return c;
    }
    if (DEFAULT_ID.equals(id)) {
      return engine.defaultPolicy();
    }
    throw new AttestationException(Reason.POLICY_NOT_FOUND, "no policy with id " + id);
  }

  /** The stored document text; empty for the built-in default (it has no stored text). */
  public Optional<String> document(String id) throws AttestationException {
    Optional<StoredPolicy> p = store.get(id);
    if (p.isPresent()) {
      return Optional.of(p.get().document());
    }
    if (DEFAULT_ID.equals(id)) {
      return Optional.empty();
    }
    throw new AttestationException(Reason.POLICY_NOT_FOUND, "no policy with id " + id);
  }

  /** The text of the built-in default policy. */
  public String defaultDocument() {
    return engine.defaultDocument();
  }

  /**
   * Validates and stores {@code document} under {@code id}; the document's own id must be {@code
   * id}. Returns true when it replaced a stored policy.
   */
  public boolean put(String id, String document) throws AttestationException, IOException {
    requireId(id);
    CompiledPolicy c = engine.compile(document);
    if (!c.id().equals(id)) {
      throw new AttestationException(Reason.INVALID_POLICY,
          "the document's id is \"" + c.id() + "\", the URL's is \"" + id + "\"");
    }
    synchronized (this) {
      boolean existed = store.get(id).isPresent();
      store.put(new StoredPolicy(id, document, clock.instant()));
      compiled.put(id, c);
      return existed;
    }
  }

  /** Deletes a stored policy. The built-in default cannot be deleted (only an uploaded one). */
  public synchronized void delete(String id) throws AttestationException, IOException {
    if (!store.delete(id)) {
      throw new AttestationException(Reason.POLICY_NOT_FOUND, DEFAULT_ID.equals(id)
          ? "the built-in default policy cannot be deleted" : "no policy with id " + id);
    }
    compiled.remove(id);
  }

  private static void requireId(String id) throws AttestationException {
    if (!ID.matcher(id).matches()) {
      throw new AttestationException(Reason.INVALID_POLICY,
          "policy ids are 1 to 128 of [A-Za-z0-9._-], starting with a letter or digit");
    }
  }
}
