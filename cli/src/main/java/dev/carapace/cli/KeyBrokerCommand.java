package dev.carapace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code carapace key-broker} and {@code carapace demo}: listed here for help; the
 * {@code ./carapace} script runs them from the key broker's own Spring Boot jar.
 */
final class KeyBrokerCommand {
  private KeyBrokerCommand() {}

  @Command(
      name = "key-broker",
      mixinStandardHelpOptions = true,
      description = {
          "Run the key broker (KBS protocol 0.4.0, Spring Boot): ./carapace key-broker "
              + "[--port N] [--data DIR] [--dev] [--attestation-url URL] [--admin-key PEM]",
          "The ./carapace script starts key-broker/target/key-broker-exec.jar; this JAR alone "
              + "does not contain the broker."})
  static final class Broker implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getErr().println("carapace key-broker: start it with the ./carapace "
          + "script at the repository root (./carapace key-broker --help)");
      return Carapace.USAGE;
    }
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description = {
          "Attested key release end to end on loopback: ./carapace demo [--data DIR]",
          "Starts the key broker with its built-in attestation service (development mode), "
              + "provisions reference values, policies and a model key, then a registered "
              + "simulated TDX guest decrypts the model and a guest with another kernel command "
              + "line is refused. Exit 0 only when both happen."})
  static final class Demo implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getErr().println("carapace demo: run it with the ./carapace script at "
          + "the repository root (./carapace demo)");
      return Carapace.USAGE;
    }
  }
}
