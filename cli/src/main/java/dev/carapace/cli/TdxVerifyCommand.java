package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.tdx.pcs.CollateralDocuments;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.CollateralFiles;
import dev.carapace.tdx.pcs.CollateralSource;
import dev.carapace.tdx.pcs.PcsCollateralSource;
import dev.carapace.tdx.pcs.TcbStatus;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteEncoder;
import dev.carapace.tdx.quote.QuoteParseException;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.verify.QuoteVerificationException;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.TcbEvaluation;
import dev.carapace.tdx.verify.TrustAnchors;
import dev.carapace.tdx.verify.VerifiedQuote;
import dev.carapace.tdx.verify.VerifiedSignatures;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code carapace tdx verify}: full DCAP verification of one quote. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Verify a TDX quote (v4 or v5) the way Intel's QVL does: PCK chain to the Intel SGX Root "
            + "CA, CRLs, QE report, quote signature, TCB Info and QE Identity.",
        "Prints the quote's fields, the TCB status and, on failure, why."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:verified and the TCB status is accepted",
        "1:rejected (malformed, failed verification, TCB status not accepted, no collateral)",
        "2:usage error",
        "3:a file could not be read"})
final class TdxVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "QUOTE", description = "Raw quote file (binary).")
  Path quoteFile;

  @Option(names = "--collateral", paramLabel = "DIR|FILE",
      description = "Offline collateral: a directory of PCS documents or a QuoteCollateralV3 JSON "
          + "file.")
  Path collateral;

  @Option(names = "--pcs", paramLabel = "URL",
      description = "Fetch collateral from Intel PCS or a PCCS at this base URL, e.g. "
          + "https://api.trustedservices.intel.com. Nothing is fetched without this option.")
  URI pcs;

  @Option(names = "--at", paramLabel = "TIME",
      description = "Verify as of this instant (RFC 3339, e.g. 2025-07-19T10:00:00Z) instead of now.")
  Instant at;

  @Option(names = "--trust-root", paramLabel = "PEM",
      description = "Also trust this root certificate (e.g. a development root from `carapace tdx "
          + "simulate`). Only the Intel SGX Root CA is trusted otherwise.")
  List<Path> trustRoots = new ArrayList<>();

  @Option(names = "--accept-tcb-status", split = ",", paramLabel = "STATUS",
      description = "TCB statuses that count as success (default: ${DEFAULT-VALUE}).")
  List<String> acceptedStatuses = new ArrayList<>(List.of("UpToDate"));

  @Option(names = "--signatures-only",
      description = "Check only the PCK chain and signatures (no CRL, TCB Info or QE Identity). "
          + "Not a full verification.")
  boolean signaturesOnly;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (collateral != null && pcs != null) {
      err.println("carapace tdx verify: give --collateral or --pcs, not both");
      return Carapace.USAGE;
    }
    List<TcbStatus> accepted = new ArrayList<>();
    for (String s : acceptedStatuses) {
      TcbStatus st = TcbStatus.fromJsonName(s.trim()).orElse(null);
      if (st == null) {
        err.println("carapace tdx verify: unknown TCB status " + s);
        return Carapace.USAGE;
      }
      accepted.add(st);
    }
    byte[] raw;
    TrustAnchors anchors = TrustAnchors.intel();
    try {
      raw = Files.readAllBytes(quoteFile);
      List<X509Certificate> extra = new ArrayList<>();
      for (Path p : trustRoots) {
        extra.addAll(CollateralDocuments.parseCertificateChain(
            Files.readString(p, StandardCharsets.US_ASCII)));
      }
      if (!extra.isEmpty()) {
        anchors = anchors.plus(extra);
        err.println("carapace: also trusting " + extra.size() + " root(s) from --trust-root");
      }
    } catch (IOException e) {
      err.println("carapace tdx verify: cannot read " + e.getMessage());
      return Carapace.IO_ERROR;
    } catch (CollateralException e) {
      err.println("carapace tdx verify: bad --trust-root: " + e.getMessage());
      return Carapace.USAGE;
    }
    ObjectNode result = Json.object();
    result.put("file", quoteFile.toString());
    Quote quote;
    try {
      quote = QuoteParser.parse(raw);
    } catch (QuoteParseException e) {
      return reject(out, result, e.reason().name(), "malformed quote: " + e.getMessage());
    }
    int used = QuoteEncoder.encodedSize(quote);
    result.put("quote_size", used);
    result.put("trailing_bytes", raw.length - used);
    result.set("header", QuoteDescription.header(quote.header()));
    result.set("body", QuoteDescription.body(quote));
    result.set("qe_report",
        QuoteDescription.qeReport(quote.signatureData().certification().qeReport()));
    Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(at, ZoneOffset.UTC);
    QuoteVerifier verifier = new QuoteVerifier(anchors, clock, new BouncyCastleProvider());
    result.put("verification_time", clock.instant().toString());
    if (!json) {
      printQuote(out, quote, raw.length, used);
    }
    try {
      VerifiedSignatures sigs = verifier.verifySignatures(quote);
      result.set("pck", QuoteDescription.pck(sigs.pckExtensions()));
      CollateralSource source = collateralSource(clock);
      if (source == null) {
        if (signaturesOnly) {
          result.put("verified", false);
          result.put("signatures_verified", true);
          emit(out, result, "SIGNATURES OK (PCK chain, QE report, quote signature); TCB not "
              + "evaluated: no collateral was used");
          return Carapace.OK;
        }
        return reject(out, result, "COLLATERAL_UNAVAILABLE",
            "no collateral: give --collateral DIR|FILE or --pcs URL (or --signatures-only)");
      }
      VerifiedQuote vq = verifier.verify(sigs, source);
      TcbEvaluation tcb = vq.tcb();
      result.put("verified", true);
      result.put("tcb_status", tcb.status().jsonName());
      result.put("platform_tcb_status", tcb.platformStatus().jsonName());
      tcb.tdxModuleStatusValue().ifPresent(s -> result.put("tdx_module_tcb_status", s.jsonName()));
      result.put("qe_tcb_status", tcb.qeStatus().jsonName());
      result.put("tcb_date", tcb.tcbDate().toString());
      result.putPOJO("advisory_ids", tcb.advisoryIds());
      result.put("tcb_evaluation_data_number", tcb.tcbEvaluationDataNumber());
      result.put("collateral_expiry", vq.collateralExpiry().toString());
      if (!accepted.contains(tcb.status())) {
        result.put("accepted", false);
        return reject(out, result, "TCB_STATUS_NOT_ACCEPTED", "TCB status "
            + tcb.status().jsonName() + " is not accepted (--accept-tcb-status)");
      }
      result.put("accepted", true);
      emit(out, result, "VERIFIED: TCB status " + tcb.status().jsonName() + " (platform "
          + tcb.platformStatus().jsonName() + ", QE " + tcb.qeStatus().jsonName()
          + tcb.tdxModuleStatusValue().map(s -> ", TDX module " + s.jsonName()).orElse("")
          + "), TCB date " + tcb.tcbDate() + ", advisories "
          + (tcb.advisoryIds().isEmpty() ? "none" : String.join(",", tcb.advisoryIds()))
          + ", collateral valid until " + vq.collateralExpiry());
      return Carapace.OK;
    } catch (QuoteVerificationException e) {
      result.put("verified", false);
      return reject(out, result, e.reason().name(), e.getMessage());
    } catch (CollateralException e) {
      result.put("verified", false);
      return reject(out, result, "COLLATERAL_UNAVAILABLE", e.getMessage());
    }
  }

  private CollateralSource collateralSource(Clock clock) throws CollateralException {
    if (collateral != null) {
      return CollateralFiles.load(collateral);
    }
    if (pcs != null) {
      return PcsCollateralSource.builder(pcs).clock(clock).build();
    }
    return null;
  }

  private int reject(PrintWriter out, ObjectNode result, String reason, String message) {
    Json.putError(result, reason, message);
    if (!result.has("verified")) {
      result.put("verified", false);
    }
    emit(out, result, "REJECTED (" + reason + "): " + message);
    return Carapace.REJECTED;
  }

  private void emit(PrintWriter out, ObjectNode result, String line) {
    if (json) {
      out.println(Json.pretty(result));
    } else {
      if (result.has("pck")) {
        QuoteDescription.printSection(out, "pck certificate", (ObjectNode) result.get("pck"));
      }
      out.println("result: " + line);
    }
    out.flush();
  }

  private static void printQuote(PrintWriter out, Quote quote, int fileSize, int used) {
    out.printf("quote: version %d, %s body, %d bytes%s%n", quote.header().version(),
        quote.body().isTdx15() ? "TDX 1.5" : "TDX 1.0", used,
        fileSize > used ? " (" + (fileSize - used) + " trailing bytes ignored)" : "");
    QuoteDescription.printSection(out, "header", QuoteDescription.header(quote.header()));
    QuoteDescription.printSection(out, "td report body", QuoteDescription.body(quote));
    QuoteDescription.printSection(out, "qe report",
        QuoteDescription.qeReport(quote.signatureData().certification().qeReport()));
  }
}
