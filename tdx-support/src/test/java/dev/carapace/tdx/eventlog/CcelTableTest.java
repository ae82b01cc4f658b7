package dev.carapace.tdx.eventlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.tdx.eventlog.EventLogParseException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CcelTableTest {
  private static final byte[] TABLE = Vectors.read(Vectors.GTG + "ccel_table.dat");

  @Test
  void parseWhenGceTableThenReadsTdxLogArea() throws Exception {
    CcelTable table = CcelTable.parse(TABLE);

    assertThat(table.isTdx()).isTrue();
    assertThat(table.ccType()).isEqualTo(CcelTable.CC_TYPE_TDX);
    assertThat(table.ccSubtype()).isZero();
    assertThat(table.logAreaMinimumLength()).isEqualTo(0x40000L);
    assertThat(table.logAreaStartAddress()).isEqualTo(0xBEDBF000L);
    assertThat(table.revision()).isEqualTo(1);
    assertThat(ascii(table.oemId().toByteArray())).isEqualTo("INTEL ");
    assertThat(ascii(table.oemTableId().toByteArray())).isEqualTo("EDK2    ");
    assertThat(table.oemRevision()).isEqualTo(2);
  }

  @Test
  void parseWhenLengthIsNot56ThenMalformed() {
    assertMalformed(Arrays.copyOf(TABLE, 55));
    assertMalformed(Arrays.copyOf(TABLE, 57));
    assertMalformed(new byte[0]);
  }

  @Test
  void parseWhenSignatureIsWrongThenMalformed() {
    byte[] bad = TABLE.clone();
    bad[0] = 'X';
    bad[9] -= 'X' - 'C';
    assertThatThrownBy(() -> CcelTable.parse(bad))
        .isInstanceOf(EventLogParseException.class)
        .hasMessageContaining("signature");
  }

  @Test
  void parseWhenChecksumIsWrongThenMalformed() {
    byte[] bad = TABLE.clone();
    bad[40] ^= 1;
    assertThatThrownBy(() -> CcelTable.parse(bad))
        .isInstanceOf(EventLogParseException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void parseWhenRandomlyMutatedThenTableOrTypedError() {
    Random random = new Random(0xCCE1);
    for (int i = 0; i < 2000; i++) {
      byte[] mutated = TABLE.clone();
      mutated[random.nextInt(mutated.length)] = (byte) random.nextInt(256);
      try {
        CcelTable.parse(mutated);
      } catch (EventLogParseException e) {
        assertThat(e.reason()).isEqualTo(Reason.MALFORMED_CCEL_TABLE);
      }
    }
  }

  private static void assertMalformed(byte[] bytes) {
    assertThatThrownBy(() -> CcelTable.parse(bytes))
        .isInstanceOfSatisfying(
            EventLogParseException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED_CCEL_TABLE));
  }

  private static String ascii(byte[] bytes) {
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
