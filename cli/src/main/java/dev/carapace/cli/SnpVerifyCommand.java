package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.snp.kds.KdsCertificateSource;
import dev.carapace.snp.kds.KdsClient;
import dev.carapace.snp.kds.KdsException;
import dev.carapace.snp.kds.KdsSources;
import dev.carapace.snp.kds.SignerKind;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.GuestPolicy;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.ReportParseException;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.report.TcbVersion;
import dev.carapace.snp.verify.ProductRoots;
import dev.carapace.snp.verify.ReportValidationException;
import dev.carapace.snp.verify.ReportValidator;
import dev.carapace.snp.verify.ReportVerificationException;
import dev.carapace.snp.verify.ReportVerifier;
import dev.carapace.snp.verify.TrustedRoots;
import dev.carapace.snp.verify.ValidationOptions;
import dev.carapace.snp.verify.VerifiedReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.cert.X509CRL;
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

/** {@code carapace snp verify}: verify and validate one SEV-SNP attestation report. */
@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description = {
        "Verify an SEV-SNP attestation report as go-sev-guest does: ARK -> ASK/ASVK -> VCEK/VLEK "
            + "to AMD's bundled roots, certified TCB = reported TCB, CHIP_ID, the report signature; "
            + "then validate it against the options (debug forbidden by default).",
        "The VCEK comes from --vcek, from --certs (offline directory or certificate table), or "
            + "from AMD KDS with --kds. Nothing is fetched without --kds."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:verified and valid", "1:rejected", "2:usage error",
        "3:a file could not be read"})
final class SnpVerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "REPORT", description = "Raw 1184-byte report.")
  Path reportFile;

  @Option(names = "--vcek", paramLabel = "FILE", description = "VCEK or VLEK certificate (DER/PEM).")
  Path vcekFile;

  @Option(names = "--certs", paramLabel = "DIR|TABLE",
      description = "Offline certificates: a KDS-layout directory or an extended-report "
          + "certificate table.")
  Path certs;

  @Option(names = "--kds", paramLabel = "URL",
      description = "Fetch the VCEK (and CRL with --check-revocation) from AMD KDS at this URL, "
          + "e.g. https://kdsintf.amd.com. Responses are cached; KDS rate-limits repeats.")
  URI kds;

  @Option(names = "--check-revocation", description = "Also check the ARK-signed CRL.")
  boolean checkRevocation;

  @Option(names = "--at", paramLabel = "TIME", description = "Verify as of this instant.")
  Instant at;

  @Option(names = "--product", paramLabel = "NAME",
      description = "Milan, Genoa or Turin, for v2 reports that do not name their CPU.")
  String product;

  @Option(names = "--trust-root", paramLabel = "DIR",
      description = "Trust the development roots in DIR (ark.pem, ask.pem[, asvk.pem]) instead of "
          + "AMD's, e.g. those written by `carapace snp simulate`.")
  Path trustRoot;

  @Option(names = "--measurement", paramLabel = "HEX", description = "Expected MEASUREMENT.")
  String measurement;

  @Option(names = "--report-data", paramLabel = "HEX", description = "Expected REPORT_DATA.")
  String reportData;

  @Option(names = "--host-data", paramLabel = "HEX", description = "Expected HOST_DATA.")
  String hostData;

  @Option(names = "--vmpl", paramLabel = "N", description = "Required VMPL.")
  Integer vmpl;

  @Option(names = "--allow-debug", description = "Accept guests with the DEBUG policy bit.")
  boolean allowDebug;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Provider bc = new BouncyCastleProvider();
    Clock clock = at == null ? Clock.systemUTC() : Clock.fixed(at, ZoneOffset.UTC);
    ValidationOptions options;
    Product forced = null;
    try {
      if (product != null) {
        forced = Product.fromName(product).orElseThrow(
            () -> new IllegalArgumentException("unknown --product " + product));
      }
      ValidationOptions.Builder b = ValidationOptions.builder().allowDebug(allowDebug);
      if (measurement != null) {
        b.measurement(HexArgs.exactly(measurement, 48, "--measurement"));
      }
      if (reportData != null) {
        b.reportData(HexArgs.padded(reportData, 64, "--report-data"));
      }
      if (hostData != null) {
        b.hostData(HexArgs.exactly(hostData, 32, "--host-data"));
      }
      if (vmpl != null) {
        b.vmpl(vmpl);
      }
      options = b.build();
    } catch (IllegalArgumentException e) {
      err.println("carapace snp verify: " + e.getMessage());
      return Carapace.USAGE;
    }
    byte[] raw;
    TrustedRoots roots;
    try {
      raw = Files.readAllBytes(reportFile);
      roots = trustRoot == null ? TrustedRoots.amd() : developmentRoots(trustRoot, bc);
    } catch (IOException e) {
      err.println("carapace snp verify: cannot read " + e.getMessage());
      return Carapace.IO_ERROR;
    } catch (ReportVerificationException | IllegalArgumentException e) {
      err.println("carapace snp verify: bad --trust-root: " + e.getMessage());
      return Carapace.USAGE;
    }
    ObjectNode result = Json.object();
    result.put("file", reportFile.toString());
    AttestationReport report;
    try {
      report = forced == null ? ReportParser.parse(raw) : ReportParser.parse(raw, forced);
    } catch (ReportParseException e) {
      return reject(out, result, e.reason().name(), "malformed report: " + e.getMessage());
    }
    result.set("report", describe(report));
    if (!json) {
      QuoteDescription.printSection(out, "report", (ObjectNode) result.get("report"));
    }
    ReportVerifier verifier = new ReportVerifier(roots, clock, bc);
    try {
      SignerKind kind = report.signingKey() == SigningKey.VLEK ? SignerKind.VLEK : SignerKind.VCEK;
      KdsCertificateSource source = source(clock);
      X509Certificate endorsement;
      if (vcekFile != null) {
        endorsement = verifier.parseCertificate(Files.readAllBytes(vcekFile));
      } else if (source != null) {
        endorsement = source.vcek(report.product(), report.chipId(), report.reportedTcb());
      } else {
        return reject(out, result, "NO_ENDORSEMENT_KEY",
            "no VCEK: give --vcek FILE, --certs DIR|TABLE or --kds URL");
      }
      X509CRL crl = null;
      if (checkRevocation) {
        if (source == null) {
          return reject(out, result, "CRL_UNAVAILABLE", "--check-revocation needs --certs or --kds");
        }
        crl = source.crl(report.product(), kind);
      }
      VerifiedReport verified = verifier.verify(report, endorsement, crl);
      result.put("verified", true);
      result.put("product", verified.product().kdsName());
      result.put("signing_key", verified.signingKey().name());
      result.put("certified_tcb", tcb(verified.certifiedTcb()));
      result.put("revocation_checked", verified.revocationChecked());
      new ReportValidator(options).validate(verified);
      result.put("valid", true);
      emit(out, result, "VERIFIED: " + verified.signingKey() + "-signed " + verified.product()
          .kdsName() + " report, certified TCB " + tcb(verified.certifiedTcb())
          + (verified.revocationChecked() ? ", not revoked" : ", revocation not checked"));
      return Carapace.OK;
    } catch (ReportVerificationException e) {
      return reject(out, result, e.reason().name(), e.getMessage());
    } catch (ReportValidationException e) {
      result.put("valid", false);
      return reject(out, result, e.reason().name(), e.getMessage());
    } catch (KdsException e) {
      return reject(out, result, "CERTIFICATE_UNAVAILABLE", e.getMessage());
    } catch (IOException e) {
      err.println("carapace snp verify: cannot read " + e.getMessage());
      return Carapace.IO_ERROR;
    }
  }

  private KdsCertificateSource source(Clock clock) throws KdsException {
    List<KdsCertificateSource> sources = new ArrayList<>();
    if (certs != null) {
      sources.add(KdsSources.load(certs));
    }
    if (kds != null) {
      sources.add(KdsClient.builder(kds).clock(clock).build());
    }
    return sources.isEmpty() ? null : KdsSources.firstAvailable(sources);
  }

  private static TrustedRoots developmentRoots(Path dir, Provider bc)
      throws IOException, ReportVerificationException {
    ReportVerifier parser = new ReportVerifier(Clock.systemUTC(), bc);
    X509Certificate ark = parser.parseCertificate(Files.readAllBytes(dir.resolve("ark.pem")));
    X509Certificate ask = parser.parseCertificate(Files.readAllBytes(dir.resolve("ask.pem")));
    Path asvkFile = dir.resolve("asvk.pem");
    X509Certificate asvk = Files.exists(asvkFile)
        ? parser.parseCertificate(Files.readAllBytes(asvkFile)) : null;
    String cn = QuoteDescription.commonName(ark);
    Product p = Product.fromName(cn.startsWith("ARK-") ? cn.substring(4) : cn).orElseThrow(
        () -> new IllegalArgumentException("ARK common name " + cn + " names no product"));
    return TrustedRoots.of(List.of(new ProductRoots(p, ark, ask, asvk)));
  }

  static ObjectNode describe(AttestationReport r) {
    ObjectNode n = Json.object();
    n.put("version", r.version());
    n.put("product", r.product().kdsName());
    n.put("guest_svn", r.guestSvn());
    GuestPolicy p = r.policy();
    n.put("policy_debug", p.debug());
    n.put("policy_smt", p.smt());
    n.put("policy_migrate_ma", p.migrateMa());
    n.put("policy_abi", p.abiMajor() + "." + p.abiMinor());
    n.put("vmpl", r.vmpl());
    n.put("signing_key", r.signingKey().name());
    n.put("measurement", r.measurement().toHex());
    n.put("host_data", r.hostData().toHex());
    n.put("report_data", r.reportData().toHex());
    n.put("id_key_digest", r.idKeyDigest().toHex());
    n.put("chip_id", r.chipId().toHex());
    n.put("reported_tcb", tcb(r.reportedTcb()));
    n.put("current_tcb", tcb(r.currentTcb()));
    n.put("committed_tcb", tcb(r.committedTcb()));
    n.put("launch_tcb", tcb(r.launchTcb()));
    return n;
  }

  static String tcb(TcbVersion t) {
    return "bl=" + t.bootloader() + " tee=" + t.tee() + " snp=" + t.snp() + " ucode="
        + t.microcode() + (t.product().turinTcbLayout() ? " fmc=" + t.fmc() : "");
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
    out.println(json ? Json.pretty(result) : "result: " + line);
    out.flush();
  }
}
