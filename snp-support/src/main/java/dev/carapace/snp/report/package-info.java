/**
 * SEV-SNP ATTESTATION_REPORT values and the only code that knows their byte layout.
 */
@NullMarked
package dev.carapace.snp.report;

import org.jspecify.annotations.NullMarked;
