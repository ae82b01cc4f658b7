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
    Bytes.requireSize(reportType, 4, "reportType");
    Bytes.requireSize(macReserved1, 12, "macReserved1");
    Bytes.requireSize(cpuSvn, 16, "cpuSvn");
    Bytes.requireSize(teeTcbInfoHash, 48, "teeTcbInfoHash");
    Bytes.requireSize(teeInfoHash, 48, "teeInfoHash");
    Bytes.requireSize(reportData, 64, "reportData");
    Bytes.requireSize(macReserved2, 32, "macReserved2");
    Bytes.requireSize(mac, 32, "mac");
    Bytes.requireSize(teeTcbInfoValid, 8, "teeTcbInfoValid");
    Bytes.requireSize(teeTcbSvn, 16, "teeTcbSvn");
    Bytes.requireSize(mrSeam, 48, "mrSeam");
    Bytes.requireSize(mrSignerSeam, 48, "mrSignerSeam");
    Bytes.requireSize(seamAttributes, 8, "seamAttributes");
    Bytes.requireSize(teeTcbSvn2, 16, "teeTcbSvn2");
    Bytes.requireSize(teeTcbInfoReserved, 95, "teeTcbInfoReserved");
    Bytes.requireSize(reserved, 17, "reserved");
    Bytes.requireSize(tdAttributes, 8, "tdAttributes");
    Bytes.requireSize(xfam, 8, "xfam");
    Bytes.requireSize(mrTd, 48, "mrTd");
    Bytes.requireSize(mrConfigId, 48, "mrConfigId");
    Bytes.requireSize(mrOwner, 48, "mrOwner");
    Bytes.requireSize(mrOwnerConfig, 48, "mrOwnerConfig");
    rtmrs = List.copyOf(rtmrs);
    if (rtmrs.size() != 4) {
      throw new IllegalArgumentException("rtmrs must hold 4 registers, got " + rtmrs.size());
    }
    rtmrs.forEach(r -> Bytes.requireSize(r, 48, "rtmr"));
    Bytes.requireSize(servTdHash, 48, "servTdHash");
    Bytes.requireSize(tdInfoReserved, 64, "tdInfoReserved");
  }

  /** The TD attributes as the little-endian u64 the TDX module defines. */
  public TdAttributes attributes() {
    return new TdAttributes(Fields.le64(tdAttributes));
  }
}
