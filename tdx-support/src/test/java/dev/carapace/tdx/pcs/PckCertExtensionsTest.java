package dev.carapace.tdx.pcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Regression tests for PckCertExtensions.parse (see also CollateralDocumentsFuzzTest seeds). */
class PckCertExtensionsTest {

  /**
   * Found by CollateralDocumentsFuzzTest#pckExtensions: a constructed BER BIT STRING whose
   * segment claims 61 pad bits made BouncyCastle throw ASN1ParsingException (an
   * IllegalStateException), which escaped the parser.
   */
  @Test
  void parseWhenBitStringHasMoreThanSevenPadBitsThenMalformed() {
    byte[] input = {0x23, (byte) 0x80, 0x03, 0x03, 0x3d, 0x3d, 0x00, 0x00};

    assertThatThrownBy(() -> PckCertExtensions.parse(input))
        .isInstanceOfSatisfying(CollateralException.class,
            e -> assertThat(e.reason()).isEqualTo(CollateralException.Reason.MALFORMED));
  }
}
