/**
 * Verification of SEV-SNP reports: {@link dev.carapace.snp.verify.ReportVerifier} turns a parsed
 * report and its VCEK/VLEK into a {@link dev.carapace.snp.verify.VerifiedReport} (chain to a
 * {@link dev.carapace.snp.verify.TrustedRoots} ARK, TCB and chip binding, signature) or a
 * {@link dev.carapace.snp.verify.ReportVerificationException}; then
 * {@link dev.carapace.snp.verify.ReportValidator} applies
 * {@link dev.carapace.snp.verify.ValidationOptions} or throws a
 * {@link dev.carapace.snp.verify.ReportValidationException}. Each exception carries a reason.
 */
@NullMarked
package dev.carapace.snp.verify;

import org.jspecify.annotations.NullMarked;
