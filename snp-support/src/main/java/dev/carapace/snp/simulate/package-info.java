/**
 * A development SEV-SNP platform: {@link dev.carapace.snp.simulate.SnpDevelopmentPki}, a
 * self-made ARK/ASK/ASVK hierarchy in AMD's certificate profile that issues VCEKs, VLEKs and CRLs,
 * and {@link dev.carapace.snp.simulate.SnpReportSimulator}, which signs ATTESTATION_REPORTs for a
 * {@link dev.carapace.snp.simulate.SimulatedChip}.
 *
 * <p>Nothing here is trusted by default: every development name carries a {@code dnQualifier}
 * that AMD's do not, so {@code TrustedRoots.amd()} rejects every simulated report with {@code
 * UNTRUSTED_ROOT}. A verifier accepts simulated reports only when a caller builds its roots from
 * {@link dev.carapace.snp.simulate.SnpDevelopmentPki#trustedRoots()} explicitly, and then reports
 * {@code amdRoot() == false}. Randomness, time and the JCA provider are always passed in; no
 * provider is ever registered globally.
 */
@NullMarked
package dev.carapace.snp.simulate;

import org.jspecify.annotations.NullMarked;
