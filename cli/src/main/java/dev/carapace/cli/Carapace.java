package dev.carapace.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code carapace} command. Exit codes follow a common convention: 0 success, 1 the input
 * was examined and rejected (verification failed, measurements differ), 2 usage error, 3 an input
 * or output could not be read or written.
 */
@Command(
    name = "carapace",
    mixinStandardHelpOptions = true,
    versionProvider = Carapace.Version.class,
    description = "Carapace: confidential containers on Intel TDX and AMD SEV-SNP.",
    subcommands = {TdxCommand.class, SnpCommand.class, MeasureCommand.class, KernelCommand.class,
        VmCommand.class, RuntimeCommand.class, AttestationServiceCommand.class,
        KeyBrokerCommand.Broker.class, KeyBrokerCommand.Demo.class,
        CommandLine.HelpCommand.class})
public final class Carapace {
  public static final int OK = 0;
  public static final int REJECTED = 1;
  public static final int USAGE = 2;
  public static final int IO_ERROR = 3;

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  /** Runs the command line with the given streams; returns the exit code. */
  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cl = new CommandLine(new Carapace());
    cl.setOut(out);
    cl.setErr(err);
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      commandLine.getErr().println("carapace: " + ex.getMessage());
      return IO_ERROR;
    });
    return cl.execute(args);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Carapace.class.getPackage().getImplementationVersion();
      return new String[] {"carapace " + (v == null ? "development build" : v)};
    }
  }
}
