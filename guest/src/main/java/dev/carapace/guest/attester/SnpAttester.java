package dev.carapace.guest.attester;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.attester.AttesterException.Reason;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.ReportParseException;
import dev.carapace.snp.report.ReportParser;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * The {@code snp} attester of an SEV-SNP guest: an ATTESTATION_REPORT from configfs-tsm (provider
 * {@value #PROVIDER}) at the configured VMPL, with the host's certificate table ({@code auxblob})
 * as {@code cert_chain}, in CoCo's {@code snp} evidence format. The report is parsed and must
 * carry the requested report data. Thread-safe.
 */
public final class SnpAttester implements Attester {
  public static final String PROVIDER = "sev_guest";

  private final ConfigFsTsm tsm;
  private final OptionalInt vmpl;

  /**
   * @param tsm the configfs-tsm client
   * @param vmpl the VMPL to request ({@code privlevel}, 0 to 3), or empty for the kernel default
   */
  public SnpAttester(ConfigFsTsm tsm, OptionalInt vmpl) {
    this.tsm = Objects.requireNonNull(tsm, "tsm");
    this.vmpl = Objects.requireNonNull(vmpl, "vmpl");
    if (vmpl.isPresent() && (vmpl.getAsInt() < 0 || vmpl.getAsInt() > 3)) {
      throw new IllegalArgumentException("vmpl must be 0 to 3, got " + vmpl.getAsInt());
    }
  }

  @Override
  public String tee() {
    return "snp";
  }

  @Override
  public ObjectNode evidence(Bytes reportData) throws AttesterException {
    Bytes.requireSize(reportData, REPORT_DATA_SIZE, "reportData");
    TsmReport r = tsm.report(reportData, vmpl, PROVIDER, true);
    AttestationReport report;
    try {
      report = ReportParser.parse(r.outblob().toByteArray());
    } catch (ReportParseException e) {
      throw new AttesterException(Reason.MALFORMED_REPORT,
          "the TEE returned a malformed SNP report (" + e.reason() + ")", e);
    }
    if (!report.reportData().equals(reportData)) {
      throw new AttesterException(Reason.MALFORMED_REPORT,
          "the SNP report carries other report data than requested");
    }
    return SnpEvidenceJson.of(report, SnpCertTable.parse(r.auxblob()));
  }

  @Override
  public String toString() {
    return "SnpAttester[" + tsm + ", vmpl=" + (vmpl.isPresent() ? vmpl.getAsInt() : "default")
        + "]";
  }
}
