package dev.carapace.tdx;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** Loads test vectors from {@code src/test/resources/vectors}. */
public final class Vectors {
  private Vectors() {}

  public static byte[] read(String path) {
    try (InputStream in = Vectors.class.getResourceAsStream("/vectors/" + path)) {
      if (in == null) {
        throw new IllegalArgumentException("no test vector " + path);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String path) {
    return new String(read(path), java.nio.charset.StandardCharsets.UTF_8);
  }
}
