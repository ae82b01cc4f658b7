package dev.carapace.snp.measure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.model.Bytes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads test vectors from {@code src/test/resources/vectors/measure/}. */
final class MeasureVectors {
  static final String AMDSEV = "ovmf_AmdSev_suffix.bin";
  static final String OVMFX64 = "ovmf_OvmfX64_suffix.bin";

  private MeasureVectors() {}

  static Bytes bytes(String name) {
    try (InputStream in = MeasureVectors.class.getResourceAsStream("/vectors/measure/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test vector " + name);
      }
      return Bytes.copyOf(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(String name) {
    try {
      return new ObjectMapper().readTree(bytes(name).toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static long hex(String s) {
    return Long.parseLong(s.startsWith("0x") ? s.substring(2) : s, 16);
  }
}
