package dev.carapace.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.runtime.sandbox.SandboxClient;
import dev.carapace.runtime.sandbox.SandboxException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code carapace runtime}: the sandboxer daemon ({@code serve}) and its clients. Every client
 * subcommand sends one request over the daemon's socket and prints the result.
 */
@Command(
    name = "runtime",
    mixinStandardHelpOptions = true,
    description = "The sandboxer daemon that owns many microVMs, and commands that drive it.",
    subcommands = {RuntimeServeCommand.class, RuntimeCommand.Create.class,
        RuntimeCommand.Start.class, RuntimeCommand.Stop.class, RuntimeCommand.Delete.class,
        RuntimeCommand.ListVms.class, RuntimeCommand.Console.class, RuntimeCommand.Quote.class})
final class RuntimeCommand {
  static final String[] CLIENT_EXIT_CODES = {"0:done", "1:the daemon refused the request",
      "2:usage error", "3:the daemon could not be reached"};

  /** What every client subcommand shares: the socket, --json, sending and printing. */
  abstract static class Client implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--socket", required = true, paramLabel = "PATH",
        description = "The daemon's Unix socket.")
    Path socket;

    @Option(names = "--json", description = "Print the daemon's JSON result (or error).")
    boolean json;

    abstract ObjectNode request(SandboxClient c);

    /** Human-readable output of a successful result. */
    void print(PrintWriter out, JsonNode result) {
      out.println(Json.pretty((ObjectNode) result));
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (SandboxClient c = SandboxClient.connect(socket)) {
        JsonNode result = c.call(request(c));
        if (json) {
          out.println(Json.pretty((ObjectNode) result));
        } else {
          print(out, result);
        }
        return Carapace.OK;
      } catch (SandboxException e) {
        return refused(out, err, e);
      } catch (IOException e) {
        return unreachable(out, err, e);
      }
    }

    int refused(PrintWriter out, PrintWriter err, SandboxException e) {
      if (json) {
        ObjectNode n = Json.object();
        Json.putError(n, e.reason().name(), e.getMessage());
        out.println(Json.pretty(n));
      }
      err.println("carapace runtime " + spec.name() + ": " + e.reason() + ": " + e.getMessage());
      return Carapace.REJECTED;
    }

    int unreachable(PrintWriter out, PrintWriter err, IOException e) {
      String message = "cannot talk to the daemon at " + socket + ": " + e.getMessage();
      if (json) {
        ObjectNode n = Json.object();
        Json.putError(n, "UNREACHABLE", message);
        out.println(Json.pretty(n));
      }
      err.println("carapace runtime " + spec.name() + ": " + message);
      return Carapace.IO_ERROR;
    }
  }

  @Command(name = "create", mixinStandardHelpOptions = true,
      description = "Create a VM from a kernel (vmlinux or bzImage), load and measure it.",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done",
          "1:the daemon refused the request", "2:usage error",
          "3:the daemon could not be reached"})
  static final class Create extends Client {
    @Parameters(index = "0", paramLabel = "NAME", description = "VM name: [A-Za-z0-9._-]{1,48}.")
    String name;

    @Option(names = "--kernel", required = true, paramLabel = "FILE",
        description = "Kernel file, as the daemon sees it.")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk.")
    Path initrd;

    @Option(names = "--append", paramLabel = "CMDLINE",
        description = "Kernel command line (default: the daemon's, console on ttyS0).")
    String append;

    @Option(names = "--memory", paramLabel = "SIZE", defaultValue = "256M",
        description = "Guest memory, bytes or with K/M/G (default: ${DEFAULT-VALUE}).")
    String memory;

    @Option(names = "--vcpus", paramLabel = "N", defaultValue = "1",
        description = "vCPU count (default: ${DEFAULT-VALUE}).")
    int vcpus;

    @Override
    ObjectNode request(SandboxClient c) {
      ObjectNode r = c.request("create").put("name", name)
          .put("kernel", kernel.toAbsolutePath().toString())
          .put("memory", MemorySize.parse(memory)).put("vcpus", vcpus);
      if (initrd != null) {
        r.put("initrd", initrd.toAbsolutePath().toString());
      }
      if (append != null) {
        r.put("append", append);
      }
      return r;
    }

    @Override
    public Integer call() {
      try {
        MemorySize.parse(memory);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("carapace runtime create: " + e.getMessage());
        return Carapace.USAGE;
      }
      return super.call();
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      printVm(out, r);
    }
  }

  @Command(name = "start", mixinStandardHelpOptions = true, description = "Start a created VM.",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done",
          "1:the daemon refused the request", "2:usage error",
          "3:the daemon could not be reached"})
  static final class Start extends Client {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    ObjectNode request(SandboxClient c) {
      return c.request("start").put("name", name);
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      printVm(out, r);
    }
  }

  @Command(name = "stop", mixinStandardHelpOptions = true,
      description = "Stop a VM; it stays listed with its outcome until deleted.",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done",
          "1:the daemon refused the request", "2:usage error",
          "3:the daemon could not be reached"})
  static final class Stop extends Client {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    ObjectNode request(SandboxClient c) {
      return c.request("stop").put("name", name);
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      printVm(out, r);
    }
  }

  @Command(name = "delete", mixinStandardHelpOptions = true,
      description = "Stop a VM if it runs and release everything it holds.",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done",
          "1:the daemon refused the request", "2:usage error",
          "3:the daemon could not be reached"})
  static final class Delete extends Client {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    ObjectNode request(SandboxClient c) {
      return c.request("delete").put("name", name);
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      out.println("deleted " + r.path("name").asText());
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List the VMs.",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done",
          "1:the daemon refused the request", "2:usage error",
          "3:the daemon could not be reached"})
  static final class ListVms extends Client {
    @Override
    ObjectNode request(SandboxClient c) {
      return c.request("list");
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      for (JsonNode vm : r.path("vms")) {
        printVm(out, vm);
      }
    }
  }

  @Command(name = "quote", mixinStandardHelpOptions = true,
      description = "A simulated TD quote (base64) over the VM's launch measurement and 64 bytes"
          + " of report data; needs a daemon started with --dev.",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:done",
          "1:the daemon refused the request", "2:usage error",
          "3:the daemon could not be reached"})
  static final class Quote extends Client {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Option(names = "--report-data", required = true, paramLabel = "HEX",
        description = "Report data, hex, up to 64 bytes (zero-padded on the right).")
    String reportData;

    @Override
    ObjectNode request(SandboxClient c) {
      return c.request("quote").put("name", name)
          .put("reportData", HexArgs.padded(reportData, 64, "--report-data").toHex());
    }

    @Override
    public Integer call() {
      try {
        HexArgs.padded(reportData, 64, "--report-data");
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("carapace runtime quote: " + e.getMessage());
        return Carapace.USAGE;
      }
      return super.call();
    }

    @Override
    void print(PrintWriter out, JsonNode r) {
      out.println(r.path("quote").asText());
    }
  }

  @Command(name = "console", mixinStandardHelpOptions = true,
      description = "Print a VM's console captured so far and follow it until the VM ends"
          + " (Ctrl-C to leave).",
      exitCodeListHeading = "Exit codes:%n", exitCodeList = {"0:the VM ended",
          "1:the daemon refused the request", "2:usage error",
          "3:the daemon could not be reached"})
  static final class Console extends Client {
    @Parameters(index = "0", paramLabel = "NAME") String name;

    @Override
    ObjectNode request(SandboxClient c) {
      return c.request("console").put("name", name);
    }

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try (SandboxClient c = SandboxClient.connect(socket)) {
        c.console(name, new OutputStream() {
          @Override
          public void write(int b) {
            out.write(b & 0xff);
          }

          @Override
          public void flush() {
            out.flush();
          }
        });
        out.flush();
        return Carapace.OK;
      } catch (SandboxException e) {
        return refused(out, err, e);
      } catch (IOException e) {
        return unreachable(out, err, e);
      }
    }
  }

  static void printVm(PrintWriter out, JsonNode vm) {
    StringBuilder line = new StringBuilder();
    line.append(vm.path("name").asText()).append("  ").append(vm.path("state").asText())
        .append("  vcpus=").append(vm.path("vcpus").asInt())
        .append("  memory=").append(vm.path("memory").asLong() >> 20).append("M");
    if (vm.has("outcome")) {
      line.append("  outcome=").append(vm.at("/outcome/cause").asText()).append(" (")
          .append(vm.at("/outcome/detail").asText()).append(")");
    }
    out.println(line);
    if (vm.has("measurements")) {
      out.println("  MRTD  " + vm.at("/measurements/mrtd").asText());
      for (int i = 0; i < 4; i++) {
        out.println("  RTMR" + i + " " + vm.at("/measurements/rtmr" + i).asText());
      }
    }
  }
}
