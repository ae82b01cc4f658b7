package dev.carapace.tdx.quote;

import java.util.Objects;

/** A version 4 quote: header, TDX 1.0 body, signature data. */
public record QuoteV4(QuoteHeader header, TdQuoteBody body, QuoteSignatureData signatureData)
    implements Quote {
  public QuoteV4 {
    Objects.requireNonNull(header, "header");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(signatureData, "signatureData");
    if (header.version() != 4) {
      throw new IllegalArgumentException("QuoteV4 needs header version 4, got " + header.version());
    }
    if (body.isTdx15()) {
      throw new IllegalArgumentException("a v4 quote carries a TDX 1.0 body");
    }
  }
}
