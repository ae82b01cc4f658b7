package dev.carapace.snp.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.ReportEncoder;
import dev.carapace.snp.report.ReportParseException;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.verify.ReportVerificationException;
import dev.carapace.snp.verify.VcekExtensions;
import java.util.HashMap;
import java.util.Map;

/**
 * Fuzz targets for the parsers that read untrusted SNP evidence. In a normal {@code mvn test}
 * they run in regression mode over the seeds in
 * {@code src/test/resources/dev/carapace/snp/fuzz/SnpEvidenceFuzzTestInputs/<method>/};
 * {@code JAZZER_FUZZ=1} fuzzes for real. Only the parsers' checked exceptions may escape them.
 */
class SnpEvidenceFuzzTest {

  @FuzzTest(maxDuration = "30s")
  void parseReport(byte[] data) {
    try {
      AttestationReport r = ReportParser.parse(data);
      assertThat(ReportEncoder.encode(r)).isEqualTo(data);
    } catch (ReportParseException e) {
      assertThat(e.reason()).isNotNull();
    }
  }

  /** Each extension OID gets an optional, fuzzer-chosen extnValue (the DER OCTET STRING). */
  @FuzzTest(maxDuration = "30s")
  void parseVcekExtensions(FuzzedDataProvider data) {
    Map<String, byte[]> values = new HashMap<>();
    for (String oid : VcekExtensions.OIDS) {
      if (data.consumeBoolean()) {
        values.put(oid, data.consumeBytes(data.consumeInt(0, 96)));
      }
    }
    try {
      VcekExtensions ext = VcekExtensions.parse(values);
      assertThat(ext.hwIdValue().isPresent()).isNotEqualTo(ext.cspIdValue().isPresent());
      for (var p : dev.carapace.snp.report.Product.values()) {
        try {
          ext.tcb(p);
        } catch (ReportVerificationException e) {
          assertThat(e.reason()).isEqualTo(ReportVerificationException.Reason.EXTENSIONS_MALFORMED);
        }
      }
    } catch (ReportVerificationException e) {
      assertThat(e.reason()).isEqualTo(ReportVerificationException.Reason.EXTENSIONS_MALFORMED);
    }
  }
}
