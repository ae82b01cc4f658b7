package dev.carapace.tdx.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.eventlog.EventLogReplayException.Reason;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import java.security.MessageDigest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RtmrReplayerTest {
  private static final String ZERO = "00".repeat(48);

  static Stream<Arguments> trusteeLogs() {
    return Stream.of(
        Arguments.of("CCEL_data",
            "2dc712306a963eadb894ad47dbaa17df44814151555aee11cbb843becca88950ffd079664902e6f22c66f7c8213543f4",
            "0fa3be56af61208bbd179dc7b124988eb929319154663c539d6f46445ecac2fec287075047ff7bd1922829fec28cd3cf",
            ZERO, ZERO),
        Arguments.of("CCEL_data_ovmf",
            "8566f998798db09443b244c62de9a3041fb02e2e6936c4396d784bba2e90177329ec5aba3bb484404f2ab9cc90abe193",
            "775b9f6bfe99f8a31396f0d0218e67ffa796d3b96ccf961cbb0deba48c79c00f082cda1a5567c1c16305f1fc210c13c6",
            "94eaf7a7bf398ed8d888c91057ae0261802e4f3df084213a76ca7f0b5055ac9d2241de43cd58d9e8b49c503bbf25f34a",
            ZERO),
        Arguments.of("CCEL_data_grub",
            "cec0a104f691f60da2387fea3c2de00c4ac035e2bb479ff02edcce69039d9e9907f0b3e55031da3dc7038f423adebd79",
            "6c289e0c62182d41ebe97bdbc9872d10998a08eaa86adcdc684001a363207ee72942c7522cdf00a4bbc3d784bed7b670",
            "08919d017ba0e52cd6d966351c7de16fe76c1d3d3d3da4554239e4c7d16cb8b82a94e7eaea3a0e6e18eb690b999fd31e",
            ZERO),
        Arguments.of("CCEL_data_gcp",
            "3300980705adf09d28b707b79699d9874892164280832be2c386a715b6e204e0897fb564a064f810659207ba862b304f",
            "204d49f78d29918fe7b2f694e76653861a0c2a018987d2c3a54266eff737232524cf0af68c4d180e2f8c2c0937f21967",
            ZERO, ZERO),
        Arguments.of("CCEL_data_grub_gke",
            "bc9945139042cf2cc75caf920aa57f14884ecfd7e893bccc51250c8ce90eb53ce72741e6adaa18183eb1331a87d4544a",
            "c17cb288a4dee302bb9ed8d27257a168f3264ad68cab53757f37eeaa7039657fa887cad65cf910e0fdc435ff110f8a7b",
            "334aeba2c985f8886cea97d1ecffbd512769d528b9a94009583db667ad7d2faa7d37fa145d75b192ceee2d2f10b2eb6d",
            ZERO));
  }

  @ParameterizedTest
  @MethodSource("trusteeLogs")
  void replayWhenTrusteeLogThenMatchesUpstreamRtmrs(
      String name, String rtmr0, String rtmr1, String rtmr2, String rtmr3) throws Exception {
    RtmrReplay replay = replay(Vectors.TRUSTEE + name);

    List<Bytes> expected = hexes(rtmr0, rtmr1, rtmr2, rtmr3);
    assertThat(replay.values()).isEqualTo(expected);
    assertThat(replay.compare(expected).matches()).isTrue();
    assertThat(replay.compare(expected).mismatches()).isEmpty();
  }

  @Test
  void replayWhenGceCcelThenMatchesQuoteRtmrs() throws Exception {
    Quote quote = QuoteParser.parse(Vectors.read(Vectors.GTG + "cos-113-tdx-quote.dat"));
    RtmrReplay replay = replay(Vectors.GTG + "ccel_data.dat");

    assertThat(replay.values()).isEqualTo(hexes(
        "3fa2f61f395b7f5feefb4ec2df61297f109ad8abcd6410c1b7df60f21f37b19297fc35e544039c7e1edece752afd17f6",
        "f62dbc072bd5d3f3438b7b35c39a727f5aea2ffc2473f43723953f530daf62504f0a7944aa62c41a86e8a878c2b122c1",
        "4969684dc87381fc3b3134176c8d8806eaf0a901859f5f70cfae8d17714b46c10a8de219048c9fc09f11f381a6fbe7c1",
        ZERO));
    assertThat(replay.compare(quote.body().rtmrs()).matches()).isTrue();
  }

  @Test
  void replayWhenGceCcelThenListsEventsPerRtmrInLogOrder() throws Exception {
    EventLog log = EventLogParser.parse(Vectors.read(Vectors.GTG + "ccel_data.dat"));
    RtmrReplay replay = RtmrReplayer.replay(log);

    for (ReplayedRtmr rtmr : replay.rtmrs()) {
      assertThat(rtmr.events()).allSatisfy(e -> {
        assertThat(e.mrIndex()).isEqualTo(rtmr.index() + 1L);
        assertThat(e.type()).isNotEqualTo(EventType.EV_NO_ACTION);
      });
      assertThat(rtmr.events()).isSortedAccordingTo(
          (a, b) -> Integer.compare(a.sequenceNumber(), b.sequenceNumber()));
      assertThat(rtmr.value()).isEqualTo(extendAll(rtmr.events()));
    }
    assertThat(replay.rtmrs().get(0).events()).hasSize(16);
    assertThat(replay.rtmrs().get(1).events()).hasSize(7);
    assertThat(replay.rtmrs().get(2).events()).hasSize(20);
    assertThat(replay.rtmrs().get(3).events()).isEmpty();
    assertThat(replay.rtmrs().get(0).events().get(0).type())
        .isEqualTo(EventType.EV_EFI_HANDOFF_TABLES2);
  }

  @Test
  void replayWhenGkeLogHasNoActionEventsThenSkipsThem() throws Exception {
    EventLog log = EventLogParser.parse(Vectors.read(Vectors.TRUSTEE + "CCEL_data_grub_gke"));
    RtmrReplay replay = RtmrReplayer.replay(log);

    long noAction = log.events().stream().filter(e -> e.type().equals(EventType.EV_NO_ACTION))
        .count();
    assertThat(noAction).isEqualTo(2);
    int replayed = replay.rtmrs().stream().mapToInt(r -> r.events().size()).sum();
    assertThat(replayed).isEqualTo(log.events().size() - 2);
  }

  @Test
  void compareWhenGcpRtmr0LastNibbleChangedThenReportsRtmr0WithRealValue() throws Exception {
    String real0 =
        "3300980705adf09d28b707b79699d9874892164280832be2c386a715b6e204e0897fb564a064f810659207ba862b304f";
    String wrong0 = real0.substring(0, 95) + "d";
    RtmrReplay replay = replay(Vectors.TRUSTEE + "CCEL_data_gcp");

    RtmrComparison comparison = replay.compare(hexes(wrong0,
        "204d49f78d29918fe7b2f694e76653861a0c2a018987d2c3a54266eff737232524cf0af68c4d180e2f8c2c0937f21967",
        ZERO, ZERO));

    assertThat(comparison.matches()).isFalse();
    assertThat(comparison.mismatches()).containsExactly(
        new RtmrMismatch(0, Bytes.fromHex(wrong0), Bytes.fromHex(real0)));
    assertThat(comparison.mismatch(0)).isPresent();
    assertThat(comparison.mismatch(1)).isEmpty();
    assertThat(comparison.mismatches().get(0).toString()).startsWith("RTMR0: expected ")
        .endsWith("replayed " + real0);
  }

  @Test
  void compareWhenTdShimRtmr1FirstNibbleChangedThenReportsRtmr1WithRealValue() throws Exception {
    String real1 =
        "0fa3be56af61208bbd179dc7b124988eb929319154663c539d6f46445ecac2fec287075047ff7bd1922829fec28cd3cf";
    String wrong1 = "2" + real1.substring(1);
    RtmrReplay replay = replay(Vectors.TRUSTEE + "CCEL_data");

    RtmrComparison comparison = replay.compare(hexes(
        "2dc712306a963eadb894ad47dbaa17df44814151555aee11cbb843becca88950ffd079664902e6f22c66f7c8213543f4",
        wrong1, ZERO, ZERO));

    assertThat(comparison.mismatches()).singleElement().satisfies(m -> {
      assertThat(m.index()).isEqualTo(1);
      assertThat(m.expected().toHex()).isEqualTo(wrong1);
      assertThat(m.replayed().toHex()).isEqualTo(real1);
    });
  }

  @Test
  void compareWhenExpectedIsNotFour48ByteValuesThenIllegalArgument() throws Exception {
    RtmrReplay replay = replay(Vectors.TRUSTEE + "CCEL_data");
    assertThatThrownBy(() -> replay.compare(hexes(ZERO, ZERO, ZERO)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> replay.compare(hexes(ZERO, ZERO, ZERO, "00")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void replayWhenHygonSm3LogThenMissingSha384() throws Exception {
    EventLog log = EventLogParser.parse(Vectors.read(Vectors.TRUSTEE + "CCEL_data_csv"));
    assertThatThrownBy(() -> RtmrReplayer.replay(log))
        .isInstanceOfSatisfying(EventLogReplayException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MISSING_SHA384_DIGEST));
  }

  @Test
  void replayWhenMeasuredEventLacksSha384ThenMissingSha384() throws Exception {
    byte[] raw = LogBuilder.withAlgorithms(0x000B, 32, 0x000C, 48)
        .event(1, 4, new byte[0], 0x000C, 1)
        .event(2, 4, new byte[0], 0x000B, 1)
        .build();
    EventLog log = EventLogParser.parse(raw);
    assertThatThrownBy(() -> RtmrReplayer.replay(log))
        .isInstanceOfSatisfying(EventLogReplayException.class, e -> {
          assertThat(e.reason()).isEqualTo(Reason.MISSING_SHA384_DIGEST);
          assertThat(e.getMessage()).contains("event 2");
        });
  }

  @Test
  void replayWhenMrIndexAbove4ThenOutOfRangeUnlessNoAction() throws Exception {
    EventLog noAction = EventLogParser.parse(
        LogBuilder.sha384().event(7, 3, new byte[0], 0x000C, 0).build());
    assertThat(RtmrReplayer.replay(noAction).values()).containsOnly(Bytes.zeros(48));

    EventLog measured = EventLogParser.parse(
        LogBuilder.sha384().event(5, 4, new byte[0], 0x000C, 1).build());
    assertThatThrownBy(() -> RtmrReplayer.replay(measured))
        .isInstanceOfSatisfying(EventLogReplayException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MR_INDEX_OUT_OF_RANGE));
  }

  @Test
  void replayWhenMrtdEventThenNotExtended() throws Exception {
    EventLog log = EventLogParser.parse(LogBuilder.sha384()
        .event(0, 4, new byte[0], 0x000C, 9)
        .event(4, 4, new byte[0], 0x000C, 7)
        .build());
    RtmrReplay replay = RtmrReplayer.replay(log);

    assertThat(replay.value(0)).isEqualTo(Bytes.zeros(48));
    assertThat(replay.value(3)).isEqualTo(extendAll(List.of(log.events().get(1))));
    assertThat(replay.rtmrs().get(3).events()).containsExactly(log.events().get(1));
  }

  @Test
  void replayWhenNoActionEventInRtmrThenNotExtended() throws Exception {
    EventLog log = EventLogParser.parse(LogBuilder.sha384()
        .event(1, 3, new byte[16], 0x000C, 5)
        .event(1, 4, new byte[0], 0x000C, 6)
        .build());
    RtmrReplay replay = RtmrReplayer.replay(log);

    assertThat(replay.rtmrs().get(0).events()).containsExactly(log.events().get(1));
    assertThat(replay.value(0)).isEqualTo(extendAll(List.of(log.events().get(1))));
  }

  private static RtmrReplay replay(String path) throws Exception {
    return RtmrReplayer.replay(EventLogParser.parse(Vectors.read(path)));
  }

  private static Bytes extendAll(List<CcEvent> events) throws Exception {
    byte[] register = new byte[48];
    for (CcEvent e : events) {
      MessageDigest sha = MessageDigest.getInstance("SHA-384");
      sha.update(register);
      sha.update(e.digest(DigestAlgorithm.SHA384).orElseThrow().toByteArray());
      register = sha.digest();
    }
    return Bytes.copyOf(register);
  }

  private static List<Bytes> hexes(String... hex) {
    return Stream.of(hex).map(Bytes::fromHex).toList();
  }
}
