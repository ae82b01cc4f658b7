/**
 * TD measurement arithmetic: MRTD as the TDX module accumulates it
 * ({@link dev.carapace.tdx.measure.MrTdCalculator}), the RTMR extend rule
 * ({@link dev.carapace.tdx.measure.Rtmr}) and the resulting register set
 * ({@link dev.carapace.tdx.measure.TdMeasurements}), which can be turned into a development quote
 * request. Pure computation: no JNA, file system, clock or global state.
 */
@NullMarked
package dev.carapace.tdx.measure;

import org.jspecify.annotations.NullMarked;
