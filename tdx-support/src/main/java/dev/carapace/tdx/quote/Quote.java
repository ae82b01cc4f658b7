package dev.carapace.tdx.quote;

/**
 * A parsed, unverified TDX quote. Obtain one from {@link QuoteParser}; trust nothing in it until
 * {@code dev.carapace.tdx.verify.QuoteVerifier} returns a verified value.
 */
public sealed interface Quote permits QuoteV4, QuoteV5 {
  QuoteHeader header();

  TdQuoteBody body();

  QuoteSignatureData signatureData();
}
