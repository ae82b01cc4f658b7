package dev.carapace.tdx.verify;

import dev.carapace.tdx.pcs.PckCertExtensions;
import dev.carapace.tdx.pcs.TcbStatus;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteHeader;
import dev.carapace.tdx.quote.TdQuoteBody;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A TDX quote that passed full DCAP verification at {@link #verifiedAt()}: its PCK chain leads to
 * a trust anchor and is not revoked, the QE report and quote signatures verify, and its TCB was
 * matched against signed, current TCB Info and QE Identity. Whether the {@link #tcbStatus()} is
 * acceptable is a policy decision left to the caller. Only {@link QuoteVerifier} creates
 * instances. Immutable.
 */
public final class VerifiedQuote {
  private final Quote quote;
  private final PckCertExtensions pck;
  private final TcbEvaluation tcb;
  private final Instant collateralExpiry;
  private final Instant verifiedAt;

  VerifiedQuote(Quote quote, PckCertExtensions pck, TcbEvaluation tcb, Instant collateralExpiry,
      Instant verifiedAt) {
    this.quote = Objects.requireNonNull(quote, "quote");
    this.pck = Objects.requireNonNull(pck, "pck");
    this.tcb = Objects.requireNonNull(tcb, "tcb");
    this.collateralExpiry = Objects.requireNonNull(collateralExpiry, "collateralExpiry");
    this.verifiedAt = Objects.requireNonNull(verifiedAt, "verifiedAt");
  }

  public Quote quote() {
    return quote;
  }

  public QuoteHeader header() {
    return quote.header();
  }

  public TdQuoteBody body() {
    return quote.body();
  }

  /** SGX extension of the PCK certificate (FMSPC, PCESVN, CPUSVN, ...). */
  public PckCertExtensions pckExtensions() {
    return pck;
  }

  public TcbEvaluation tcb() {
    return tcb;
  }

  public TcbStatus tcbStatus() {
    return tcb.status();
  }

  public List<String> advisoryIds() {
    return tcb.advisoryIds();
  }

  /** Earliest nextUpdate / notAfter of the collateral used: re-verify before this instant. */
  public Instant collateralExpiry() {
    return collateralExpiry;
  }

  public Instant verifiedAt() {
    return verifiedAt;
  }

  @Override
  public String toString() {
    return "VerifiedQuote[version=" + quote.header().version() + ", tcbStatus="
        + tcb.status().jsonName() + ", fmspc=" + pck.fmspc() + ", verifiedAt=" + verifiedAt + "]";
  }
}
