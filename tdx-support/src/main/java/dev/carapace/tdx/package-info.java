/**
 * Intel TDX evidence for Carapace: parse ({@code quote}), fetch collateral ({@code pcs}),
 * verify ({@code verify}), replay measurements ({@code eventlog}) and simulate a development TEE
 * ({@code simulate}). No network access, clock or randomness is used unless passed in.
 */
@NullMarked
package dev.carapace.tdx;

import org.jspecify.annotations.NullMarked;
