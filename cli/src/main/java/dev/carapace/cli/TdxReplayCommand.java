package dev.carapace.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.carapace.tdx.eventlog.CcEvent;
import dev.carapace.tdx.eventlog.DigestAlgorithm;
import dev.carapace.tdx.eventlog.EventLog;
import dev.carapace.tdx.eventlog.EventLogParseException;
import dev.carapace.tdx.eventlog.EventLogParser;
import dev.carapace.tdx.eventlog.EventLogReplayException;
import dev.carapace.tdx.eventlog.ReplayedRtmr;
import dev.carapace.tdx.eventlog.RtmrComparison;
import dev.carapace.tdx.eventlog.RtmrMismatch;
import dev.carapace.tdx.eventlog.RtmrReplay;
import dev.carapace.tdx.eventlog.RtmrReplayer;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParseException;
import dev.carapace.tdx.quote.QuoteParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code carapace tdx replay}: replays a CCEL event log into RTMR values. */
@Command(
    name = "replay",
    mixinStandardHelpOptions = true,
    description = {
        "Replay a CC event log (the CCEL data of a TD, TCG2 crypto-agile format) into RTMR0-3 "
            + "and list the events that make up each register.",
        "With --quote, compare the replayed values with the quote's RTMRs. The quote itself is "
            + "not verified here; use `carapace tdx verify` for that."},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
        "0:replayed (and, with --quote, every RTMR matches)",
        "1:malformed log or quote, or an RTMR differs from the quote",
        "2:usage error",
        "3:a file could not be read"})
final class TdxReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "EVENTLOG", description = "CCEL event log file.")
  Path eventLog;

  @Option(names = "--quote", paramLabel = "QUOTE", description = "Compare with this quote's RTMRs.")
  Path quoteFile;

  @Option(names = "--json", description = "Print one JSON object instead of text.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    byte[] raw;
    byte[] quoteRaw = null;
    try {
      raw = Files.readAllBytes(eventLog);
      if (quoteFile != null) {
        quoteRaw = Files.readAllBytes(quoteFile);
      }
    } catch (IOException e) {
      err.println("carapace tdx replay: cannot read " + e.getMessage());
      return Carapace.IO_ERROR;
    }
    ObjectNode result = Json.object();
    result.put("file", eventLog.toString());
    RtmrReplay replay;
    EventLog log;
    try {
      log = EventLogParser.parse(raw);
      replay = RtmrReplayer.replay(log);
    } catch (EventLogParseException | EventLogReplayException e) {
      Json.putError(result, reasonOf(e), e.getMessage());
      print(out, result, "REJECTED (" + reasonOf(e) + "): " + e.getMessage());
      return Carapace.REJECTED;
    }
    result.put("events", log.events().size());
    result.put("end_offset", log.endOffset());
    ArrayNode rtmrs = result.putArray("rtmrs");
    for (ReplayedRtmr r : replay.rtmrs()) {
      ObjectNode n = rtmrs.addObject();
      n.put("index", r.index());
      n.put("value", r.value().toHex());
      ArrayNode events = n.putArray("events");
      for (CcEvent e : r.events()) {
        ObjectNode ev = events.addObject();
        ev.put("sequence", e.sequenceNumber());
        ev.put("type", e.type().name());
        ev.put("sha384", e.digest(DigestAlgorithm.SHA384).map(Object::toString).orElse(""));
        ev.put("data_size", e.data().size());
      }
    }
    if (!json) {
      out.printf("event log: %d events, log ends at byte %d%n", log.events().size(),
          log.endOffset());
      for (ReplayedRtmr r : replay.rtmrs()) {
        out.printf("RTMR%d %s  (%d events)%n", r.index(), r.value().toHex(), r.events().size());
        for (CcEvent e : r.events()) {
          out.printf("    #%-3d %-34s %s%n", e.sequenceNumber(), e.type().name(),
              e.digest(DigestAlgorithm.SHA384).map(d -> d.toHex().substring(0, 16) + "...")
                  .orElse("-"));
        }
      }
    }
    if (quoteRaw == null) {
      print(out, result, "REPLAYED");
      return Carapace.OK;
    }
    Quote quote;
    try {
      quote = QuoteParser.parse(quoteRaw);
    } catch (QuoteParseException e) {
      Json.putError(result, e.reason().name(), "malformed quote: " + e.getMessage());
      print(out, result, "REJECTED (" + e.reason() + "): malformed quote: " + e.getMessage());
      return Carapace.REJECTED;
    }
    RtmrComparison cmp = replay.compare(quote.body().rtmrs());
    result.put("matches_quote", cmp.matches());
    ArrayNode mismatches = result.putArray("mismatches");
    for (RtmrMismatch m : cmp.mismatches()) {
      ObjectNode n = mismatches.addObject();
      n.put("index", m.index());
      n.put("quote", m.expected().toHex());
      n.put("replayed", m.replayed().toHex());
    }
    if (cmp.matches()) {
      print(out, result, "MATCH: the event log reproduces RTMR0-3 of the quote");
      return Carapace.OK;
    }
    StringBuilder sb = new StringBuilder("MISMATCH:");
    cmp.mismatches().forEach(m -> sb.append(' ').append(m));
    print(out, result, sb.toString());
    return Carapace.REJECTED;
  }

  private static String reasonOf(Exception e) {
    if (e instanceof EventLogParseException p) {
      return p.reason().name();
    }
    return e instanceof EventLogReplayException r ? r.reason().name() : "MALFORMED";
  }

  private void print(PrintWriter out, ObjectNode result, String line) {
    out.println(json ? Json.pretty(result) : "result: " + line);
    out.flush();
  }
}
