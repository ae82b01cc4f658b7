package dev.carapace.evidence.io.pem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
  @TempDir Path dir;

  private boolean posix() throws IOException {
    return Files.getFileStore(dir).supportsFileAttributeView("posix");
  }

  private void assertNoTemporaryFilesLeft() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void writeWhenSecretThenOwnerOnly() throws Exception {
    assumeTrue(posix());
    Path file = dir.resolve("key.pem");
    AtomicFiles.write(file, new byte[] {1, 2}, true);
    assertThat(Files.readAllBytes(file)).containsExactly(1, 2);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    assertNoTemporaryFilesLeft();
  }

  @Test
  void writeWhenNotSecretThenWorldReadable() throws Exception {
    assumeTrue(posix());
    Path file = dir.resolve("cert.pem");
    AtomicFiles.write(file, new byte[] {3}, false);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-r--r--");
  }

  @Test
  void writeWhenFileExistsThenReplacedWithNewPermissions() throws Exception {
    Path file = dir.resolve("f.pem");
    AtomicFiles.write(file, new byte[] {1, 1, 1, 1}, false);
    AtomicFiles.write(file, new byte[] {2}, true);
    assertThat(Files.readAllBytes(file)).containsExactly(2);
    if (posix()) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
          .isEqualTo("rw-------");
    }
    assertNoTemporaryFilesLeft();
  }

  @Test
  void writeWhenDirectoryIsMissingThenIoExceptionAndNothingWritten() {
    Path file = dir.resolve("missing").resolve("f.pem");
    assertThatThrownBy(() -> AtomicFiles.write(file, new byte[] {1}, false))
        .isInstanceOf(IOException.class);
    assertThat(file).doesNotExist();
  }

  @Test
  void syncDirectoryWhenNotADirectoryThenNoException() {
    AtomicFiles.syncDirectory(dir.resolve("nonexistent"));
    AtomicFiles.syncDirectory(dir);
  }
}
