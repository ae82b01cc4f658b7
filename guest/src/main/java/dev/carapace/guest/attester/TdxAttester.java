package dev.carapace.guest.attester;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.attester.AttesterException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.OptionalInt;
import org.jspecify.annotations.Nullable;

/**
 * The {@code tdx} attester of a TD guest: a TD quote from configfs-tsm (provider
 * {@value #PROVIDER}) and, when the firmware published one, the CC event log (ACPI CCEL table
 * data), as CoCo's TDX attester sends them. The quote is parsed and must carry the requested
 * report data. Thread-safe.
 */
public final class TdxAttester implements Attester {
  public static final String PROVIDER = "tdx_guest";
  /** Where Linux exposes the CCEL event log. */
  public static final Path DEFAULT_CCEL = Path.of("/sys/firmware/acpi/tables/data/CCEL");
  private static final int MAX_CCEL = 16 << 20;

  private final ConfigFsTsm tsm;
  private final @Nullable Path ccel;

  /**
   * @param tsm the configfs-tsm client
   * @param ccel the CC event log file, or null to send none; a missing file also sends none
   */
  public TdxAttester(ConfigFsTsm tsm, @Nullable Path ccel) {
    this.tsm = Objects.requireNonNull(tsm, "tsm");
    this.ccel = ccel;
  }

  @Override
  public String tee() {
    return "tdx";
  }

  @Override
  public ObjectNode evidence(Bytes reportData) throws AttesterException {
    Bytes.requireSize(reportData, REPORT_DATA_SIZE, "reportData");
    TsmReport r = tsm.report(reportData, OptionalInt.empty(), PROVIDER, false);
    byte[] quote = r.outblob().toByteArray();
    TdxEvidenceJson.check(quote, reportData);
    return TdxEvidenceJson.of(quote, eventLog());
  }

  private byte @Nullable [] eventLog() throws AttesterException {
    if (ccel == null || !Files.isRegularFile(ccel)) {
      return null;
    }
    try {
      if (Files.size(ccel) > MAX_CCEL) {
        throw new AttesterException(Reason.MALFORMED_REPORT, "CC event log exceeds " + MAX_CCEL
            + " bytes");
      }
      return Files.readAllBytes(ccel);
    } catch (IOException e) {
      throw new AttesterException(Reason.IO_FAILURE, "cannot read the CC event log " + ccel, e);
    }
  }

  @Override
  public String toString() {
    return "TdxAttester[" + tsm + ", ccel=" + ccel + "]";
  }
}
