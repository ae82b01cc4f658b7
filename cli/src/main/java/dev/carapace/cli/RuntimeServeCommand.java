package dev.carapace.cli;

import dev.carapace.runtime.kvm.Kvm;
import dev.carapace.runtime.kvm.KvmException;
import dev.carapace.runtime.sandbox.SandboxDaemon;
import dev.carapace.runtime.sandbox.SandboxException;
import dev.carapace.runtime.sandbox.Sandboxer;
import dev.carapace.runtime.vmm.DevelopmentTdQuoting;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code carapace runtime serve}: the sandboxer daemon in the foreground until SIGTERM or Ctrl-C,
 * which stop and tear down every VM before the process exits.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {"Run the sandboxer daemon: many microVMs in this process, driven over a"
        + " Unix socket (mode 0600) with newline-delimited JSON (see runtime/README.md).",
        "SIGTERM or Ctrl-C stops and releases every VM."},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {"0:stopped by a signal", "1:the socket is in use",
        "2:usage error", "3:KVM, the socket or the development PKI is unusable"})
final class RuntimeServeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--socket", required = true, paramLabel = "PATH",
      description = "Where to listen (a stale socket file is replaced).")
  Path socket;

  @Option(names = "--dev", description = "Development mode: serve simulated TD quotes signed"
      + " by a development PKI (never trusted by default anywhere).")
  boolean dev;

  @Option(names = "--dev-pki", paramLabel = "DIR", defaultValue = "carapace-dev-pki",
      description = "Development PKI directory, generated if missing (default: ${DEFAULT-VALUE}).")
  Path pkiDir;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try (Kvm kvm = Kvm.open()) {
      SandboxDaemon daemon = open(kvm, socket, dev ? pkiDir : null, Clock.systemUTC(),
          new SecureRandom(), err);
      Thread stopper = new Thread(daemon::close, "carapace-runtime-shutdown");
      Runtime.getRuntime().addShutdownHook(stopper);
      err.println("carapace runtime serve: listening on " + daemon.socket()
          + (dev ? " (development quotes, PKI in " + pkiDir.toAbsolutePath() + ")" : ""));
      err.flush();
      try {
        daemon.awaitClosed();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        daemon.close();
      }
      return Carapace.OK;
    } catch (KvmException e) {
      err.println("carapace runtime serve: KVM is unusable: " + e.getMessage());
      return Carapace.IO_ERROR;
    } catch (SandboxException e) {
      err.println("carapace runtime serve: " + e.getMessage());
      return Carapace.REJECTED;
    } catch (IOException | GeneralSecurityException e) {
      err.println("carapace runtime serve: " + e.getMessage());
      return Carapace.IO_ERROR;
    }
  }

  /**
   * Starts a daemon on {@code socket}; with {@code pkiDir}, development quoting with the PKI
   * there (generated and written if the directory has none).
   */
  static SandboxDaemon open(Kvm kvm, Path socket, @Nullable Path pkiDir, Clock clock,
      SecureRandom random, PrintWriter err)
      throws IOException, GeneralSecurityException, SandboxException {
    DevelopmentTdQuoting quoting = null;
    if (pkiDir != null) {
      Provider bc = new BouncyCastleProvider();
      DevelopmentPki pki;
      if (Files.exists(pkiDir.resolve("root-ca.pem"))) {
        pki = DevelopmentPki.readFrom(pkiDir, bc);
      } else {
        pki = DevelopmentPki.generate(random, bc, clock);
        pki.writeTo(pkiDir);
        err.println("carapace runtime serve: created development PKI in " + pkiDir);
      }
      quoting = new DevelopmentTdQuoting(
          new TdxQuoteSimulator(pki, SimulatedPlatform.defaults(), random, bc, clock));
    }
    Sandboxer sandboxer = new Sandboxer(kvm, clock, quoting);
    try {
      return SandboxDaemon.start(socket, sandboxer);
    } catch (IOException | SandboxException | RuntimeException e) {
      sandboxer.close();
      throw e;
    }
  }
}
