package dev.carapace.guest.attester;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.attester.AttesterException.Reason;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;

/**
 * A {@code tdx} attester backed by the development quote simulator: quotes of the configured TD
 * (MRTD, RTMRs, attributes, MRCONFIGID, ... from {@code td}) with the requested report data,
 * signed by the simulator's attestation key. Evidence verifies only where the development PKI is
 * trusted. Use different measurements to play a guest with another firmware or kernel command
 * line. Thread-safe.
 */
public final class DevelopmentTdxAttester implements Attester {
  private final TdxQuoteSimulator simulator;
  private final TdQuoteRequest td;

  /**
   * @param simulator the quoting service
   * @param td the TD's measurements; its report data is replaced on every request
   */
  public DevelopmentTdxAttester(TdxQuoteSimulator simulator, TdQuoteRequest td) {
    this.simulator = Objects.requireNonNull(simulator, "simulator");
    this.td = Objects.requireNonNull(td, "td");
  }

  /** A TD with {@code mrTd} and {@code rtmrs} and every other field at its default. */
  public static DevelopmentTdxAttester of(TdxQuoteSimulator simulator, Bytes mrTd,
      List<Bytes> rtmrs) {
    return new DevelopmentTdxAttester(simulator,
        TdQuoteRequest.builder().mrTd(mrTd).rtmrs(rtmrs).build());
  }

  @Override
  public String tee() {
    return "tdx";
  }

  @Override
  public ObjectNode evidence(Bytes reportData) throws AttesterException {
    Bytes.requireSize(reportData, REPORT_DATA_SIZE, "reportData");
    TdQuoteRequest request = new TdQuoteRequest(td.mrTd(), td.rtmrs(), td.tdAttributes(),
        td.xfam(), reportData, td.mrConfigId(), td.mrOwner(), td.mrOwnerConfig(),
        td.teeTcbSvn());
    try {
      return TdxEvidenceJson.of(simulator.quote(request), null);
    } catch (GeneralSecurityException e) {
      throw new AttesterException(Reason.SIMULATOR_FAILURE, "the TDX simulator failed", e);
    }
  }

  @Override
  public String toString() {
    return "DevelopmentTdxAttester[mrTd=" + td.mrTd() + "]";
  }
}
