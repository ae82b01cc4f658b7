package dev.carapace.tdx.verify;

import static org.assertj.core.api.Assertions.assertThat;

import dev.carapace.tdx.Vectors;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.TcbStatus;
import dev.carapace.tdx.quote.EnclaveReportBody;
import dev.carapace.tdx.quote.QeReportCertificationData;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteEncoder;
import dev.carapace.tdx.quote.QuoteHeader;
import dev.carapace.tdx.quote.QuoteParseException;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.quote.QuoteV4;
import dev.carapace.tdx.quote.QuoteV5;
import dev.carapace.tdx.quote.TdQuoteBody;
import dev.carapace.tdx.verify.QuoteVerificationException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Byte-mutation sweep over golden quotes: every byte of the header, the body and the signature
 * data (outside the PEM chain) is flipped two ways (XOR 0x01 and XOR 0xFF), and every mutated
 * quote must be rejected with the reason that belongs to the region the byte is in. The PEM chain
 * is swept with base64 character substitutions (with a stride) and must always be rejected by
 * the chain, certificate or QE report checks. Nothing may be accepted; no unchecked exception may
 * escape the parser or the verifier.
 *
 * <p>Subjects: the dcap-qvl v4 quote, fully verified with its collateral at the end of the
 * collateral's window (UpToDate before mutation), and the go-tdx-guest v4 quote, signatures only
 * (go-tdx-guest's collateral matches no TCB level of it).
 *
 * <p>Region offsets are derived from the parsed quote; only the header's field layout (Intel
 * DCAP, fixed) is spelled out.
 */
class QuoteMutationTest {
  private static final int[] XOR_MASKS = {0x01, 0xff};
  private static final String BASE64 =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  /**
   * Every PEM_STRIDE-th base64 character of the chain is substituted: about 1700 of the 3500 per
   * quote, 1-3 s per quote. 1 sweeps them all in about twice the time.
   */
  private static final int PEM_STRIDE = 2;

  private static final Set<Reason> PEM_REASONS = EnumSet.of(Reason.PCK_CHAIN_MALFORMED,
      Reason.CERTIFICATE_SIGNATURE_INVALID, Reason.UNTRUSTED_ROOT,
      Reason.PCK_EXTENSIONS_MALFORMED, Reason.QE_REPORT_SIGNATURE_INVALID);

  /** How a mutated quote fared: parse error, verification error, or accepted (both null). */
  record Outcome(QuoteParseException.Reason parse, Reason verify) {
    static final Outcome ACCEPTED = new Outcome(null, null);

    static Outcome parse(QuoteParseException.Reason r) {
      return new Outcome(r, null);
    }

    static Outcome verify(Reason r) {
      return new Outcome(null, r);
    }

    @Override
    public String toString() {
      return parse != null ? "parse " + parse : verify != null ? "verify " + verify : "ACCEPTED";
    }
  }

  interface Verification {
    void verify(Quote quote) throws QuoteVerificationException;
  }

  /** A golden quote and how it is verified. */
  record Subject(String name, byte[] raw, Verification verification) {
    Outcome run(byte[] mutated, String what) {
      Quote quote;
      try {
        quote = QuoteParser.parse(mutated);
      } catch (QuoteParseException e) {
        return Outcome.parse(e.reason());
      } catch (RuntimeException e) {
        throw new AssertionError(name + " " + what + ": parser threw an unchecked exception", e);
      }
      try {
        verification.verify(quote);
        return Outcome.ACCEPTED;
      } catch (QuoteVerificationException e) {
        return Outcome.verify(e.reason());
      } catch (RuntimeException e) {
        throw new AssertionError(name + " " + what + ": verifier threw an unchecked exception", e);
      }
    }
  }

  /**
   * A byte range of the quote and the outcomes a mutation inside it may have, given the mutated
   * quote.
   */
  record Region(String name, int start, int length, Function<byte[], Set<Outcome>> expected) {
    static Region rejectedBy(String name, int start, int length, Reason reason) {
      Set<Outcome> outcome = Set.of(Outcome.verify(reason));
      return new Region(name, start, length, m -> outcome);
    }

    static Region unparsable(String name, int start, int length,
        QuoteParseException.Reason... reasons) {
      Set<Outcome> outcomes = Stream.of(reasons).map(Outcome::parse)
          .collect(Collectors.toSet());
      return new Region(name, start, length, m -> outcomes);
    }
  }

  private static Subject dcapQvl() {
    Collateral collateral;
    try {
      collateral = TestCollateral.dcapQvl("tdx_quote_collateral.json");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    QuoteVerifier verifier = TestCollateral.verifierAt(QuoteVerifierTest.dcapQvlNow(collateral));
    return new Subject("dcap-qvl", Vectors.read("dcap-qvl/tdx_quote"), q -> {
      VerifiedQuote v = verifier.verify(q, collateral);
      assertThat(v.tcbStatus()).isEqualTo(TcbStatus.UP_TO_DATE);
    });
  }

  private static Subject goTdxGuest() {
    QuoteVerifier verifier = TestCollateral.verifierAt(TestCollateral.GTG_TIME);
    return new Subject("go-tdx-guest", Vectors.read("go-tdx-guest/tdx_prod_quote_SPR_E4.dat"),
        verifier::verifySignatures);
  }

  @TestFactory
  Stream<DynamicContainer> mutateGoldenQuotes() {
    return Stream.of(dcapQvl(), goTdxGuest()).map(subject -> {
      Quote golden;
      try {
        golden = QuoteParser.parse(subject.raw());
      } catch (QuoteParseException e) {
        throw new IllegalStateException(e);
      }
      List<DynamicTest> tests = new ArrayList<>();
      tests.add(DynamicTest.dynamicTest("golden quote is accepted",
          () -> assertThat(subject.run(subject.raw(), "golden")).isEqualTo(Outcome.ACCEPTED)));
      for (Region region : regions(golden)) {
        tests.add(DynamicTest.dynamicTest(region.name() + " [" + region.start() + ", "
            + (region.start() + region.length()) + ")", () -> sweepBytes(subject, region)));
      }
      tests.add(DynamicTest.dynamicTest("PEM chain base64 substitutions",
          () -> sweepPem(subject, golden)));
      return DynamicContainer.dynamicContainer(subject.name(), tests);
    });
  }

  /** The regions of a v4 quote, from the header to the end of the PCK chain, without gaps. */
  static List<Region> regions(Quote quote) {
    assertThat(quote).isInstanceOf(QuoteV4.class);
    List<Region> out = new ArrayList<>();
    // Header fields (Intel DCAP quote header; QuoteHeader).
    out.add(new Region("header version", 0, 2, QuoteMutationTest::versionOutcome));
    out.add(Region.unparsable("header attestation key type", 2, 2,
        QuoteParseException.Reason.UNSUPPORTED_ATTESTATION_KEY_TYPE));
    out.add(Region.unparsable("header TEE type", 4, 4,
        QuoteParseException.Reason.UNSUPPORTED_TEE_TYPE));
    out.add(Region.rejectedBy("header QE SVN, PCE SVN", 8, 4, Reason.QUOTE_SIGNATURE_INVALID));
    out.add(Region.rejectedBy("header QE vendor ID", 12, quote.header().qeVendorId().size(),
        Reason.UNSUPPORTED_QE_VENDOR));
    int userData = 12 + quote.header().qeVendorId().size();
    out.add(Region.rejectedBy("header user data", userData, quote.header().userData().size(),
        Reason.QUOTE_SIGNATURE_INVALID));
    assertThat(userData + quote.header().userData().size()).isEqualTo(QuoteHeader.SIZE);

    int at = QuoteHeader.SIZE;
    TdQuoteBody body = quote.body();
    out.add(Region.rejectedBy("body", at, body.encodedSize(), Reason.QUOTE_SIGNATURE_INVALID));
    at += body.encodedSize();
    assertThat(at).isEqualTo(QuoteEncoder.signedRegionSize(quote));

    int sigDataLengthAt = at;
    out.add(new Region("signature data length", at, 4, m -> Set.of(Outcome.parse(
        u32(m, sigDataLengthAt) > QuoteParser.MAX_SIGNATURE_DATA_SIZE
            ? QuoteParseException.Reason.OVERSIZED
            : QuoteParseException.Reason.SIZE_MISMATCH))));
    at += 4;
    var sig = quote.signatureData();
    QeReportCertificationData cert = sig.certification();
    at = add(out, Region.rejectedBy("quote signature", at, sig.quoteSignature().size(),
        Reason.QUOTE_SIGNATURE_INVALID));
    at = add(out, Region.rejectedBy("attestation key", at, sig.attestationKey().size(),
        Reason.QE_REPORT_DATA_MISMATCH));
    at = add(out, Region.unparsable("certification data type", at, 2,
        QuoteParseException.Reason.UNSUPPORTED_CERTIFICATION_DATA_TYPE));
    at = add(out, Region.unparsable("certification data size", at, 4,
        QuoteParseException.Reason.SIZE_MISMATCH));
    at = add(out, Region.rejectedBy("QE report", at, EnclaveReportBody.SIZE,
        Reason.QE_REPORT_SIGNATURE_INVALID));
    at = add(out, Region.rejectedBy("QE report signature", at, cert.qeReportSignature().size(),
        Reason.QE_REPORT_SIGNATURE_INVALID));
    // A wrong auth data size shifts every later field: the PCK chain type is then read from
    // the wrong bytes (UNSUPPORTED_CERTIFICATION_DATA_TYPE), or the input runs out (TRUNCATED).
    at = add(out, Region.unparsable("QE auth data size", at, 2,
        QuoteParseException.Reason.TRUNCATED,
        QuoteParseException.Reason.UNSUPPORTED_CERTIFICATION_DATA_TYPE));
    assertThat(cert.qeAuthData().size()).isPositive();
    at = add(out, Region.rejectedBy("QE auth data", at, cert.qeAuthData().size(),
        Reason.QE_REPORT_DATA_MISMATCH));
    at = add(out, Region.unparsable("PCK certification data type", at, 2,
        QuoteParseException.Reason.UNSUPPORTED_CERTIFICATION_DATA_TYPE));
    at = add(out, Region.unparsable("PCK certification data size", at, 4,
        QuoteParseException.Reason.SIZE_MISMATCH));
    assertThat(at + cert.pckCertificationData().data().size())
        .isEqualTo(QuoteEncoder.encodedSize(quote));
    return out;
  }

  private static int add(List<Region> regions, Region region) {
    regions.add(region);
    return region.start() + region.length();
  }

  /** 4 -> 5 turns the quote into a v5 one whose body descriptor is the v4 body's first bytes. */
  private static Set<Outcome> versionOutcome(byte[] mutated) {
    int version = u16(mutated, 0);
    if (version != 5) {
      return Set.of(Outcome.parse(QuoteParseException.Reason.UNSUPPORTED_VERSION));
    }
    int bodyType = u16(mutated, QuoteHeader.SIZE);
    long bodySize = u32(mutated, QuoteHeader.SIZE + 2);
    assertThat(bodyType == QuoteV5.BODY_TYPE_TDX10 && bodySize == TdQuoteBody.SIZE_TDX10
        || bodyType == QuoteV5.BODY_TYPE_TDX15 && bodySize == TdQuoteBody.SIZE_TDX15)
        .as("v4 body starts like a v5 body descriptor").isFalse();
    return Set.of(Outcome.parse(QuoteParseException.Reason.UNSUPPORTED_BODY_TYPE));
  }

  private static void sweepBytes(Subject subject, Region region) {
    List<String> failures = new ArrayList<>();
    for (int offset = region.start(); offset < region.start() + region.length(); offset++) {
      for (int mask : XOR_MASKS) {
        byte[] mutated = subject.raw().clone();
        mutated[offset] ^= (byte) mask;
        String what = String.format("offset %d ^ 0x%02x", offset, mask);
        Outcome outcome = subject.run(mutated, what);
        Set<Outcome> expected = region.expected().apply(mutated);
        if (!expected.contains(outcome)) {
          failures.add(what + ": " + outcome + ", expected one of " + expected);
        }
      }
    }
    assertThat(failures).as("%s %s", subject.name(), region.name()).isEmpty();
  }

  private static void sweepPem(Subject subject, Quote golden) {
    byte[] raw = subject.raw();
    int pemStart = QuoteEncoder.encodedSize(golden)
        - golden.signatureData().certification().pckCertificationData().data().size();
    String pem = new String(raw, pemStart, raw.length - pemStart, StandardCharsets.ISO_8859_1);
    List<Integer> candidates = base64Positions(pem);
    assertThat(candidates).hasSizeGreaterThan(2000);

    Map<String, Integer> seen = new TreeMap<>();
    List<String> failures = new ArrayList<>();
    int n = 0;
    for (int i = 0; i < candidates.size(); i += PEM_STRIDE, n++) {
      int offset = pemStart + candidates.get(i);
      byte[] mutated = raw.clone();
      int index = BASE64.indexOf(mutated[offset]);
      char replacement = BASE64.charAt((index + 1 + n % 63) % 64);
      mutated[offset] = (byte) replacement;
      String what = String.format("offset %d '%c' -> '%c'", offset, (char) raw[offset],
          replacement);
      Outcome outcome = subject.run(mutated, what);
      seen.merge(outcome.toString(), 1, Integer::sum);
      if (outcome.verify() == null || !PEM_REASONS.contains(outcome.verify())) {
        failures.add(what + ": " + outcome);
      }
    }
    assertThat(failures).as("%s PEM chain (outcomes %s)", subject.name(), seen).isEmpty();
    // The sweep reaches both certificate structure and signatures.
    assertThat(seen).containsKeys("verify " + Reason.PCK_CHAIN_MALFORMED,
        "verify " + Reason.CERTIFICATE_SIGNATURE_INVALID);
  }

  /**
   * Offsets (in the PEM text) of base64 characters inside BEGIN/END CERTIFICATE blocks, except
   * those just before '=' padding, whose low bits may not be decoded.
   */
  static List<Integer> base64Positions(String pem) {
    List<Integer> out = new ArrayList<>();
    String begin = "-----BEGIN CERTIFICATE-----";
    String end = "-----END CERTIFICATE-----";
    int from = 0;
    int blocks = 0;
    while (true) {
      int b = pem.indexOf(begin, from);
      if (b < 0) {
        break;
      }
      int e = pem.indexOf(end, b);
      assertThat(e).isPositive();
      for (int i = b + begin.length(); i < e; i++) {
        if (BASE64.indexOf(pem.charAt(i)) >= 0 && pem.charAt(i + 1) != '=') {
          out.add(i);
        }
      }
      blocks++;
      from = e + end.length();
    }
    assertThat(blocks).isEqualTo(3);
    return out;
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
  }

  private static long u32(byte[] b, int at) {
    return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }
}
