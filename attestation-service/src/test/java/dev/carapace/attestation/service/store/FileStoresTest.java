package dev.carapace.attestation.service.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileStoresTest {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().registerModule(new JavaTimeModule());

  @TempDir Path dir;

  @Test
  void putWhenReopenedThenEntriesSurviveAndFilesArePrivate() throws Exception {
    FileReferenceValueStore s = new FileReferenceValueStore(dir, MAPPER);
    Instant exp = Instant.parse("2030-01-01T00:00:00Z");
    s.put(new ReferenceValue("tdx.mr_td", exp, List.of("aa", "bb")));
    s.put(new ReferenceValue("rvps:///ns/../x:1", exp, List.of("1")));
    FileReferenceValueStore reopened = new FileReferenceValueStore(dir, MAPPER);
    assertThat(reopened.list()).extracting(ReferenceValue::name)
        .containsExactly("rvps:///ns/../x:1", "tdx.mr_td");
    assertThat(reopened.get("tdx.mr_td").orElseThrow().values()).containsExactly("aa", "bb");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("tdx%2Emr_td.json",
              "rvps%3A%2F%2F%2Fns%2F%2E%2E%2Fx%3A1.json");
    }
    assertThat(Files.getPosixFilePermissions(dir.resolve("tdx%2Emr_td.json")))
        .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
  }

  @Test
  void deleteWhenReopenedThenGone() throws Exception {
    FilePolicyStore s = new FilePolicyStore(dir, MAPPER);
    s.put(new StoredPolicy("p1", "id: p1", Instant.EPOCH));
    assertThat(s.delete("p1")).isTrue();
    assertThat(s.delete("p1")).isFalse();
    assertThat(new FilePolicyStore(dir, MAPPER).list()).isEmpty();
  }

  @Test
  void openWhenLeftoverTempFileThenRemovedAndIgnored() throws Exception {
    Files.writeString(dir.resolve(".tmp-123.part"), "{torn");
    assertThat(new FilePolicyStore(dir, MAPPER).list()).isEmpty();
    assertThat(Files.exists(dir.resolve(".tmp-123.part"))).isFalse();
  }

  @Test
  void openWhenCorruptEntryThenStartupFailsNamingTheFile() throws Exception {
    Files.writeString(dir.resolve("p1.json"), "{not json");
    assertThatThrownBy(() -> new FilePolicyStore(dir, MAPPER))
        .isInstanceOf(UncheckedIOException.class).hasMessageContaining(dir.toString());
  }
}
