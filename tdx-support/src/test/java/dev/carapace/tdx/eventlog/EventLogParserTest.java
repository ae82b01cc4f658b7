package dev.carapace.tdx.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.eventlog.EventLogParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventLogParserTest {
  private static final byte[] GTG_LOG = Vectors.read(Vectors.GTG + "ccel_data.dat");

  @Test
  void parseWhenGceCcelThenHas43EventsEndingAt18101() throws Exception {
    EventLog log = EventLogParser.parse(GTG_LOG);

    assertThat(log.events()).hasSize(43);
    assertThat(log.endOffset()).isEqualTo(18101);
    assertThat(log.algorithms()).containsExactly(DigestAlgorithm.SHA384);
    SpecIdEvent spec = log.specIdEvent();
    assertThat(spec.mrIndex()).isEqualTo(1);
    assertThat(spec.specVersionMajor()).isEqualTo(2);
    assertThat(spec.uintnSize()).isEqualTo(2);
    assertThat(spec.vendorInfo().size()).isZero();

    CcEvent first = log.events().get(0);
    assertThat(first.sequenceNumber()).isEqualTo(1);
    assertThat(first.offset()).isEqualTo(32 + 33);
    assertThat(first.mrIndex()).isEqualTo(1);
    assertThat(first.rtmrIndex()).hasValue(0);
    assertThat(first.type()).isEqualTo(EventType.EV_EFI_HANDOFF_TABLES2);
    assertThat(first.type().name()).isEqualTo("EV_EFI_HANDOFF_TABLES2");
    assertThat(first.digest(DigestAlgorithm.SHA384).map(Bytes::toHex)).hasValue(
        "458994daa60deac8dea19dba79748f6ff93fd0aebb8e3e0be5a65eb12309d342"
            + "c3ce31cc67af7bbd22af1a44e7d9fe21");
    assertThat(new String(first.data().toByteArray(), 1, 8, StandardCharsets.US_ASCII))
        .isEqualTo("TdxTable");

    CcEvent last = log.events().get(42);
    assertThat(last.sequenceNumber()).isEqualTo(43);
    assertThat(last.type()).isEqualTo(EventType.EV_EFI_ACTION);
    assertThat(new String(last.data().toByteArray(), StandardCharsets.US_ASCII))
        .isEqualTo("Exit Boot Services Returned with Success");
    assertThat(last.offset() + 4 + 4 + 4 + 2 + 48 + 4 + last.data().size()).isEqualTo(18101);
    for (int i = 1; i < log.events().size(); i++) {
      assertThat(log.events().get(i).offset()).isGreaterThan(log.events().get(i - 1).offset());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {
    "CCEL_data", "CCEL_data_ovmf", "CCEL_data_grub", "CCEL_data_grub_gke",
    "CCEL_AAEL_alibabacloud", "CCEL_data_csv"})
  void parseWhenTrusteeLogThenMatchesUpstreamJson(String name) throws Exception {
    EventLog log = EventLogParser.parse(Vectors.read(Vectors.TRUSTEE + name));
    JsonNode expected = new ObjectMapper()
        .readTree(Vectors.read(Vectors.TRUSTEE + name + "_out.json"))
        .get("uefi_event_logs");

    assertThat(log.events()).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i++) {
      CcEvent event = log.events().get(i);
      JsonNode json = expected.get(i);
      assertThat(event.mrIndex()).as("index of event %d", i).isEqualTo(json.get("index").asLong());
      assertThat(event.type().name()).as("type of event %d", i)
          .isEqualTo(json.get("type_name").asText());
      assertThat(event.digests()).hasSize(json.get("digests").size());
      for (int d = 0; d < event.digests().size(); d++) {
        EventDigest digest = event.digests().get(d);
        JsonNode jd = json.get("digests").get(d);
        assertThat(digest.algorithm().name()).isEqualTo(jd.get("alg").asText());
        assertThat(digest.value().toHex()).isEqualTo(jd.get("digest").asText());
      }
      assertThat(event.data())
          .isEqualTo(Bytes.copyOf(Base64.getDecoder().decode(json.get("event").asText())));
    }
  }

  @Test
  void parseWhenTrusteeTdShimLogThenReadsVendorInfoAndStopsAtZeroPadding() throws Exception {
    EventLog log = EventLogParser.parse(Vectors.read(Vectors.TRUSTEE + "CCEL_data"));

    assertThat(log.specIdEvent().mrIndex()).isZero();
    assertThat(new String(log.specIdEvent().vendorInfo().toByteArray(), StandardCharsets.US_ASCII))
        .isEqualTo("td-shim");
    assertThat(log.endOffset()).isEqualTo(9822);
  }

  @Test
  void parseWhenGcpLogWithoutJsonThenParses() throws Exception {
    EventLog log = EventLogParser.parse(Vectors.read(Vectors.TRUSTEE + "CCEL_data_gcp"));

    assertThat(log.events()).hasSize(21);
    assertThat(log.endOffset()).isEqualTo(20349);
  }

  @Test
  void parseWhenHygonCsvLogThenParsesWithSm3Only() throws Exception {
    EventLog log = EventLogParser.parse(Vectors.read(Vectors.TRUSTEE + "CCEL_data_csv"));

    assertThat(log.algorithms()).containsExactly(DigestAlgorithm.SM3_256);
    assertThat(log.events()).hasSize(82);
    assertThat(log.events())
        .allSatisfy(e -> assertThat(e.digest(DigestAlgorithm.SHA384)).isEmpty());
  }

  @Test
  void parseWhenSeveralAlgorithmsThenKeepsDigestPerAlgorithm() throws Exception {
    byte[] raw = LogBuilder.withAlgorithms(0x000B, 32, 0x000C, 48, 0x1234, 7)
        .event(2, 4, new byte[4], 0x000B, 0x11, 0x000C, 0x22)
        .build();

    EventLog log = EventLogParser.parse(raw);

    assertThat(log.algorithms()).extracting(DigestAlgorithm::name)
        .containsExactly("SHA-256", "SHA-384", "ALG_0x1234");
    CcEvent event = log.events().get(0);
    assertThat(event.type().name()).isEqualTo("EV_SEPARATOR");
    assertThat(event.digest(DigestAlgorithm.SHA256)).hasValue(Bytes.fromHex("11".repeat(32)));
    assertThat(event.digest(DigestAlgorithm.SHA384)).hasValue(Bytes.fromHex("22".repeat(48)));
    assertThat(log.endOffset()).isEqualTo(raw.length);
  }

  @Test
  void parseWhenLogEndsWithoutPaddingOrAtMarkersThenStopsCleanly() throws Exception {
    LogBuilder base = LogBuilder.sha384().event(1, 4, new byte[4], 0x000C, 1);
    int end = base.size();
    List<byte[]> tails = List.of(
        new byte[0],
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff},
        new byte[] {0, 0, 0, 0, 0},
        new byte[] {1, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 9, 9},
        new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 4, 0, 0, 0, 9},
        new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3});
    for (byte[] tail : tails) {
      byte[] raw = LogBuilder.sha384().event(1, 4, new byte[4], 0x000C, 1).raw(tail).build();
      EventLog log = EventLogParser.parse(raw);
      assertThat(log.events()).hasSize(1);
      assertThat(log.endOffset()).isEqualTo(end);
    }
  }

  @Test
  void parseWhenTrailingPartialHeaderIsNotPaddingThenTruncated() {
    byte[] raw = LogBuilder.sha384().event(1, 4, new byte[4], 0x000C, 1)
        .raw(new byte[] {1, 0, 0})
        .build();
    assertReason(raw, Reason.TRUNCATED);
  }

  @Test
  void parseWhenSpecIdSignatureWrongThenMalformedSpecId() {
    byte[] raw = LogBuilder.sha384().build();
    raw[32] = 'X';
    assertReason(raw, Reason.MALFORMED_SPEC_ID_EVENT);
  }

  @Test
  void parseWhenFirstEventIsNotNoActionThenMalformedSpecId() {
    byte[] raw = LogBuilder.sha384().build();
    raw[4] = 4;
    assertReason(raw, Reason.MALFORMED_SPEC_ID_EVENT);
  }

  @Test
  void parseWhenSpecIdDeclaresWrongSizeOrDuplicateOrNoAlgorithmThenMalformedSpecId() {
    assertReason(LogBuilder.withAlgorithms(0x000C, 32).build(), Reason.MALFORMED_SPEC_ID_EVENT);
    assertReason(LogBuilder.withAlgorithms(0x000C, 48, 0x000C, 48).build(),
        Reason.MALFORMED_SPEC_ID_EVENT);
    assertReason(LogBuilder.withAlgorithms(0x4444, 0).build(), Reason.MALFORMED_SPEC_ID_EVENT);
    assertReason(LogBuilder.withAlgorithms().build(), Reason.MALFORMED_SPEC_ID_EVENT);
  }

  @Test
  void parseWhenSpecIdDeclaresHugeSizesThenOversized() {
    assertReason(LogBuilder.withAlgorithms(0x4444, 65).build(), Reason.OVERSIZED);
    int[] many = new int[2 * (EventLogParser.MAX_ALGORITHMS + 1)];
    for (int i = 0; i < many.length; i += 2) {
      many[i] = 0x100 + i;
      many[i + 1] = 32;
    }
    assertReason(LogBuilder.withAlgorithms(many).build(), Reason.OVERSIZED);
  }

  @Test
  void parseWhenEventUsesUnlistedAlgorithmThenUnknownAlgorithm() {
    byte[] raw = LogBuilder.sha384().event(1, 4, new byte[4], 0x000B, 1).build();
    assertReason(raw, Reason.UNKNOWN_ALGORITHM);
  }

  @Test
  void parseWhenEventRepeatsAlgorithmThenMalformedEvent() {
    byte[] raw = LogBuilder.withAlgorithms(0x000B, 32, 0x000C, 48)
        .event(1, 4, new byte[4], 0x000C, 1, 0x000C, 2).build();
    assertReason(raw, Reason.MALFORMED_EVENT);
  }

  @Test
  void parseWhenHugeDigestCountOrEventSizeThenTypedErrorWithoutAllocation() {
    byte[] count = LogBuilder.sha384().u32(1).u32(4).u32(0xffff_ffffL).build();
    assertReason(count, Reason.OVERSIZED);
    byte[] size = LogBuilder.sha384().u32(1).u32(4).u32(1).u16(0x000C).raw(new byte[48])
        .u32(0xffff_fff0L).raw(new byte[16]).build();
    assertReason(size, Reason.TRUNCATED);
    byte[] specSize = LogBuilder.sha384().build();
    specSize[28] = specSize[29] = specSize[30] = specSize[31] = (byte) 0xff;
    assertReason(specSize, Reason.TRUNCATED);
  }

  @Test
  void parseWhenEmptyOrAllPaddingThenTypedError() {
    assertReason(new byte[0], Reason.TRUNCATED);
    assertReason(new byte[4096], Reason.MALFORMED_SPEC_ID_EVENT);
    byte[] ones = new byte[64];
    java.util.Arrays.fill(ones, (byte) 0xff);
    assertReason(ones, Reason.MALFORMED_SPEC_ID_EVENT);
  }

  @Test
  void eventTypeWhenUnknownThenHexName() {
    assertThat(new EventType(0x1234_5678L).name()).isEqualTo("0x12345678");
    assertThat(new EventType(0x1234_5678L).knownName()).isEmpty();
    assertThat(new EventType(0x8000_00E0L).name()).isEqualTo("EV_EFI_VARIABLE_AUTHORITY");
    assertThat(EventType.EV_IPL.knownName()).hasValue("EV_IPL");
  }

  static void assertReason(byte[] raw, Reason reason) {
    assertThatThrownBy(() -> EventLogParser.parse(raw))
        .isInstanceOfSatisfying(
            EventLogParseException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }
}
