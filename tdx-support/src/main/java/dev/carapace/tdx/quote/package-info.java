/**
 * TDX quote v4/v5 and TDREPORT values, and the only code that knows their byte layout
 * ({@link dev.carapace.tdx.quote.QuoteParser}, {@link dev.carapace.tdx.quote.QuoteEncoder},
 * {@link dev.carapace.tdx.quote.TdReportCodec}). Parsing never verifies anything; see
 * {@code dev.carapace.tdx.verify}.
 */
@NullMarked
package dev.carapace.tdx.quote;

import org.jspecify.annotations.NullMarked;
