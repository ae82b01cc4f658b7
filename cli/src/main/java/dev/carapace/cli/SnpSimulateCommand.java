package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.simulate.SimulatedReport;
import dev.carapace.snp.simulate.SnpDevelopmentPki;
import dev.carapace.snp.simulate.SnpReportRequest;
import dev.carapace.snp.simulate.SnpReportSimulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.concurrent.Callable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code carapace snp simulate}: a development SEV-SNP report and its VCEK. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Produce an SEV-SNP attestation report signed by a development ARK/ASK/VCEK hierarchy "
            + "(generated in --pki DIR on first use), and write the VCEK next to it.",
        "The development roots are never trusted by default: pass --trust-root DIR to "
            + "`carapace snp verify`."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "2:usage error", "3:files could not be read or written"})
final class SnpSimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--pki", required = true, paramLabel = "DIR",
      description = "Development hierarchy directory; created with fresh keys when empty.")
  Path pkiDir;

  @Option(names = "--out", required = true, paramLabel = "REPORT", description = "Report file.")
  Path out;

  @Option(names = "--product", paramLabel = "NAME", defaultValue = "Milan",
      description = "Milan, Genoa or Turin (default ${DEFAULT-VALUE}); used when creating --pki.")
  String product;

  @Option(names = "--measurement", paramLabel = "HEX", description = "MEASUREMENT, 48 bytes.")
  String measurement;

  @Option(names = "--report-data", paramLabel = "HEX", description = "REPORT_DATA, up to 64 bytes.")
  String reportData;

  @Option(names = "--host-data", paramLabel = "HEX", description = "HOST_DATA, 32 bytes.")
  String hostData;

  @Option(names = "--policy", paramLabel = "BITS", description = "Guest policy (default 0x30000).")
  String policy;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Product p;
    SnpReportRequest request;
    try {
      p = Product.fromName(product).orElseThrow(
          () -> new IllegalArgumentException("unknown --product " + product));
      SnpReportRequest.Builder b = SnpReportRequest.builder();
      if (measurement != null) {
        b.measurement(HexArgs.exactly(measurement, 48, "--measurement"));
      }
      if (reportData != null) {
        b.reportData(HexArgs.padded(reportData, 64, "--report-data"));
      }
      if (hostData != null) {
        b.hostData(HexArgs.exactly(hostData, 32, "--host-data"));
      }
      if (policy != null) {
        b.policy(Long.decode(policy));
      }
      request = b.build();
    } catch (IllegalArgumentException e) {
      err.println("carapace snp simulate: " + e.getMessage());
      return Carapace.USAGE;
    }
    Provider bc = new BouncyCastleProvider();
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    try {
      boolean created = !Files.exists(pkiDir.resolve("ark.pem"));
      SnpDevelopmentPki pki;
      if (created) {
        pki = SnpDevelopmentPki.generate(p, random, bc, clock);
        pki.writeTo(pkiDir);
      } else {
        pki = SnpDevelopmentPki.readFrom(pkiDir, bc);
      }
      SnpReportSimulator sim = SnpReportSimulator.withRandomChip(pki, random, bc, clock);
      SimulatedReport report = sim.report(request);
      Path vcek = out.resolveSibling(out.getFileName() + ".vcek.der");
      OutputFiles.writeAtomically(out, report.bytes());
      OutputFiles.writeAtomically(vcek, report.endorsementKey().getEncoded());
      ObjectNode result = Json.object();
      result.put("report", out.toString());
      result.put("vcek", vcek.toString());
      result.put("product", pki.product().kdsName());
      result.put("pki_created", created);
      if (json) {
        o.println(Json.pretty(result));
      } else {
        o.println((created ? "created development hierarchy in " : "using development hierarchy in ")
            + pkiDir + " (" + pki.product().kdsName() + ")");
        o.println("wrote report " + out + " and its VCEK " + vcek);
        o.println("the development roots are NOT trusted by default; verify with:");
        o.println("  carapace snp verify " + out + " --vcek " + vcek + " --trust-root " + pkiDir);
      }
      return Carapace.OK;
    } catch (IOException e) {
      err.println("carapace snp simulate: " + e.getMessage());
      return Carapace.IO_ERROR;
    } catch (CertificateEncodingException e) {
      err.println("carapace snp simulate: cannot encode the VCEK: " + e.getMessage());
      return Carapace.IO_ERROR;
    } catch (GeneralSecurityException e) {
      err.println("carapace snp simulate: development hierarchy unusable: " + e.getMessage());
      return Carapace.IO_ERROR;
    }
  }
}
