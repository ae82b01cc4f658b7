/**
 * Attesters: produce the evidence document CoCo's attesters send as {@code primary_evidence} for
 * given report data. Hardware attesters ({@link dev.carapace.guest.attester.TdxAttester},
 * {@link dev.carapace.guest.attester.SnpAttester}) go through Linux configfs-tsm
 * ({@link dev.carapace.guest.attester.ConfigFsTsm}); development attesters sign with the
 * tdx-support and snp-support simulators; {@link dev.carapace.guest.attester.SampleAttester} is
 * Trustee's unsigned {@code sample} TEE.
 */
@NullMarked
package dev.carapace.guest.attester;

import org.jspecify.annotations.NullMarked;
