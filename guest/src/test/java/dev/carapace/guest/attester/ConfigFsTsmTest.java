package dev.carapace.guest.attester;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.guest.attester.AttesterException.Reason;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.OptionalInt;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFsTsmTest {
  private static final Bytes INBLOB = Bytes.fromHex("ab".repeat(48) + "00".repeat(16));

  @TempDir Path root;
  private final FakeTsmKernel kernel = new FakeTsmKernel();
  private ConfigFsTsm tsm;

  @BeforeEach
  void setUp() throws Exception {
    Files.createDirectories(root.resolve("report"));
    tsm = new ConfigFsTsm(root, new SecureRandom(), kernel);
    kernel.outblob = new byte[] {1, 2, 3};
    kernel.auxblob = new byte[] {9};
  }

  @Test
  void reportWhenTdxThenWritesExactInblobReadsOutblobAndRemovesEntry() throws Exception {
    TsmReport r = tsm.report(INBLOB, OptionalInt.empty(), "tdx_guest", false);

    assertThat(r.outblob()).isEqualTo(Bytes.copyOf(new byte[] {1, 2, 3}));
    assertThat(r.auxblob().size()).isZero();
    assertThat(r.provider()).isEqualTo("tdx_guest");
    assertThat(kernel.writtenInblob).isEqualTo(INBLOB);
    assertThat(kernel.writtenPrivlevel).isEmpty();
    assertThat(kernel.created).hasSize(1);
    assertThat(kernel.created.get(0).getParent()).isEqualTo(root.resolve("report"));
    assertThat(kernel.removed).containsExactlyElementsOf(kernel.created);
    assertThat(kernel.created.get(0)).doesNotExist();
  }

  @Test
  void reportWhenPrivlevelGivenThenWritesItAndExpectsTwoWrites() throws Exception {
    kernel.provider = "sev_guest";
    kernel.generation = 2;
    TsmReport r = tsm.report(INBLOB, OptionalInt.of(2), "sev_guest", true);

    assertThat(kernel.writtenPrivlevel).isEqualTo("2");
    assertThat(kernel.writtenInblob).isEqualTo(INBLOB);
    assertThat(r.auxblob()).isEqualTo(Bytes.copyOf(new byte[] {9}));
    assertThat(r.generation()).isEqualTo(2);
  }

  @Test
  void reportWhenGenerationMovedThenGenerationMismatchAndEntryRemoved() {
    kernel.generation = 3; // someone else wrote to our entry twice

    assertThatThrownBy(() -> tsm.report(INBLOB, OptionalInt.empty(), "tdx_guest", false))
        .isInstanceOf(AttesterException.class)
        .extracting(e -> ((AttesterException) e).reason()).isEqualTo(Reason.GENERATION_MISMATCH);
    assertThat(kernel.removed).containsExactlyElementsOf(kernel.created);
  }

  @Test
  void reportWhenProviderIsAnotherTeeThenWrongProviderAndNothingWritten() {
    kernel.provider = "sev_guest";

    assertThatThrownBy(() -> tsm.report(INBLOB, OptionalInt.empty(), "tdx_guest", false))
        .extracting(e -> ((AttesterException) e).reason()).isEqualTo(Reason.WRONG_PROVIDER);
    assertThat(kernel.writtenInblob.size()).isZero();
    assertThat(kernel.removed).hasSize(1);
  }

  @Test
  void reportWhenNoReportDirectoryThenUnavailable() throws Exception {
    ConfigFsTsm missing = new ConfigFsTsm(root.resolve("absent"), new SecureRandom(), kernel);

    assertThatThrownBy(() -> missing.report(INBLOB, OptionalInt.empty(), "tdx_guest", false))
        .extracting(e -> ((AttesterException) e).reason()).isEqualTo(Reason.UNAVAILABLE);
    assertThat(kernel.created).isEmpty();
  }

  @Test
  void reportWhenOutblobEmptyThenMalformedReport() {
    kernel.outblob = new byte[0];

    assertThatThrownBy(() -> tsm.report(INBLOB, OptionalInt.empty(), "tdx_guest", false))
        .extracting(e -> ((AttesterException) e).reason()).isEqualTo(Reason.MALFORMED_REPORT);
  }

  @Test
  void reportWhenInblobIsNot64BytesThenIllegalArgument() {
    assertThatThrownBy(() -> tsm.report(Bytes.zeros(48), OptionalInt.empty(), "tdx_guest", false))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(kernel.created).isEmpty();
  }

  @Test
  void reportWhenCalledTwiceThenUsesTwoDistinctEntries() throws Exception {
    tsm.report(INBLOB, OptionalInt.empty(), "tdx_guest", false);
    tsm.report(INBLOB, OptionalInt.empty(), "tdx_guest", false);

    assertThat(kernel.created).hasSize(2).doesNotHaveDuplicates();
  }
}
