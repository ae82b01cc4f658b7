package dev.carapace.tdx.verify;

import dev.carapace.tdx.pcs.PckCa;
import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.quote.Quote;
import java.time.Instant;
import java.util.Objects;

/**
 * A quote whose PCK chain (to a trust anchor, valid at {@link #checkedAt()}), QE report signature,
 * QE report-data binding and quote signature verify. This is <em>not</em> full verification: no
 * CRL, TCB Info or QE Identity was consulted, so the platform may be revoked or out of date. Use
 * it where collateral is unavailable by design (offline inspection); use {@link VerifiedQuote}
 * for decisions. Only {@link QuoteVerifier} creates instances. Immutable.
 */
public final class VerifiedSignatures {
  private final Quote quote;
  private final PckChain chain;
  private final Instant checkedAt;

  VerifiedSignatures(Quote quote, PckChain chain, Instant checkedAt) {
    this.quote = Objects.requireNonNull(quote, "quote");
    this.chain = Objects.requireNonNull(chain, "chain");
    this.checkedAt = Objects.requireNonNull(checkedAt, "checkedAt");
  }

  public Quote quote() {
    return quote;
  }

  public PckCertExtensions pckExtensions() {
    return chain.extensions();
  }

  public PckCa pckCa() {
    return chain.ca();
  }

  public Instant checkedAt() {
    return checkedAt;
  }

  PckChain chain() {
    return chain;
  }
}
