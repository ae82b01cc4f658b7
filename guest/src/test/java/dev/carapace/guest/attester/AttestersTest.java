package dev.carapace.guest.attester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.Simulators;
import dev.carapace.guest.Vectors;
import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.simulate.SimulatedReport;
import dev.carapace.snp.simulate.SnpReportRequest;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.simulate.TdQuoteRequest;
import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AttestersTest {
  private static final Bytes REPORT_DATA = Bytes.fromHex("d655ea92085e12af34b93ddab4aaabdb"
      + "007071cb7499f82a3bf79445844c2f06631782c9e405bc70b2063efb4550504c" + "00".repeat(16));
  private static final Bytes MRTD = Bytes.fromHex("11".repeat(48));
  private static final Bytes OTHER_CMDLINE_RTMR2 = Bytes.fromHex("22".repeat(48));

  @TempDir Path root;

  @Test
  void developmentTdxWhenAskedThenQuoteParsesAndCarriesExactlyTheReportDataAndMeasurements()
      throws Exception {
    List<Bytes> rtmrs = List.of(Bytes.zeros(48), Bytes.zeros(48), OTHER_CMDLINE_RTMR2,
        Bytes.zeros(48));
    Attester a = DevelopmentTdxAttester.of(Simulators.tdx(), MRTD, rtmrs);

    ObjectNode evidence = a.evidence(REPORT_DATA);

    assertThat(a.tee()).isEqualTo("tdx");
    assertThat(names(evidence)).containsExactly("quote");
    Quote q = QuoteParser.parse(Base64.getDecoder().decode(evidence.get("quote").asText()));
    assertThat(q.body().reportData()).isEqualTo(REPORT_DATA);
    assertThat(q.body().mrTd()).isEqualTo(MRTD);
    assertThat(q.body().rtmrs()).containsExactlyElementsOf(rtmrs);
  }

  @Test
  void developmentSnpWhenAskedThenReportCarriesReportDataMeasurementHostDataAndVcek()
      throws Exception {
    Bytes measurement = Bytes.fromHex("33".repeat(48));
    Bytes hostData = Bytes.fromHex("44".repeat(32));
    Attester a = DevelopmentSnpAttester.of(Simulators.snp(), measurement, hostData);

    ObjectNode evidence = a.evidence(REPORT_DATA);

    JsonNode r = evidence.get("attestation_report");
    assertThat(bytes(r.get("report_data"))).isEqualTo(REPORT_DATA);
    assertThat(bytes(r.get("measurement"))).isEqualTo(measurement);
    assertThat(bytes(r.get("host_data"))).isEqualTo(hostData);
    JsonNode chain = evidence.get("cert_chain");
    assertThat(chain).hasSize(1);
    assertThat(chain.get(0).get("cert_type").asText()).isEqualTo("VCEK");
    X509Certificate vcek = (X509Certificate) CertificateFactory.getInstance("X.509")
        .generateCertificate(new ByteArrayInputStream(bytes(chain.get(0).get("data"))
            .toByteArray()));
    assertThat(vcek).isEqualTo(Simulators.snp().vcekCertificate());
  }

  @Test
  void developmentSnpWhenVersion3ThenMembersMatchCocoSnpEvidenceInOrder() throws Exception {
    Attester a = new DevelopmentSnpAttester(Simulators.snp(),
        SnpReportRequest.builder().version(3).build());
    JsonNode upstream = Vectors.json("/vectors/trustee/snp-evidence-genoa-e2e.json");

    ObjectNode evidence = a.evidence(REPORT_DATA);

    assertThat(names(evidence)).containsExactlyElementsOf(names(upstream));
    assertThat(names(evidence.get("attestation_report")))
        .containsExactlyElementsOf(names(upstream.get("attestation_report")));
    assertThat(names(evidence.get("attestation_report").get("current_tcb")))
        .containsExactlyElementsOf(names(upstream.get("attestation_report").get("current_tcb")));
    assertThat(names(evidence.get("cert_chain").get(0)))
        .containsExactlyElementsOf(names(upstream.get("cert_chain").get(0)));
  }

  @Test
  void tdxWhenConfigFsReturnsQuoteThenEvidenceHasQuoteAndEventLog() throws Exception {
    FakeTsmKernel kernel = new FakeTsmKernel();
    kernel.outblob = Simulators.tdx().quote(TdQuoteRequest.of(MRTD, REPORT_DATA));
    Files.createDirectories(root.resolve("report"));
    Path ccel = Files.write(root.resolve("CCEL"), new byte[] {5, 6, 7});
    Attester a = new TdxAttester(new ConfigFsTsm(root, new SecureRandom(), kernel), ccel);

    ObjectNode evidence = a.evidence(REPORT_DATA);

    assertThat(names(evidence)).containsExactly("cc_eventlog", "quote");
    assertThat(evidence.get("cc_eventlog").asText()).isEqualTo("BQYH");
    assertThat(Base64.getDecoder().decode(evidence.get("quote").asText()))
        .isEqualTo(kernel.outblob);
    assertThat(kernel.writtenInblob).isEqualTo(REPORT_DATA);
    assertThat(kernel.removed).hasSize(1);
  }

  @Test
  void tdxWhenQuoteCarriesOtherReportDataThenMalformedReport() throws Exception {
    FakeTsmKernel kernel = new FakeTsmKernel();
    kernel.outblob = Simulators.tdx().quote(TdQuoteRequest.of(MRTD, Bytes.zeros(64)));
    Files.createDirectories(root.resolve("report"));
    Attester a = new TdxAttester(new ConfigFsTsm(root, new SecureRandom(), kernel), null);

    assertThatThrownBy(() -> a.evidence(REPORT_DATA))
        .extracting(e -> ((AttesterException) e).reason())
        .isEqualTo(AttesterException.Reason.MALFORMED_REPORT);
  }

  @Test
  void snpWhenConfigFsReturnsReportAndCertTableThenEvidenceHasReportAndVcek() throws Exception {
    SimulatedReport sim = Simulators.snp().report(REPORT_DATA);
    byte[] vcek = sim.endorsementKey().getEncoded();
    FakeTsmKernel kernel = new FakeTsmKernel();
    kernel.provider = "sev_guest";
    kernel.generation = 2;
    kernel.outblob = sim.bytes();
    kernel.auxblob = certTable(vcek);
    Files.createDirectories(root.resolve("report"));
    Attester a = new SnpAttester(new ConfigFsTsm(root, new SecureRandom(), kernel),
        OptionalInt.of(0));

    ObjectNode evidence = a.evidence(REPORT_DATA);

    assertThat(kernel.writtenPrivlevel).isEqualTo("0");
    JsonNode r = evidence.get("attestation_report");
    AttestationReport parsed = ReportParser.parse(sim.bytes());
    assertThat(bytes(r.get("report_data"))).isEqualTo(REPORT_DATA);
    assertThat(bytes(r.get("chip_id"))).isEqualTo(parsed.chipId());
    assertThat(bytes(r.get("signature").get("r"))).isEqualTo(parsed.signatureR());
    assertThat(r.get("version").asInt()).isEqualTo(parsed.version());
    assertThat(evidence.get("cert_chain").get(0).get("cert_type").asText()).isEqualTo("VCEK");
    assertThat(bytes(evidence.get("cert_chain").get(0).get("data")).toByteArray())
        .isEqualTo(vcek);
  }

  @Test
  void sampleWhenAskedThenSvnOneAndUnpaddedStandardBase64ReportData() {
    SampleAttester a = new SampleAttester();
    Bytes digest = REPORT_DATA.slice(0, 48);

    ObjectNode evidence = a.evidence(a.reportData(digest));

    assertThat(names(evidence)).containsExactly("svn", "report_data");
    assertThat(evidence.get("svn").asText()).isEqualTo("1");
    assertThat(evidence.get("report_data").asText()).isEqualTo(
        Vectors.kbs().get("runtime_data_binding").get("sample_report_data_b64std").asText());
  }

  @Test
  void reportDataWhenHardwareAttesterThenDigestPaddedWithZerosTo64Bytes() throws Exception {
    Attester a = DevelopmentTdxAttester.of(Simulators.tdx(), MRTD, List.of(Bytes.zeros(48),
        Bytes.zeros(48), Bytes.zeros(48), Bytes.zeros(48)));

    assertThat(a.reportData(REPORT_DATA.slice(0, 48))).isEqualTo(REPORT_DATA);
    assertThatThrownBy(() -> a.reportData(Bytes.zeros(65)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  /** A GHCB certificate table with one VCEK entry, as a host fills auxblob. */
  private static byte[] certTable(byte[] vcek) {
    ByteBuffer b = ByteBuffer.allocate(48 + vcek.length);
    b.putLong(SnpCertTable.VCEK.getMostSignificantBits());
    b.putLong(SnpCertTable.VCEK.getLeastSignificantBits());
    b.order(ByteOrder.LITTLE_ENDIAN).putInt(48).putInt(vcek.length);
    b.position(48);
    b.put(vcek);
    return b.array();
  }

  private static Bytes bytes(JsonNode array) {
    byte[] out = new byte[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) array.get(i).asInt();
    }
    return Bytes.copyOf(out);
  }

  private static List<String> names(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
