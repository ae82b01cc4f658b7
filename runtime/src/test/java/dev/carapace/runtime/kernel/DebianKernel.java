package dev.carapace.runtime.kernel;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Locates Debian's cloud kernel as {@code runtime/scripts/fetch-debian-kernel.sh} leaves it
 * ({@code $CARAPACE_KERNEL_DIR}, default {@code ~/.cache/carapace/kernel}); tests that need it are
 * skipped with a message saying how to get it.
 */
public final class DebianKernel {
  private DebianKernel() {}

  public static Optional<Path> find() {
    String dir = System.getenv("CARAPACE_KERNEL_DIR");
    Path base = dir != null ? Path.of(dir)
        : Path.of(System.getProperty("user.home"), ".cache", "carapace", "kernel");
    if (!Files.isDirectory(base)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(base)) {
      return files.filter(p -> p.getFileName().toString().startsWith("vmlinuz-"))
          .filter(Files::isRegularFile).max(Comparator.naturalOrder());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The kernel's path, or the test is skipped. */
  public static Path require() {
    Optional<Path> p = find();
    assumeTrue(p.isPresent(), "Debian cloud kernel not found; run"
        + " runtime/scripts/fetch-debian-kernel.sh (uses apt-get download) to enable this test");
    return p.get();
  }
}
