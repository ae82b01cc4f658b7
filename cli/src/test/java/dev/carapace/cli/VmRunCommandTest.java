package dev.carapace.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VmRunCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return Carapace.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void runWhenKernelMissingThenIoErrorWithJsonErrorShape(@TempDir Path dir) {
    int code = run("vm", "run", "--kernel", dir.resolve("nope").toString(), "--json");
    assertThat(code).isEqualTo(Carapace.IO_ERROR);
    assertThat(err.toString()).contains("\"error\"").contains("\"reason\" : \"UNREADABLE\"");
  }

  @Test
  void runWhenFileIsNotAKernelThenRejected(@TempDir Path dir) throws Exception {
    Path junk = Files.write(dir.resolve("junk"), new byte[4096]);
    assertThat(run("vm", "run", "--kernel", junk.toString())).isEqualTo(Carapace.REJECTED);
  }

  @Test
  void runWhenMemorySizeMalformedThenUsage(@TempDir Path dir) {
    assertThat(run("vm", "run", "--kernel", dir.toString(), "--memory", "lots"))
        .isEqualTo(Carapace.USAGE);
  }

  @Test
  void parseSizeWhenUnitsGivenThenBytes() {
    assertThat(MemorySize.parse("256M")).isEqualTo(256L << 20);
    assertThat(MemorySize.parse("1g")).isEqualTo(1L << 30);
    assertThat(MemorySize.parse("4096")).isEqualTo(4096);
  }

  @Test
  void parseSizeWhenZeroUnalignedOrNotASizeThenRefusedAlikeForEveryCommand() {
    for (String bad : new String[] {"0", "1000", "12X", "2T"}) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> MemorySize.parse(bad))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
