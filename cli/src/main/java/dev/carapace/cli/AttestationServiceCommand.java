package dev.carapace.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code carapace attestation-service}: listed here for help; the {@code ./carapace} script runs
 * the Spring Boot service itself, which lives in its own module and jar.
 */
@Command(
    name = "attestation-service",
    mixinStandardHelpOptions = true,
    description = {
        "Run the attestation service (Spring Boot): ./carapace attestation-service "
            + "[--port N] [--data DIR] [--dev]",
        "The ./carapace script starts attestation-service/target/attestation-service-exec.jar; this "
            + "JAR alone does not contain the service."})
final class AttestationServiceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getErr().println("carapace attestation-service: start it with the "
        + "./carapace script at the repository root (./carapace attestation-service --help)");
    return Carapace.USAGE;
  }
}
