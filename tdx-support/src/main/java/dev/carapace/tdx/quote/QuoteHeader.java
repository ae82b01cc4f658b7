package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;

/**
 * The 48-byte quote header (identical in v4 and v5).
 *
 * @param version 4 or 5
 * @param attestationKeyType 2 = ECDSA-256-with-P-256
 * @param teeType 0x81 for TDX
 * @param qeSvn u16 at offset 8 (Intel QVL's name; zero in TDX quotes seen in the field)
 * @param pceSvn u16 at offset 10 (Intel QVL's name; zero in TDX quotes seen in the field)
 * @param qeVendorId 16 bytes; Intel's is {@link #INTEL_QE_VENDOR_ID}
 * @param userData 20 bytes defined by the quoting enclave
 */
public record QuoteHeader(
    int version,
    int attestationKeyType,
    long teeType,
    int qeSvn,
    int pceSvn,
    Bytes qeVendorId,
    Bytes userData) {

  public static final int SIZE = 48;
  public static final int ATTESTATION_KEY_TYPE_ECDSA_P256 = 2;
  public static final long TEE_TYPE_TDX = 0x81;
  public static final Bytes INTEL_QE_VENDOR_ID = Bytes.fromHex("939a7233f79c4ca9940a0db3957f0607");

  public QuoteHeader {
    Fields.u16(version, "version");
    Fields.u16(attestationKeyType, "attestationKeyType");
    Fields.u32(teeType, "teeType");
    Fields.u16(qeSvn, "qeSvn");
    Fields.u16(pceSvn, "pceSvn");
    Bytes.requireSize(qeVendorId, 16, "qeVendorId");
    Bytes.requireSize(userData, 20, "userData");
  }
}
