package dev.carapace.attestation.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The checked-in test vectors (src/test/resources/vectors, see PROVENANCE.md there). */
public final class TestVectors {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private TestVectors() {}

  public static byte[] bytes(String path) {
    try (InputStream in = TestVectors.class.getResourceAsStream("/vectors/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test vector " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonNode json(String path) {
    try {
      return MAPPER.readTree(bytes(path));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Trustee's generated KBS protocol vectors. */
  public static JsonNode kbs() {
    return json("trustee/kbs-protocol-test-vectors.json");
  }
}
