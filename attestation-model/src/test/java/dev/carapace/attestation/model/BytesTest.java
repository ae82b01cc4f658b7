package dev.carapace.attestation.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void copyOfWhenSourceChangesLaterThenValueDoesNot() {
    byte[] raw = {1, 2, 3};
    Bytes b = Bytes.copyOf(raw);
    raw[0] = 9;
    assertThat(b.toHex()).isEqualTo("010203");
    b.toByteArray()[1] = 9;
    assertThat(b.toHex()).isEqualTo("010203");
  }

  @Test
  void equalsWhenSameContentThenEqualAndSameHash() {
    assertThat(Bytes.fromHex("ABcd")).isEqualTo(Bytes.fromHex("abcd"))
        .hasSameHashCodeAs(Bytes.fromHex("abcd"));
    assertThat(Bytes.fromHex("abcd")).isNotEqualTo(Bytes.fromHex("abce"))
        .isNotEqualTo(Bytes.fromHex("abcd00"));
  }

  @Test
  void requireSizeWhenWrongSizeThenNamesTheField() {
    assertThat(Bytes.requireSize(Bytes.zeros(48), 48, "mr_td")).isEqualTo(Bytes.zeros(48));
    assertThatThrownBy(() -> Bytes.requireSize(Bytes.zeros(47), 48, "mr_td"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mr_td must be 48 bytes, got 47");
  }

  @Test
  void sliceAndZeroChecksWhenUsedThenMatchContents() {
    Bytes b = Bytes.fromHex("00000102");
    assertThat(b.slice(2, 2).toHex()).isEqualTo("0102");
    assertThat(b.slice(0, 2).isAllZero()).isTrue();
    assertThat(b.isAllZero()).isFalse();
    assertThat(b.getUnsigned(3)).isEqualTo(2);
  }
}
