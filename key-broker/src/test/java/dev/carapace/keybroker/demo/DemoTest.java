package dev.carapace.keybroker.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoTest {
  @Test
  void demoReleasesToTheRegisteredGuestAndRefusesTheOtherCommandLine() throws Exception {
    Path data = Files.createTempDirectory("demo-test");
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int code = Demo.run(new String[] {"--data", data.toString()},
        new PrintStream(buf, true, StandardCharsets.UTF_8));
    String out = buf.toString(StandardCharsets.UTF_8);
    assertThat(code).as(out).isZero();
    assertThat(out).contains("identical to the original")
        .contains("weights  = [1.842")
        .contains("refused (POLICY_DENIED)")
        .contains("executables=33")
        .contains("DEMO PASSED");
    assertThat(new String(Files.readAllBytes(data.resolve("fraud-detector.model.enc")),
        StandardCharsets.ISO_8859_1)).isNotEmpty().doesNotContain("fraud-detector v3");
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(Demo.run(new String[] {"--bogus"}, new PrintStream(new ByteArrayOutputStream())))
        .isEqualTo(2);
  }
}
