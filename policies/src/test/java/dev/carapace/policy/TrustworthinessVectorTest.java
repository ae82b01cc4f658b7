package dev.carapace.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TrustworthinessVectorTest {

  @Test
  void toEarClaimsWhenVectorThenAr4siNamesInKeyOrder() {
    TrustworthinessVector v = new TrustworthinessVector(1, 2, 3, 4, 5, 6, 7, 8);

    assertThat(v.toEarClaims())
        .containsExactly(
            Map.entry("instance-identity", 1),
            Map.entry("configuration", 2),
            Map.entry("executables", 3),
            Map.entry("file-system", 4),
            Map.entry("hardware", 5),
            Map.entry("runtime-opaque", 6),
            Map.entry("storage-opaque", 7),
            Map.entry("sourced-data", 8));
  }

  @Test
  void statusWhenAllZeroThenNone() {
    assertThat(TrustworthinessVector.NO_CLAIMS.status()).isEqualTo(EarStatus.NONE);
  }

  @Test
  void statusWhenTrusteeAffirmingExampleThenAffirming() {
    // docs/example.token.json of Trustee: configuration 2, executables 3, hardware 2.
    assertThat(new TrustworthinessVector(0, 2, 3, 0, 2, 0, 0, 0).status())
        .isEqualTo(EarStatus.AFFIRMING);
  }

  @Test
  void statusWhenOneWarningThenWarning() {
    assertThat(new TrustworthinessVector(0, 2, 33, 0, 2, 0, 0, 0).status())
        .isEqualTo(EarStatus.WARNING);
  }

  @Test
  void statusWhenOneContraindicatedThenContraindicated() {
    assertThat(new TrustworthinessVector(0, 36, 33, 0, 97, 0, 0, 0).status())
        .isEqualTo(EarStatus.CONTRAINDICATED);
  }

  @Test
  void constructorWhenValueOutsideByteThenIllegalArgument() {
    assertThatThrownBy(() -> new TrustworthinessVector(0, 0, 0, 0, 128, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hardware");
  }

  @Test
  void ofWhenPartialMapThenMissingClaimsZero() {
    TrustworthinessVector v =
        TrustworthinessVector.of(
            Map.of(TrustworthinessClaim.HARDWARE, 2, TrustworthinessClaim.EXECUTABLES, 3));

    assertThat(v).isEqualTo(new TrustworthinessVector(0, 0, 3, 0, 2, 0, 0, 0));
    assertThat(v.get(TrustworthinessClaim.HARDWARE)).isEqualTo(2);
  }
}
