package dev.carapace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KernelExtractCommandTest {
  @Test
  void extractWhenGzipBzImageThenOriginalVmlinuxWritten(@TempDir Path dir) throws Exception {
    byte[] vmlinux = TestImages.vmlinux();
    Path bz = Files.write(dir.resolve("bzImage"), TestImages.bzImage(vmlinux));
    Path out = dir.resolve("out/vmlinux");

    CarapaceCliTest.Run r = CarapaceCliTest.run("kernel", "extract-vmlinux", bz.toString(),
        "--out", out.toString(), "--json");

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(Files.readAllBytes(out)).isEqualTo(vmlinux);
    JsonNode n = Json.MAPPER.readTree(r.out());
    assertThat(n.get("compression").asText()).isEqualTo("GZIP");
    assertThat(n.get("size").asInt()).isEqualTo(vmlinux.length);
  }

  @Test
  void extractWhenDebianCloudKernelThenLz4VmlinuxAndProgressOnStderr(@TempDir Path dir)
      throws Exception {
    Optional<Path> debian = TestImages.debianKernel();
    assumeTrue(debian.isPresent(),
        "Debian cloud kernel not found; run runtime/scripts/fetch-debian-kernel.sh");
    Path out = dir.resolve("vmlinux");

    CarapaceCliTest.Run r = CarapaceCliTest.run("kernel", "extract-vmlinux",
        debian.get().toString(), "--out", out.toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("LZ4_LEGACY");
    assertThat(r.err()).contains("MiB");
    byte[] head = Files.readAllBytes(out);
    assertThat(head).startsWith(0x7f, 'E', 'L', 'F');
  }

  @Test
  void extractWhenNotABzImageThenRejectedOrIoError(@TempDir Path dir) throws Exception {
    Path elf = Files.write(dir.resolve("vmlinux"), TestImages.vmlinux());
    Path out = dir.resolve("x");

    CarapaceCliTest.Run r = CarapaceCliTest.run("kernel", "extract-vmlinux", elf.toString(),
        "--out", out.toString(), "--json");
    assertThat(r.exit()).isEqualTo(1);
    assertThat(Json.MAPPER.readTree(r.out()).at("/error/reason").asText())
        .isEqualTo("NOT_A_BZIMAGE");
    assertThat(out).doesNotExist();
    assertThat(CarapaceCliTest.run("kernel", "extract-vmlinux",
        dir.resolve("missing").toString(), "--out", out.toString()).exit()).isEqualTo(3);
  }
}
