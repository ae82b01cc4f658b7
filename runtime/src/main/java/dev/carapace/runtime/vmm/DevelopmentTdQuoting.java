package dev.carapace.runtime.vmm;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.measure.TdMeasurements;
import dev.carapace.tdx.simulate.TdxQuoteSimulator;
import java.security.GeneralSecurityException;
import java.util.Objects;

/**
 * The development TEE's quoting service: a simulated TDX v4 quote over a VM's launch measurement
 * ({@link MicroVm#launchMeasurement()}: MRTD, RTMR0-3) and 64 bytes of report data, signed by the
 * given {@link TdxQuoteSimulator} (the caller configures it with a development PKI, whose root a
 * verifier must trust explicitly). Nothing here is rooted in hardware: it lets the attestation
 * path be exercised end to end against guests this VMM really loaded.
 *
 * <p>Thread-safe: quotes are produced one at a time.
 */
public final class DevelopmentTdQuoting {
  /** Size of TDREPORT's REPORTDATA field. */
  public static final int REPORT_DATA_SIZE = 64;

  private final TdxQuoteSimulator simulator;

  public DevelopmentTdQuoting(TdxQuoteSimulator simulator) {
    this.simulator = Objects.requireNonNull(simulator, "simulator");
  }

  /** The simulator that signs the quotes (its collateral verifies them). */
  public TdxQuoteSimulator simulator() {
    return simulator;
  }

  /**
   * A quote for {@code vm}'s launch measurement and {@code reportData}.
   *
   * @throws IllegalArgumentException if {@code reportData} is not 64 bytes
   * @throws VmException {@code NOT_MEASURED} if the VM was not loaded from a {@code LinuxBoot};
   *     {@code QUOTE_FAILED} if signing failed
   */
  public Bytes quote(MicroVm vm, Bytes reportData) throws VmException {
    Objects.requireNonNull(vm, "vm");
    Objects.requireNonNull(reportData, "reportData");
    if (reportData.size() != REPORT_DATA_SIZE) {
      throw new IllegalArgumentException("report data must be " + REPORT_DATA_SIZE
          + " bytes, got " + reportData.size());
    }
    TdMeasurements m = vm.launchMeasurement().orElseThrow(() -> new VmException(
        VmException.Reason.NOT_MEASURED, "VM " + vm.name() + " has no launch measurement: it"
            + " was not loaded from a Linux boot"));
    try {
      synchronized (simulator) {
        return Bytes.copyOf(simulator.quote(m.quoteRequest(reportData)));
      }
    } catch (GeneralSecurityException e) {
      throw new VmException(VmException.Reason.QUOTE_FAILED,
          "quoting VM " + vm.name() + " failed: " + e.getMessage(), e);
    }
  }
}
