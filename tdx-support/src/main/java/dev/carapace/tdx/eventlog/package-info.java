/**
 * Confidential-computing event logs (the ACPI {@code CCEL} table and the TCG2 crypto-agile log it
 * points at) and RTMR replay. {@link dev.carapace.tdx.eventlog.CcelTable#parse} and
 * {@link dev.carapace.tdx.eventlog.EventLogParser#parse} turn bytes into values or throw
 * {@link dev.carapace.tdx.eventlog.EventLogParseException};
 * {@link dev.carapace.tdx.eventlog.RtmrReplayer} recomputes RTMR0..3 from a parsed log and
 * compares them with the registers reported in a quote. Nothing here verifies a quote: a log is
 * only as trustworthy as the (verified) RTMRs it replays to.
 */
@NullMarked
package dev.carapace.tdx.eventlog;

import org.jspecify.annotations.NullMarked;
