package dev.carapace.tdx.quote;

/**
 * Encodes quotes to their wire form; the inverse of {@link QuoteParser} (byte for byte).
 * Stateless and thread-safe.
 */
public final class QuoteEncoder {
  private QuoteEncoder() {}

  /** The whole quote: header, body, signature-data length and signature data. */
  public static byte[] encode(Quote quote) {
    LittleEndianWriter w = new LittleEndianWriter(encodedSize(quote));
    writeSignedRegion(w, quote);
    QuoteSignatureData s = quote.signatureData();
    w.u32(s.encodedSize());
    w.bytes(s.quoteSignature()).bytes(s.attestationKey());
    QeReportCertificationData c = s.certification();
    w.u16(CertificationData.TYPE_QE_REPORT).u32(c.encodedSize());
    writeEnclaveReport(w, c.qeReport());
    w.bytes(c.qeReportSignature());
    w.u16(c.qeAuthData().size()).bytes(c.qeAuthData());
    CertificationData inner = c.pckCertificationData();
    w.u16(inner.type()).u32(inner.data().size()).bytes(inner.data());
    return w.toByteArray();
  }

  /** The bytes the attestation key signs: header and body (with the v5 body descriptor). */
  public static byte[] signedRegion(Quote quote) {
    LittleEndianWriter w = new LittleEndianWriter(signedRegionSize(quote));
    writeSignedRegion(w, quote);
    return w.toByteArray();
  }

  public static int signedRegionSize(Quote quote) {
    int descriptor = quote instanceof QuoteV5 ? QuoteParser.V5_BODY_DESCRIPTOR_SIZE : 0;
    return QuoteHeader.SIZE + descriptor + quote.body().encodedSize();
  }

  public static int encodedSize(Quote quote) {
    return signedRegionSize(quote) + 4 + quote.signatureData().encodedSize();
  }

  /** The 384-byte encoding of an enclave report body (the bytes the PCK key signs). */
  public static byte[] encodeEnclaveReport(EnclaveReportBody report) {
    LittleEndianWriter w = new LittleEndianWriter(EnclaveReportBody.SIZE);
    writeEnclaveReport(w, report);
    return w.toByteArray();
  }

  private static void writeSignedRegion(LittleEndianWriter w, Quote quote) {
    QuoteHeader h = quote.header();
    w.u16(h.version()).u16(h.attestationKeyType()).u32(h.teeType()).u16(h.qeSvn())
        .u16(h.pceSvn()).bytes(h.qeVendorId()).bytes(h.userData());
    if (quote instanceof QuoteV5 v5) {
      w.u16(v5.bodyType()).u32(v5.body().encodedSize());
    }
    TdQuoteBody b = quote.body();
    w.bytes(b.teeTcbSvn()).bytes(b.mrSeam()).bytes(b.mrSignerSeam()).bytes(b.seamAttributes())
        .bytes(b.tdAttributes()).bytes(b.xfam()).bytes(b.mrTd()).bytes(b.mrConfigId())
        .bytes(b.mrOwner()).bytes(b.mrOwnerConfig());
    for (int i = 0; i < 4; i++) {
      w.bytes(b.rtmr(i));
    }
    w.bytes(b.reportData());
    if (b.isTdx15()) {
      b.teeTcbSvn2Value().ifPresent(w::bytes);
      b.mrServiceTdValue().ifPresent(w::bytes);
    }
  }

  static void writeEnclaveReport(LittleEndianWriter w, EnclaveReportBody e) {
    w.bytes(e.cpuSvn()).u32(e.miscSelect()).bytes(e.reserved1()).bytes(e.attributes())
        .bytes(e.mrEnclave()).bytes(e.reserved2()).bytes(e.mrSigner()).bytes(e.reserved3())
        .u16(e.isvProdId()).u16(e.isvSvn()).bytes(e.reserved4()).bytes(e.reportData());
  }
}
