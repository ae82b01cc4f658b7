package dev.carapace.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EarStatusTest {

  /** The boundaries rust-ear's TrustClaim::tier test pins, plus the ends of the byte range. */
  @ParameterizedTest
  @CsvSource({
    "0, NONE",
    "1, NONE",
    "-1, NONE",
    "2, AFFIRMING",
    "31, AFFIRMING",
    "-2, AFFIRMING",
    "-32, AFFIRMING",
    "32, WARNING",
    "95, WARNING",
    "-33, WARNING",
    "-96, WARNING",
    "96, CONTRAINDICATED",
    "97, CONTRAINDICATED",
    "127, CONTRAINDICATED",
    "-97, CONTRAINDICATED",
    "-128, CONTRAINDICATED"
  })
  void ofClaimValueWhenValueThenRustEarTier(int value, EarStatus expected) {
    assertThat(EarStatus.ofClaimValue(value)).isEqualTo(expected);
  }

  @Test
  void ofClaimValueWhenOutsideByteRangeThenIllegalArgument() {
    assertThatThrownBy(() -> EarStatus.ofClaimValue(128))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EarStatus.ofClaimValue(-129))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void earNameWhenEachStatusThenEarSpelling() {
    assertThat(EarStatus.NONE.earName()).isEqualTo("none");
    assertThat(EarStatus.AFFIRMING.earName()).isEqualTo("affirming");
    assertThat(EarStatus.WARNING.earName()).isEqualTo("warning");
    assertThat(EarStatus.CONTRAINDICATED.earName()).isEqualTo("contraindicated");
    for (EarStatus status : EarStatus.values()) {
      assertThat(EarStatus.fromEarName(status.earName())).isSameAs(status);
    }
  }

  @Test
  void fromEarNameWhenUnknownThenIllegalArgument() {
    assertThatThrownBy(() -> EarStatus.fromEarName("Affirming"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void worstWhenComparedThenLaterTierWins() {
    assertThat(EarStatus.NONE.worst(EarStatus.AFFIRMING)).isEqualTo(EarStatus.AFFIRMING);
    assertThat(EarStatus.CONTRAINDICATED.worst(EarStatus.WARNING))
        .isEqualTo(EarStatus.CONTRAINDICATED);
  }
}
