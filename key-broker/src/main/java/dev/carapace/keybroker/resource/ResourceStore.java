package dev.carapace.keybroker.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.kbs.protocol.KbsJson;
import dev.carapace.kbs.protocol.KbsProtocolException;
import dev.carapace.keybroker.store.KeyValueStore;
import dev.carapace.keybroker.store.KeyValueStore.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Resources (secrets released to attested guests), envelope-encrypted: each value has its own
 * random AES-256 data key; the value is sealed with AES-GCM under the data key and the data key
 * with AES-GCM under the {@link MasterKey}, both bound to the resource path as associated data (a
 * sealed value copied to another path does not open). Stored durably in the {@link KeyValueStore}
 * (namespace {@code resources}): a write that returned survives a crash. Thread-safe.
 */
public final class ResourceStore {
  private static final String NAMESPACE = "resources";
  private static final int FORMAT = 1;
  /** Largest resource accepted. */
  public static final int MAX_RESOURCE_BYTES = 1024 * 1024;

  private final KeyValueStore store;
  private final MasterKey master;
  private final SecureRandom random;

  public ResourceStore(KeyValueStore store, MasterKey master, SecureRandom random) {
    this.store = store;
    this.master = master;
    this.random = random;
  }

  /** Stores {@code value} at {@code path} ({@code repository/type/tag}), replacing any other. */
  public void put(String path, byte[] value) throws IOException {
    if (value.length > MAX_RESOURCE_BYTES) {
      throw new IllegalArgumentException("resources hold at most " + MAX_RESOURCE_BYTES + " bytes");
    }
    byte[] dataKey = new byte[32];
    random.nextBytes(dataKey);
    try {
      byte[] aad = aad(path);
      byte[] ivData = iv();
      byte[] ivKey = iv();
      byte[] sealedValue = gcm(Cipher.ENCRYPT_MODE, new SecretKeySpec(dataKey, "AES"), ivData,
          aad, value);
      byte[] wrappedKey = gcm(Cipher.ENCRYPT_MODE, master.key(), ivKey, aad, dataKey);
      ObjectNode n = KbsJson.object();
      n.put("format", FORMAT);
      n.put("key_iv", b64(ivKey));
      n.put("wrapped_key", b64(wrappedKey));
      n.put("iv", b64(ivData));
      n.put("ciphertext", b64(sealedValue));
      store.put(NAMESPACE, path, KbsJson.write(n).getBytes(StandardCharsets.UTF_8),
          Durability.DURABLE);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is required by the Java platform", e);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  /**
   * The resource at {@code path}, if any.
   *
   * @throws IOException if it cannot be read or does not open under the master key (corrupted,
   *     moved, or sealed under another master key)
   */
  public Optional<byte[]> get(String path) throws IOException {
    Optional<byte[]> raw = store.get(NAMESPACE, path);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    byte[] dataKey = null;
    try {
      JsonNode n = KbsJson.parse(raw.get());
      if (n.path("format").asInt() != FORMAT) {
        throw new IOException("resource " + path + " has an unknown format");
      }
      byte[] aad = aad(path);
      dataKey = gcm(Cipher.DECRYPT_MODE, master.key(), unb64(n, "key_iv"), aad,
          unb64(n, "wrapped_key"));
      return Optional.of(gcm(Cipher.DECRYPT_MODE, new SecretKeySpec(dataKey, "AES"),
          unb64(n, "iv"), aad, unb64(n, "ciphertext")));
    } catch (KbsProtocolException | IllegalArgumentException e) {
      throw new IOException("resource " + path + " is corrupted", e);
    } catch (GeneralSecurityException e) {
      throw new IOException("resource " + path + " does not open under the master key", e);
    } finally {
      if (dataKey != null) {
        Arrays.fill(dataKey, (byte) 0);
      }
    }
  }

  public boolean delete(String path) throws IOException {
    return store.delete(NAMESPACE, path);
  }

  public List<String> paths() throws IOException {
    return store.keys(NAMESPACE);
  }

  private byte[] iv() {
    byte[] iv = new byte[12];
    random.nextBytes(iv);
    return iv;
  }

  private static byte[] gcm(int mode, SecretKey key, byte[] iv, byte[] aad, byte[] input)
      throws GeneralSecurityException {
    Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
    c.init(mode, key, new GCMParameterSpec(128, iv));
    c.updateAAD(aad);
    return c.doFinal(input);
  }

  private static byte[] aad(String path) {
    return ("carapace-kbs-resource-v1:" + path).getBytes(StandardCharsets.UTF_8);
  }

  private static String b64(byte[] b) {
    return Base64.getEncoder().encodeToString(b);
  }

  private static byte[] unb64(JsonNode n, String member) {
    JsonNode v = n.get(member);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing " + member);
    }
    return Base64.getDecoder().decode(v.asText());
  }
}
