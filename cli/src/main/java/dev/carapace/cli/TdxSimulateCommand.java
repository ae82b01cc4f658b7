package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.simulate.DevelopmentPki;
import dev.carapace.tdx.simulate.SimulatedPlatform;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code carapace tdx simulate}: a development TD's quote and matching collateral. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
        "Produce a TDX v4 quote for the given measurements and report data, signed by a "
            + "development PKI (generated in --pki DIR on first use), plus a collateral bundle "
            + "that verifies it.",
        "The development root is never trusted by default: pass it to `carapace tdx verify` "
            + "with --trust-root."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:written", "2:usage error", "3:files could not be read or written"})
final class TdxSimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--pki", required = true, paramLabel = "DIR",
      description = "Development PKI directory; created with fresh keys when empty.")
  Path pkiDir;

  @Option(names = "--out", required = true, paramLabel = "QUOTE", description = "Quote file to write.")
  Path out;

  @Option(names = "--collateral-out", paramLabel = "FILE",
      description = "Collateral bundle (QuoteCollateralV3 JSON) to write; default QUOTE.collateral.json.")
  Path collateralOut;

  @Option(names = "--mr-td", paramLabel = "HEX", description = "MRTD, 48 bytes (default zeros).")
  String mrTd;

  @Option(names = "--rtmr0", paramLabel = "HEX", description = "RTMR0, 48 bytes.") String rtmr0;
  @Option(names = "--rtmr1", paramLabel = "HEX", description = "RTMR1, 48 bytes.") String rtmr1;
  @Option(names = "--rtmr2", paramLabel = "HEX", description = "RTMR2, 48 bytes.") String rtmr2;
  @Option(names = "--rtmr3", paramLabel = "HEX", description = "RTMR3, 48 bytes.") String rtmr3;

  @Option(names = "--td-attributes", paramLabel = "HEX",
      description = "TD attributes, 8 bytes as in the quote (default SEPT_VE_DISABLE).")
  String tdAttributes;

  @Option(names = "--xfam", paramLabel = "HEX", description = "XFAM, 8 bytes.") String xfam;

  @Option(names = "--report-data", paramLabel = "HEX",
      description = "Report data, up to 64 bytes, zero-padded (default zeros).")
  String reportData;

  @Option(names = "--mr-config-id", paramLabel = "HEX", description = "MRCONFIGID, 48 bytes.")
  String mrConfigId;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    TdQuoteRequest request;
    try {
      TdQuoteRequest.Builder b = TdQuoteRequest.builder();
      if (mrTd != null) {
        b.mrTd(HexArgs.exactly(mrTd, 48, "--mr-td"));
      }
      String[] rtmrs = {rtmr0, rtmr1, rtmr2, rtmr3};
      List<Bytes> values = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        values.add(rtmrs[i] == null
            ? Bytes.zeros(48) : HexArgs.exactly(rtmrs[i], 48, "--rtmr" + i));
      }
      b.rtmrs(values);
      if (tdAttributes != null) {
        b.tdAttributes(HexArgs.exactly(tdAttributes, 8, "--td-attributes"));
      }
      if (xfam != null) {
        b.xfam(HexArgs.exactly(xfam, 8, "--xfam"));
      }
      if (reportData != null) {
        b.reportData(HexArgs.padded(reportData, 64, "--report-data"));
      }
      if (mrConfigId != null) {
        b.mrConfigId(HexArgs.exactly(mrConfigId, 48, "--mr-config-id"));
      }
      request = b.build();
    } catch (IllegalArgumentException e) {
      err.println("carapace tdx simulate: " + e.getMessage());
      return Carapace.USAGE;
    }
    Provider bc = new BouncyCastleProvider();
    SecureRandom random = new SecureRandom();
    Clock clock = Clock.systemUTC();
    Path bundle = collateralOut != null ? collateralOut
        : out.resolveSibling(out.getFileName() + ".collateral.json");
    try {
      boolean created = false;
      DevelopmentPki pki;
      if (Files.exists(pkiDir.resolve("root-ca.pem"))) {
        pki = DevelopmentPki.readFrom(pkiDir, bc);
      } else {
        pki = DevelopmentPki.generate(random, bc, clock);
        pki.writeTo(pkiDir);
        created = true;
      }
      TdxQuoteSimulator sim =
          new TdxQuoteSimulator(pki, SimulatedPlatform.defaults(), random, bc, clock);
      byte[] quote = sim.quote(request);
      OutputFiles.writeAtomically(out, quote);
      OutputFiles.writeAtomically(bundle, sim.collateralBundle());
      Path root = pkiDir.resolve("root-ca.pem");
      ObjectNode result = Json.object();
      result.put("quote", out.toString());
      result.put("quote_size", quote.length);
      result.put("collateral", bundle.toString());
      result.put("development_root", root.toString());
      result.put("pki_created", created);
      if (json) {
        o.println(Json.pretty(result));
      } else {
        o.println((created ? "created development PKI in " : "using development PKI in ")
            + pkiDir);
        o.println("wrote quote " + out + " (" + quote.length + " bytes) and collateral " + bundle);
        o.println("the development root " + root + " is NOT trusted by default; verify with:");
        o.println("  carapace tdx verify " + out + " --collateral " + bundle + " --trust-root "
            + root);
      }
      return Carapace.OK;
    } catch (IOException e) {
      err.println("carapace tdx simulate: " + e.getMessage());
      return Carapace.IO_ERROR;
    } catch (GeneralSecurityException e) {
      err.println("carapace tdx simulate: development PKI unusable: " + e.getMessage());
      return Carapace.IO_ERROR;
    }
  }
}
