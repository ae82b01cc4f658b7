package dev.carapace.tdx.quote;

import dev.carapace.tdx.quote.QuoteParseException.Reason;
import java.util.List;

/** Parses and encodes {@link TdReport} (exactly 1024 bytes). Stateless and thread-safe. */
public final class TdReportCodec {
  private TdReportCodec() {}

  public static TdReport parse(byte[] raw) throws QuoteParseException {
    if (raw.length != TdReport.SIZE) {
      throw new QuoteParseException(
          raw.length < TdReport.SIZE ? Reason.TRUNCATED : Reason.OVERSIZED,
          "TDREPORT must be 1024 bytes, found " + raw.length);
    }
    LittleEndianReader r = new LittleEndianReader(raw, 0, raw.length);
    return new TdReport(
        r.bytes(4, "report type"), r.bytes(12, "reserved"), r.bytes(16, "cpusvn"),
        r.bytes(48, "tee_tcb_info_hash"), r.bytes(48, "tee_info_hash"),
        r.bytes(64, "report data"), r.bytes(32, "reserved"), r.bytes(32, "mac"),
        r.bytes(8, "valid"), r.bytes(16, "tee_tcb_svn"), r.bytes(48, "mr_seam"),
        r.bytes(48, "mr_signer_seam"), r.bytes(8, "attributes"), r.bytes(16, "tee_tcb_svn2"),
        r.bytes(95, "reserved"), r.bytes(17, "reserved"),
        r.bytes(8, "attributes"), r.bytes(8, "xfam"), r.bytes(48, "mrtd"),
        r.bytes(48, "mrconfigid"), r.bytes(48, "mrowner"), r.bytes(48, "mrownerconfig"),
        List.of(r.bytes(48, "rtmr0"), r.bytes(48, "rtmr1"), r.bytes(48, "rtmr2"),
            r.bytes(48, "rtmr3")),
        r.bytes(48, "servtd_hash"), r.bytes(64, "reserved"));
  }

  public static byte[] encode(TdReport t) {
    LittleEndianWriter w = new LittleEndianWriter(TdReport.SIZE);
    w.bytes(t.reportType()).bytes(t.macReserved1()).bytes(t.cpuSvn()).bytes(t.teeTcbInfoHash())
        .bytes(t.teeInfoHash()).bytes(t.reportData()).bytes(t.macReserved2()).bytes(t.mac())
        .bytes(t.teeTcbInfoValid()).bytes(t.teeTcbSvn()).bytes(t.mrSeam())
        .bytes(t.mrSignerSeam()).bytes(t.seamAttributes()).bytes(t.teeTcbSvn2())
        .bytes(t.teeTcbInfoReserved()).bytes(t.reserved())
        .bytes(t.tdAttributes()).bytes(t.xfam()).bytes(t.mrTd()).bytes(t.mrConfigId())
        .bytes(t.mrOwner()).bytes(t.mrOwnerConfig());
    t.rtmrs().forEach(w::bytes);
    w.bytes(t.servTdHash()).bytes(t.tdInfoReserved());
    return w.toByteArray();
  }
}
