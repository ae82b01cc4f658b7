package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;
import java.util.List;

/**
 * TDREPORT_STRUCT (1024 bytes): what TDG.MR.REPORT returns inside a TD and what the quoting
 * enclave turns into a quote. Three parts: REPORTMACSTRUCT (256), TEE_TCB_INFO (239 + 17
 * reserved), TDINFO (512). Reserved bytes are kept so encoding round-trips.
 */
public record TdReport(
    // REPORTMACSTRUCT
    Bytes reportType,
    Bytes macReserved1,
    Bytes cpuSvn,
    Bytes teeTcbInfoHash,
    Bytes teeInfoHash,
    Bytes reportData,
    Bytes macReserved2,
    Bytes mac,
    // TEE_TCB_INFO
    Bytes teeTcbInfoValid,
    Bytes teeTcbSvn,
    Bytes mrSeam,
    Bytes mrSignerSeam,
    Bytes seamAttributes,
    Bytes teeTcbSvn2,
    Bytes teeTcbInfoReserved,
    Bytes reserved,
    // TDINFO
    Bytes tdAttributes,
    Bytes xfam,
    Bytes mrTd,
    Bytes mrConfigId,
    Bytes mrOwner,
    Bytes mrOwnerConfig,
    List<Bytes> rtmrs,
    Bytes servTdHash,
    Bytes tdInfoReserved) {

  public static final int SIZE = 1024;

  public TdReport {
    Fields.exactly(reportType, 4, "reportType");
    Fields.exactly(macReserved1, 12, "macReserved1");
    Fields.exactly(cpuSvn, 16, "cpuSvn");
    Fields.exactly(teeTcbInfoHash, 48, "teeTcbInfoHash");
    Fields.exactly(teeInfoHash, 48, "teeInfoHash");
    Fields.exactly(reportData, 64, "reportData");
    Fields.exactly(macReserved2, 32, "macReserved2");
    Fields.exactly(mac, 32, "mac");
    Fields.exactly(teeTcbInfoValid, 8, "teeTcbInfoValid");
    Fields.exactly(teeTcbSvn, 16, "teeTcbSvn");
    Fields.exactly(mrSeam, 48, "mrSeam");
    Fields.exactly(mrSignerSeam, 48, "mrSignerSeam");
    Fields.exactly(seamAttributes, 8, "seamAttributes");
    Fields.exactly(teeTcbSvn2, 16, "teeTcbSvn2");
    Fields.exactly(teeTcbInfoReserved, 95, "teeTcbInfoReserved");
    Fields.exactly(reserved, 17, "reserved");
    Fields.exactly(tdAttributes, 8, "tdAttributes");
    Fields.exactly(xfam, 8, "xfam");
    Fields.exactly(mrTd, 48, "mrTd");
    Fields.exactly(mrConfigId, 48, "mrConfigId");
    Fields.exactly(mrOwner, 48, "mrOwner");
    Fields.exactly(mrOwnerConfig, 48, "mrOwnerConfig");
    rtmrs = List.copyOf(rtmrs);
    if (rtmrs.size() != 4) {
      throw new IllegalArgumentException("rtmrs must hold 4 registers, got " + rtmrs.size());
    }
    rtmrs.forEach(r -> Fields.exactly(r, 48, "rtmr"));
    Fields.exactly(servTdHash, 48, "servTdHash");
    Fields.exactly(tdInfoReserved, 64, "tdInfoReserved");
  }

  /** The TD attributes as the little-endian u64 the TDX module defines. */
  public TdAttributes attributes() {
    return new TdAttributes(Fields.le64(tdAttributes));
  }
}
