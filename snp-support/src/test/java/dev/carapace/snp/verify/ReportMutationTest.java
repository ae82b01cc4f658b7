package dev.carapace.snp.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.ReportParseException;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.report.ReportVectors;
import dev.carapace.snp.report.ReportVectors.Vector;
import dev.carapace.snp.report.SigningKey;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Flips the top bit of every byte of every golden report and checks the failure is the one its
 * region calls for: a typed parse error for format fields and reserved ranges, the binding
 * checks for REPORTED_TCB / CHIP_ID / CPUID, and SIGNATURE_INVALID for the rest.
 */
class ReportMutationTest {
  private static final String SIG = "verify:SIGNATURE_INVALID";
  private static final String RESERVED = "parse:RESERVED_NOT_ZERO";

  static Stream<Vector> golden() {
    return ReportVectors.golden();
  }

  @ParameterizedTest
  @MethodSource("golden")
  void verifyWhenAnyByteOfGoldenReportFlippedThenFailsWithItsRegionsReason(Vector v)
      throws Exception {
    ReportVerifier verifier = ReportVerifierVectorsTest.verifierAt(v.time());
    X509Certificate cert = v.certificate();
    byte[] original = v.report();
    verifier.verify(ReportParser.parse(original), cert);
    List<String> wrong = new ArrayList<>();
    for (int off = 0; off < original.length; off++) {
      byte[] raw = original.clone();
      raw[off] ^= (byte) 0x80;
      String outcome = outcome(verifier, raw, cert);
      String expected = expected(v, off);
      if (!outcome.equals(expected)) {
        wrong.add(String.format("0x%03x: %s, expected %s", off, outcome, expected));
      }
    }
    assertThat(wrong).isEmpty();
  }

  private static String outcome(ReportVerifier verifier, byte[] raw, X509Certificate cert) {
    AttestationReport r;
    try {
      r = ReportParser.parse(raw);
    } catch (ReportParseException e) {
      return "parse:" + e.reason();
    }
    try {
      verifier.verify(r, cert);
      return "verified";
    } catch (ReportVerificationException e) {
      return "verify:" + e.reason();
    }
  }

  static String expected(Vector v, int off) {
    if (off < 0x04) {
      return "parse:UNSUPPORTED_VERSION";
    }
    if (off >= 0x08 && off < 0x10) {
      return off >= 0x0B ? "parse:INVALID_POLICY" : SIG; // bit 23 RAPL_DIS vs bits 31..63
    }
    if (off >= 0x30 && off < 0x34) {
      return "parse:INVALID_VMPL";
    }
    if (off >= 0x34 && off < 0x38) {
      return "parse:UNSUPPORTED_SIGNATURE_ALGORITHM";
    }
    if (off >= 0x48 && off < 0x4C) {
      return "parse:INVALID_SIGNER_INFO";
    }
    if (off >= 0x4C && off < 0x50) {
      return RESERVED;
    }
    if (off >= 0x180 && off < 0x188) {
      return "verify:TCB_MISMATCH";
    }
    if (off >= 0x188 && off < 0x18B) {
      if (v.version() < 3) {
        return RESERVED;
      }
      return off == 0x18A ? SIG : "parse:UNKNOWN_PRODUCT"; // family/model | 0x80: unknown
    }
    if (off >= 0x18B && off < 0x1A0) {
      return RESERVED;
    }
    if (off >= 0x1A0 && off < 0x1E0) {
      return v.signer() == SigningKey.VCEK ? "verify:CHIP_ID_MISMATCH" : SIG;
    }
    if (off == 0x1EB || off == 0x1EF) {
      return RESERVED;
    }
    if (off >= 0x1F8 && off < 0x208) {
      return v.version() >= 5 ? SIG : RESERVED;
    }
    if ((off >= 0x208 && off < 0x2A0) || off >= 0x330) {
      return RESERVED;
    }
    return SIG;
  }
}
