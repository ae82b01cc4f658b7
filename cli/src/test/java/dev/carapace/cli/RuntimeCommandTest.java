package dev.carapace.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.sandbox.SandboxDaemon;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code carapace runtime} clients against a daemon started in-process. */
@Tag("kvm")
class RuntimeCommandTest {
  @Test
  void clientsWhenDaemonRunsThenCreateStartConsoleListQuoteDelete(@TempDir Path dir)
      throws Exception {
    assumeTrue(Files.exists(Path.of(Kvm.DEFAULT_DEVICE)) && TestImages.kvmUsable(),
        "skipped: /dev/kvm is missing or not usable on this host");
    Path kernel = Files.write(dir.resolve("vmlinux"), TestImages.printThenReset("cli guest\n"));
    Path pki = dir.resolve("pki");
    try (Kvm kvm = Kvm.open(); SandboxDaemon daemon = RuntimeServeCommand.open(kvm,
        dir.resolve("d.sock"), pki, Clock.systemUTC(), new SecureRandom(),
        new PrintWriter(new StringWriter()))) {
      String sock = daemon.socket().toString();
      assertThat(pki.resolve("root-ca.pem")).exists();

      CarapaceCliTest.Run created = CarapaceCliTest.run("runtime", "create", "g1", "--socket",
          sock, "--kernel", kernel.toString(), "--append", "console=ttyS0", "--memory", "16M",
          "--json");
      assertThat(created.exit()).as(created.err()).isZero();
      JsonNode vm = Json.MAPPER.readTree(created.out());
      assertThat(vm.get("state").asText()).isEqualTo("CREATED");
      JsonNode measured = Json.MAPPER.readTree(CarapaceCliTest.run("measure", "--kernel",
          kernel.toString(), "--append", "console=ttyS0", "--memory", "16M", "--json").out());
      assertThat(vm.at("/measurements/mrtd")).isEqualTo(measured.get("mrtd"));
      assertThat(vm.at("/measurements/rtmr2")).isEqualTo(measured.get("rtmr2"));

      CarapaceCliTest.Run quote = CarapaceCliTest.run("runtime", "quote", "g1", "--socket", sock,
          "--report-data", "c0ffee");
      assertThat(quote.exit()).as(quote.err()).isZero();
      Quote q = QuoteParser.parse(Base64.getDecoder().decode(quote.out().trim()));
      assertThat(q.body().mrTd().toHex()).isEqualTo(measured.get("mrtd").asText());
      assertThat(q.body().reportData().toHex()).startsWith("c0ffee00");

      assertThat(CarapaceCliTest.run("runtime", "start", "g1", "--socket", sock).exit())
          .isZero();
      CarapaceCliTest.Run console = CarapaceCliTest.run("runtime", "console", "g1", "--socket",
          sock);
      assertThat(console.exit()).as(console.err()).isZero();
      assertThat(console.out()).isEqualTo("cli guest\n");
      CarapaceCliTest.Run list = CarapaceCliTest.run("runtime", "list", "--socket", sock,
          "--json");
      assertThat(Json.MAPPER.readTree(list.out()).at("/vms/0/outcome/cause").asText())
          .isEqualTo("GUEST_RESET");
      CarapaceCliTest.Run text = CarapaceCliTest.run("runtime", "list", "--socket", sock);
      assertThat(text.out()).startsWith("g1  ENDED  vcpus=1  memory=16M  outcome=GUEST_RESET");

      CarapaceCliTest.Run refused = CarapaceCliTest.run("runtime", "start", "nope", "--socket",
          sock, "--json");
      assertThat(refused.exit()).isEqualTo(Carapace.REJECTED);
      assertThat(Json.MAPPER.readTree(refused.out()).at("/error/reason").asText())
          .isEqualTo("NOT_FOUND");
      assertThat(CarapaceCliTest.run("runtime", "create", "g2", "--socket", sock, "--kernel",
          kernel.toString(), "--memory", "lots").exit()).isEqualTo(Carapace.USAGE);
      assertThat(CarapaceCliTest.run("runtime", "delete", "g1", "--socket", sock).exit())
          .isZero();
      assertThat(Json.MAPPER.readTree(CarapaceCliTest.run("runtime", "list", "--socket", sock,
          "--json").out()).get("vms")).isEmpty();
    }
  }

  @Test
  void clientWhenNoDaemonThenIoErrorWithJsonErrorShape(@TempDir Path dir) throws Exception {
    CarapaceCliTest.Run r = CarapaceCliTest.run("runtime", "list", "--socket",
        dir.resolve("none.sock").toString(), "--json");
    assertThat(r.exit()).isEqualTo(Carapace.IO_ERROR);
    assertThat(Json.MAPPER.readTree(r.out()).at("/error/reason").asText())
        .isEqualTo("UNREACHABLE");
  }
}
