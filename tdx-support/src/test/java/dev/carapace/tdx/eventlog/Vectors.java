package dev.carapace.tdx.eventlog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads test vectors from {@code src/test/resources/vectors/}. */
final class Vectors {
  static final String TRUSTEE = "trustee-ccel/";
  static final String GTG = "go-tdx-guest-ccel/";

  private Vectors() {}

  static byte[] read(String path) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + path)) {
      if (in == null) {
        throw new IllegalStateException("missing test vector " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
