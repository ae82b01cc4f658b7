package dev.carapace.tdx.quote;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.quote.QuoteParseException.Reason;
import java.util.List;

/**
 * Parses TDX quotes (v4 and v5) from bytes. Fields are read by their length prefixes; bytes after
 * the signature data are ignored (real quotes arrive in padded buffers).
 *
 * <p>Guarantee: for any input, {@link #parse} either returns a quote or throws
 * {@link QuoteParseException}; it never throws an unchecked exception. Stateless and thread-safe.
 */
public final class QuoteParser {
  /** Upper bound on signature data; real quotes carry about 4.3 KB. */
  public static final int MAX_SIGNATURE_DATA_SIZE = 64 * 1024;

  static final int V5_BODY_DESCRIPTOR_SIZE = 6;

  private QuoteParser() {}

  public static Quote parse(byte[] raw) throws QuoteParseException {
    LittleEndianReader r = new LittleEndianReader(raw, 0, raw.length);
    QuoteHeader header = parseHeader(r);
    if (header.version() == 4) {
      TdQuoteBody body = parseBody(r, false);
      return new QuoteV4(header, body, parseSignatureData(r));
    }
    int bodyType = r.u16("body type");
    long bodySize = r.u32("body size");
    boolean tdx15;
    if (bodyType == QuoteV5.BODY_TYPE_TDX10 && bodySize == TdQuoteBody.SIZE_TDX10) {
      tdx15 = false;
    } else if (bodyType == QuoteV5.BODY_TYPE_TDX15 && bodySize == TdQuoteBody.SIZE_TDX15) {
      tdx15 = true;
    } else {
      throw new QuoteParseException(
          Reason.UNSUPPORTED_BODY_TYPE,
          "v5 body descriptor must be (2, 584) or (3, 648), found (" + bodyType + ", " + bodySize
              + ")");
    }
    TdQuoteBody body = parseBody(r, tdx15);
    return new QuoteV5(header, bodyType, body, parseSignatureData(r));
  }

  private static QuoteHeader parseHeader(LittleEndianReader r) throws QuoteParseException {
    int version = r.u16("version");
    if (version != 4 && version != 5) {
      throw new QuoteParseException(
          Reason.UNSUPPORTED_VERSION, "quote version must be 4 or 5, found " + version);
    }
    int keyType = r.u16("attestation key type");
    if (keyType != QuoteHeader.ATTESTATION_KEY_TYPE_ECDSA_P256) {
      throw new QuoteParseException(
          Reason.UNSUPPORTED_ATTESTATION_KEY_TYPE,
          "attestation key type must be 2 (ECDSA-256-with-P-256), found " + keyType);
    }
    long teeType = r.u32("tee type");
    if (teeType != QuoteHeader.TEE_TYPE_TDX) {
      throw new QuoteParseException(
          Reason.UNSUPPORTED_TEE_TYPE,
          "TEE type must be 0x81 (TDX), found 0x" + Long.toHexString(teeType));
    }
    int qeSvn = r.u16("qe svn");
    int pceSvn = r.u16("pce svn");
    Bytes vendor = r.bytes(16, "qe vendor id");
    Bytes userData = r.bytes(20, "user data");
    return new QuoteHeader(version, keyType, teeType, qeSvn, pceSvn, vendor, userData);
  }

  private static TdQuoteBody parseBody(LittleEndianReader r, boolean tdx15)
      throws QuoteParseException {
    Bytes teeTcbSvn = r.bytes(16, "tee_tcb_svn");
    Bytes mrSeam = r.bytes(48, "mr_seam");
    Bytes mrSignerSeam = r.bytes(48, "mr_signer_seam");
    Bytes seamAttributes = r.bytes(8, "seam_attributes");
    Bytes tdAttributes = r.bytes(8, "td_attributes");
    Bytes xfam = r.bytes(8, "xfam");
    Bytes mrTd = r.bytes(48, "mr_td");
    Bytes mrConfigId = r.bytes(48, "mr_config_id");
    Bytes mrOwner = r.bytes(48, "mr_owner");
    Bytes mrOwnerConfig = r.bytes(48, "mr_owner_config");
    List<Bytes> rtmrs =
        List.of(r.bytes(48, "rtmr0"), r.bytes(48, "rtmr1"), r.bytes(48, "rtmr2"),
            r.bytes(48, "rtmr3"));
    Bytes reportData = r.bytes(64, "report_data");
    Bytes teeTcbSvn2 = tdx15 ? r.bytes(16, "tee_tcb_svn2") : null;
    Bytes mrServiceTd = tdx15 ? r.bytes(48, "mr_servicetd") : null;
    return new TdQuoteBody(teeTcbSvn, mrSeam, mrSignerSeam, seamAttributes, tdAttributes, xfam,
        mrTd, mrConfigId, mrOwner, mrOwnerConfig, rtmrs, reportData, teeTcbSvn2, mrServiceTd);
  }

  private static QuoteSignatureData parseSignatureData(LittleEndianReader r)
      throws QuoteParseException {
    long sigDataLen = r.u32("signature data length");
    if (sigDataLen > MAX_SIGNATURE_DATA_SIZE) {
      throw new QuoteParseException(
          Reason.OVERSIZED,
          "signature data length " + sigDataLen + " exceeds " + MAX_SIGNATURE_DATA_SIZE);
    }
    Bytes signature = r.bytes(64, "quote signature");
    Bytes attestationKey = r.bytes(64, "attestation key");
    int certType = r.u16("certification data type");
    long certSize = r.u32("certification data size");
    if (certSize != sigDataLen - 134) {
      throw new QuoteParseException(
          Reason.SIZE_MISMATCH,
          "certification data size is " + certSize + ", signature data length " + sigDataLen
              + " implies " + (sigDataLen - 134));
    }
    if (certType != CertificationData.TYPE_QE_REPORT) {
      throw new QuoteParseException(
          Reason.UNSUPPORTED_CERTIFICATION_DATA_TYPE,
          "certification data type must be 6 (QE report), found " + certType);
    }
    int start = r.position();
    EnclaveReportBody qeReport = parseEnclaveReport(r);
    Bytes qeReportSignature = r.bytes(64, "QE report signature");
    int authSize = r.u16("QE auth data size");
    Bytes authData = r.bytes(authSize, "QE auth data");
    int innerType = r.u16("PCK certification data type");
    long innerSize = r.u32("PCK certification data size");
    if (innerType != CertificationData.TYPE_PCK_CERT_CHAIN) {
      throw new QuoteParseException(
          Reason.UNSUPPORTED_CERTIFICATION_DATA_TYPE,
          "QE certification data type must be 5 (PCK chain), found " + innerType);
    }
    long consumed = r.position() - start;
    if (consumed + innerSize != certSize) {
      throw new QuoteParseException(
          Reason.SIZE_MISMATCH,
          "PCK chain size " + innerSize + " does not fill the certification data (" + certSize
              + " bytes, " + consumed + " used before the chain)");
    }
    Bytes chain = r.bytes((int) innerSize, "PCK certificate chain");
    return new QuoteSignatureData(signature, attestationKey,
        new QeReportCertificationData(qeReport, qeReportSignature, authData,
            new CertificationData(innerType, chain)));
  }

  static EnclaveReportBody parseEnclaveReport(LittleEndianReader r) throws QuoteParseException {
    return new EnclaveReportBody(
        r.bytes(16, "cpusvn"),
        r.u32("miscselect"),
        r.bytes(28, "reserved"),
        r.bytes(16, "attributes"),
        r.bytes(32, "mrenclave"),
        r.bytes(32, "reserved"),
        r.bytes(32, "mrsigner"),
        r.bytes(96, "reserved"),
        r.u16("isvprodid"),
        r.u16("isvsvn"),
        r.bytes(60, "reserved"),
        r.bytes(64, "report data"));
  }

  /** Parses a bare 384-byte enclave report body (for example a QE report on its own). */
  public static EnclaveReportBody parseEnclaveReport(byte[] raw) throws QuoteParseException {
    if (raw.length != EnclaveReportBody.SIZE) {
      throw new QuoteParseException(
          Reason.SIZE_MISMATCH, "enclave report must be 384 bytes, found " + raw.length);
    }
    return parseEnclaveReport(new LittleEndianReader(raw, 0, raw.length));
  }
}
