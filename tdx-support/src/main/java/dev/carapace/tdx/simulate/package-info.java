/**
 * A development TEE: a self-made PKI shaped like Intel's SGX/TDX provisioning hierarchy
 * ({@link dev.carapace.tdx.simulate.DevelopmentPki}) and a simulator that produces TDX v4 quotes
 * and matching signed collateral ({@link dev.carapace.tdx.simulate.TdxQuoteSimulator}).
 *
 * <p>Nothing here is trusted by default: {@code TrustAnchors.intel()} rejects every simulated
 * quote with {@code UNTRUSTED_ROOT}. A verifier accepts simulated quotes only when a caller builds
 * its anchors from {@link dev.carapace.tdx.simulate.DevelopmentPki#trustAnchors()} explicitly.
 * Randomness, time and the JCA provider are always passed in; no provider is ever registered
 * globally.
 */
@NullMarked
package dev.carapace.tdx.simulate;

import org.jspecify.annotations.NullMarked;
