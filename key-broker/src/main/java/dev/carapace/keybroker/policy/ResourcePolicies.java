package dev.carapace.keybroker.policy;

import dev.carapace.keybroker.store.KeyValueStore;
import dev.carapace.keybroker.store.KeyValueStore.Durability;
import dev.carapace.policy.DefaultPolicies;
import dev.carapace.policy.PolicyParser;
import dev.carapace.policy.PolicyValidationException;
import dev.carapace.policy.ResourcePolicy;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The resource policy in force, kept in the shared {@link KeyValueStore} (namespace
 * {@code policies}, key {@code resource-policy}) so that every replica applies the same one; the
 * built-in default ({@link DefaultPolicies#resource()}) until one is set. A document is validated
 * before it is stored; the compiled form is cached per document text. Thread-safe.
 */
public final class ResourcePolicies {
  public static final String ID = "resource-policy";
  private static final String NAMESPACE = "policies";

  private record Compiled(String document, ResourcePolicy policy) {}

  private final KeyValueStore store;
  private volatile Compiled cached;

  public ResourcePolicies(KeyValueStore store) {
    this.store = store;
  }

  /** The policy in force. */
  public ResourcePolicy current() throws IOException {
    Optional<byte[]> raw = store.get(NAMESPACE, ID);
    if (raw.isEmpty()) {
      return DefaultPolicies.resource();
    }
    String doc = new String(raw.get(), StandardCharsets.UTF_8);
    Compiled c = cached;
    if (c != null && c.document().equals(doc)) {
      return c.policy();
    }
    try {
      ResourcePolicy p = PolicyParser.resource(doc);
      cached = new Compiled(doc, p);
      return p;
    } catch (PolicyValidationException e) {
      throw new IOException("the stored resource policy no longer validates", e);
    }
  }

  /** The stored document, or the default's. */
  public String document() throws IOException {
    return store.get(NAMESPACE, ID).map(b -> new String(b, StandardCharsets.UTF_8))
        .orElse(DefaultPolicies.resourceDocument());
  }

  /** Validates and stores {@code document}. */
  public ResourcePolicy set(String document) throws PolicyValidationException, IOException {
    ResourcePolicy p = PolicyParser.resource(document);
    store.put(NAMESPACE, ID, document.getBytes(StandardCharsets.UTF_8), Durability.DURABLE);
    cached = new Compiled(document, p);
    return p;
  }
}
