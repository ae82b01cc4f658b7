package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;

/**
 * An SGX enclave report body (384 bytes); in a TDX quote, the report of the TD quoting enclave.
 * Reserved fields are kept so that encoding round-trips byte for byte.
 */
public record EnclaveReportBody(
    Bytes cpuSvn,
    long miscSelect,
    Bytes reserved1,
    Bytes attributes,
    Bytes mrEnclave,
    Bytes reserved2,
    Bytes mrSigner,
    Bytes reserved3,
    int isvProdId,
    int isvSvn,
    Bytes reserved4,
    Bytes reportData) {

  public static final int SIZE = 384;

  public EnclaveReportBody {
    Bytes.requireSize(cpuSvn, 16, "cpuSvn");
    Fields.u32(miscSelect, "miscSelect");
    Bytes.requireSize(reserved1, 28, "reserved1");
    Bytes.requireSize(attributes, 16, "attributes");
    Bytes.requireSize(mrEnclave, 32, "mrEnclave");
    Bytes.requireSize(reserved2, 32, "reserved2");
    Bytes.requireSize(mrSigner, 32, "mrSigner");
    Bytes.requireSize(reserved3, 96, "reserved3");
    Fields.u16(isvProdId, "isvProdId");
    Fields.u16(isvSvn, "isvSvn");
    Bytes.requireSize(reserved4, 60, "reserved4");
    Bytes.requireSize(reportData, 64, "reportData");
  }
}
