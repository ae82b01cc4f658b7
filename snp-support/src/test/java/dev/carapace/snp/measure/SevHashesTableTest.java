package dev.carapace.snp.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SevHashesTableTest {

  @Test
  void matchesQemuTableByteForByte() {
    SevHashesTable table =
        SevHashesTable.of(Bytes.empty(), Bytes.empty(), "console=ttyS0 loglevel=7");
    assertThat(table.toBytes())
        .isEqualTo(MeasureVectors.bytes("sev_hashes_table_devnull_console.bin"));
    assertThat(SevHashesTable.PADDED_SIZE).isEqualTo(176);
  }

  @Test
  void absentInitrdAndCmdlineHashLikeEmptyOnes() {
    SevHashesTable absent = SevHashesTable.of(Bytes.empty(), null, null);
    assertThat(absent).isEqualTo(SevHashesTable.of(Bytes.empty(), Bytes.empty(), ""));
    assertThat(absent.cmdlineSha256()).isEqualTo(SevHashesTable.sha256(new byte[1]));
  }

  @Test
  void cmdlineIsUtf8WithNul() {
    SevHashesTable t = SevHashesTable.of(Bytes.empty(), null, "a=é");
    byte[] expected = "a=é\0".getBytes(StandardCharsets.UTF_8);
    assertThat(t.cmdlineSha256()).isEqualTo(SevHashesTable.sha256(expected));
  }

  @Test
  void layoutHasHeaderAndThreeEntries() {
    SevHashesTable t = new SevHashesTable(Bytes.zeros(32), Bytes.zeros(32), Bytes.zeros(32));
    Bytes b = t.toBytes();
    assertThat(b.slice(0, 16)).isEqualTo(Guids.toBytesLe(SevHashesTable.TABLE_HEADER_GUID));
    assertThat(b.slice(16, 2).toHex()).isEqualTo("a800");
    assertThat(b.slice(18, 16)).isEqualTo(Guids.toBytesLe(SevHashesTable.CMDLINE_ENTRY_GUID));
    assertThat(b.slice(34, 2).toHex()).isEqualTo("3200");
    assertThat(b.slice(68, 16)).isEqualTo(Guids.toBytesLe(SevHashesTable.INITRD_ENTRY_GUID));
    assertThat(b.slice(118, 16)).isEqualTo(Guids.toBytesLe(SevHashesTable.KERNEL_ENTRY_GUID));
    assertThat(b.slice(168, 8).isAllZero()).isTrue();
  }

  @Test
  void pagePlacesTableAtOffset() {
    SevHashesTable t = SevHashesTable.of(Bytes.empty(), null, null);
    Bytes page = t.toPage(0xC00);
    assertThat(page.size()).isEqualTo(4096);
    assertThat(page.slice(0, 0xC00).isAllZero()).isTrue();
    assertThat(page.slice(0xC00, 176)).isEqualTo(t.toBytes());
    assertThat(page.slice(0xC00 + 176, 4096 - 0xC00 - 176).isAllZero()).isTrue();
    assertThat(t.toPage(4096 - 176).slice(4096 - 176, 176)).isEqualTo(t.toBytes());
    assertThatThrownBy(() -> t.toPage(4096 - 175)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsWrongHashLength() {
    assertThatThrownBy(() -> new SevHashesTable(Bytes.zeros(31), Bytes.zeros(32), Bytes.zeros(32)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
