package dev.carapace.attestation.service.store;

import dev.carapace.evidence.io.pem.AtomicFiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * {@link SigningKeyStore} as one JSON file ({@value #FILE_NAME}, mode 0600) holding every key's
 * public key (base64 SubjectPublicKeyInfo), the current generated key's private key (base64
 * PKCS#8) and their life-cycle dates. Replaced atomically on each save. Thread-safe.
 */
public final class FileSigningKeyStore implements SigningKeyStore {
  public static final String FILE_NAME = "signing-keys.json";

  private final Path file;
  private final ObjectMapper mapper;

  public FileSigningKeyStore(Path dir, ObjectMapper mapper) {
    this.file = Objects.requireNonNull(dir, "dir").resolve(FILE_NAME);
    this.mapper = Objects.requireNonNull(mapper, "mapper");
  }

  @Override
  public synchronized List<StoredSigningKey> load() throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    JsonNode root = mapper.readTree(file.toFile());
    List<StoredSigningKey> keys = new ArrayList<>();
    try {
      for (JsonNode k : root.path("keys")) {
        JsonNode retired = k.path("retired");
        JsonNode priv = k.path("private_key");
        keys.add(new StoredSigningKey(k.path("kid").asText(),
            Base64.getDecoder().decode(k.path("public_key").asText()),
            priv.isTextual() ? Base64.getDecoder().decode(priv.asText()) : null,
            Instant.parse(k.path("created").asText()),
            retired.isTextual() ? Instant.parse(retired.asText()) : null));
      }
    } catch (IllegalArgumentException | DateTimeParseException e) {
      throw new IOException(file + " is malformed: " + e.getMessage(), e);
    }
    return keys;
  }

  @Override
  public synchronized void save(List<StoredSigningKey> keys) throws IOException {
    ObjectNode root = mapper.createObjectNode();
    ArrayNode array = root.putArray("keys");
    for (StoredSigningKey k : keys) {
      ObjectNode n = array.addObject();
      n.put("kid", k.kid());
      n.put("public_key", Base64.getEncoder().encodeToString(k.publicKey()));
      k.privateKey().ifPresent(der -> {
        n.put("private_key", Base64.getEncoder().encodeToString(der));
        Arrays.fill(der, (byte) 0);
      });
      n.put("created", k.created().toString());
      k.retired().ifPresent(r -> n.put("retired", r.toString()));
    }
    AtomicFiles.writeCreatingDirectory(file,
        mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(root), true);
  }
}
