/**
 * DCAP verification of TDX quotes: {@link dev.carapace.tdx.verify.QuoteVerifier} turns a parsed
 * quote plus collateral into a {@link dev.carapace.tdx.verify.VerifiedQuote} or a
 * {@link dev.carapace.tdx.verify.QuoteVerificationException} with a reason.
 */
@NullMarked
package dev.carapace.tdx.verify;

import org.jspecify.annotations.NullMarked;
