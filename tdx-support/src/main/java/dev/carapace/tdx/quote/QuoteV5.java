package dev.carapace.tdx.quote;

import java.util.Objects;

/**
 * A version 5 quote: header, body descriptor (type 2 = TDX 1.0, 3 = TDX 1.5), body, signature data.
 */
public record QuoteV5(
    QuoteHeader header, int bodyType, TdQuoteBody body, QuoteSignatureData signatureData)
    implements Quote {
  public static final int BODY_TYPE_TDX10 = 2;
  public static final int BODY_TYPE_TDX15 = 3;

  public QuoteV5 {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(signatureData, "signatureData");
    if (header.version() != 5) {
      throw new IllegalArgumentException("QuoteV5 needs header version 5, got " + header.version());
    }
    int expected = body.isTdx15() ? BODY_TYPE_TDX15 : BODY_TYPE_TDX10;
    if (bodyType != expected) {
      throw new IllegalArgumentException("body type " + bodyType + " does not match the body");
    }
  }
}
