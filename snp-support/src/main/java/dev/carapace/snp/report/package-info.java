/**
 * SEV-SNP ATTESTATION_REPORT values and the only code that knows their byte layout
 * ({@link dev.carapace.snp.report.ReportParser}, {@link dev.carapace.snp.report.ReportEncoder}).
 * Parsing never verifies anything; see {@code dev.carapace.snp.verify}.
 */
@NullMarked
package dev.carapace.snp.report;

import org.jspecify.annotations.NullMarked;
