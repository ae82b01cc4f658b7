package dev.carapace.benchmarks;

import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.QuoteCollateralV3;
import dev.carapace.tdx.quote.Quote;
import dev.carapace.tdx.quote.QuoteParser;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.TrustAnchors;
import dev.carapace.tdx.verify.VerifiedCollateral;
import dev.carapace.tdx.verify.VerifiedQuote;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Parse + full DCAP verification of a real TDX quote (dcap-qvl sample, UpToDate) with warm
 * collateral, single thread. The bound: two ECDSA P-256 verifications per quote (QE report by the
 * PCK key, quote by the attestation key), measured by {@link #p256VerifyBound} in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class QuoteVerifyBenchmark {
  private byte[] rawQuote;
  private QuoteVerifier verifier;
  private VerifiedCollateral collateral;
  private Collateral rawCollateral;
  private Clock clock;

  private Provider bc;
  private KeyPair p256;
  private byte[] message;
  private byte[] signature;
  private java.security.PublicKey publicKey;

  @Setup
  public void setUp() throws Exception {
    rawQuote = resource("tdx_quote");
    rawCollateral = QuoteCollateralV3.parse(resource("tdx_quote_collateral.json"));
    bc = new BouncyCastleProvider();
    Instant t = Instant.parse("2025-07-01T00:00:00Z");
    clock = Clock.fixed(t, ZoneOffset.UTC);
    verifier = new QuoteVerifier(TrustAnchors.intel(), clock, bc);
    collateral = verifier.verifyCollateral(rawCollateral);
    if (!verifyQuote().tcbStatus().jsonName().equals("UpToDate")) {
      throw new IllegalStateException("benchmark vector no longer verifies UpToDate");
    }
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", bc);
    g.initialize(new ECGenParameterSpec("secp256r1"));
    p256 = g.generateKeyPair();
    message = new byte[632];
    Signature s = Signature.getInstance("SHA256withPLAIN-ECDSA", bc);
    s.initSign(p256.getPrivate());
    s.update(message);
    signature = s.sign();
    publicKey = KeyFactory.getInstance("EC", bc)
        .generatePublic(new java.security.spec.X509EncodedKeySpec(p256.getPublic().getEncoded()));
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = QuoteVerifyBenchmark.class.getResourceAsStream("/dcap-qvl/" + name)) {
      return in.readAllBytes();
    }
  }

  /** Parse + verify with collateral verified once (the warm path of a service). */
  @Benchmark
  public VerifiedQuote parseAndVerify() throws Exception {
    return verifyQuote();
  }

  /** Parse + verify passing raw collateral (its signatures are cached by identity). */
  @Benchmark
  public VerifiedQuote parseAndVerifyRawCollateral() throws Exception {
    Quote q = QuoteParser.parse(rawQuote);
    return verifier.verify(q, rawCollateral);
  }

  /**
   * The first quote from a platform: a fresh verifier (empty caches) validates the PCK chain
   * (three certificate signatures) and the QE report signature before the quote signature.
   */
  @Benchmark
  public VerifiedQuote firstQuoteFromPlatform() throws Exception {
    QuoteVerifier fresh = new QuoteVerifier(verifier.anchors(), clock, bc);
    return fresh.verify(QuoteParser.parse(rawQuote), collateral);
  }

  /** Parsing alone. */
  @Benchmark
  public Quote parseOnly() throws Exception {
    return QuoteParser.parse(rawQuote);
  }

  /** One ECDSA P-256 verification with the same provider: the bound is two of these. */
  @Benchmark
  public boolean p256VerifyBound() throws Exception {
    Signature s = Signature.getInstance("SHA256withPLAIN-ECDSA", bc);
    s.initVerify(publicKey);
    s.update(message);
    return s.verify(signature);
  }

  private VerifiedQuote verifyQuote() throws Exception {
    Quote q = QuoteParser.parse(rawQuote);
    return verifier.verify(q, collateral);
  }
}
