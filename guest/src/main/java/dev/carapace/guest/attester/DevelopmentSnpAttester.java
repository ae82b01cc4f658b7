package dev.carapace.guest.attester;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.attester.AttesterException.Reason;
import dev.carapace.snp.report.SigningKey;
import dev.carapace.snp.simulate.SimulatedReport;
import dev.carapace.snp.simulate.SnpReportRequest;
import dev.carapace.snp.simulate.SnpReportSimulator;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.util.List;
import java.util.Objects;

/**
 * An {@code snp} attester backed by the development firmware simulator: reports of the configured
 * guest (MEASUREMENT, HOST_DATA, policy, VMPL, ... from {@code guest}) with the requested report
 * data, signed by the simulated chip's VCEK (or VLEK), whose certificate is sent as
 * {@code cert_chain} like a host that serves extended reports. Evidence verifies only where the
 * development AMD hierarchy is trusted. Thread-safe.
 */
public final class DevelopmentSnpAttester implements Attester {
  private final SnpReportSimulator simulator;
  private final SnpReportRequest guest;

  /**
   * @param simulator the simulated firmware
   * @param guest the guest's launch values; its report data is replaced on every request
   */
  public DevelopmentSnpAttester(SnpReportSimulator simulator, SnpReportRequest guest) {
    this.simulator = Objects.requireNonNull(simulator, "simulator");
    this.guest = Objects.requireNonNull(guest, "guest");
  }

  /** A guest with {@code measurement} and {@code hostData} and every other field at its default. */
  public static DevelopmentSnpAttester of(SnpReportSimulator simulator, Bytes measurement,
      Bytes hostData) {
    return new DevelopmentSnpAttester(simulator,
        SnpReportRequest.builder().measurement(measurement).hostData(hostData).build());
  }

  @Override
  public String tee() {
    return "snp";
  }

  @Override
  public ObjectNode evidence(Bytes reportData) throws AttesterException {
    Bytes.requireSize(reportData, REPORT_DATA_SIZE, "reportData");
    try {
      SimulatedReport r = simulator.report(guest.toBuilder().reportData(reportData).build());
      String type = r.report().signingKey() == SigningKey.VLEK ? "VLEK" : "VCEK";
      Bytes der = Bytes.copyOf(r.endorsementKey().getEncoded());
      return SnpEvidenceJson.of(r.report(), List.of(new SnpCertTable.Entry(type, der)));
    } catch (CertificateEncodingException e) {
      throw new AttesterException(Reason.SIMULATOR_FAILURE, "cannot encode the VCEK", e);
    } catch (GeneralSecurityException e) {
      throw new AttesterException(Reason.SIMULATOR_FAILURE, "the SNP simulator failed", e);
    }
  }

  @Override
  public String toString() {
    return "DevelopmentSnpAttester[measurement=" + guest.measurement() + "]";
  }
}
