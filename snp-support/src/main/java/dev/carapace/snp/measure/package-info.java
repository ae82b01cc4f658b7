/**
 * SEV-SNP launch digest calculation, compatible with virtee/sev-snp-measure: OVMF firmware
 * parsing ({@link dev.carapace.snp.measure.OvmfImage}), the QEMU kernel-hashes table
 * ({@link dev.carapace.snp.measure.SevHashesTable}), initial VMSA pages
 * ({@link dev.carapace.snp.measure.VmsaPage}), PAGE_INFO chaining
 * ({@link dev.carapace.snp.measure.LaunchDigest}) and the whole QEMU-style boot
 * ({@link dev.carapace.snp.measure.LaunchDigestCalculator}). Pure functions over byte values: no
 * file system, clock or global state.
 */
@NullMarked
package dev.carapace.snp.measure;

import org.jspecify.annotations.NullMarked;
