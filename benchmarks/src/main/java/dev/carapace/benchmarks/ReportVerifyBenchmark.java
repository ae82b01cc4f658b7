package dev.carapace.benchmarks;

import dev.carapace.snp.report.AttestationReport;
import dev.carapace.snp.report.ReportParser;
import dev.carapace.snp.verify.ReportVerifier;
import dev.carapace.snp.verify.TrustedRoots;
import dev.carapace.snp.verify.VerifiedReport;
import java.io.IOException;
import java.io.InputStream;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
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
 * Parse + verify of a real SEV-SNP report (Microsoft TAV Milan v3) with its VCEK, certificates
 * cached by the verifier, single thread. The bound: one ECDSA P-384 verification per report,
 * measured by {@link #p384VerifyBound} in the same run.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class ReportVerifyBenchmark {
  private byte[] rawReport;
  private X509Certificate vcek;
  private ReportVerifier verifier;

  private Provider bc;
  private PublicKey p384Public;
  private byte[] message;
  private byte[] signature;

  @Setup
  public void setUp() throws Exception {
    rawReport = resource("report.bin");
    bc = new BouncyCastleProvider();
    verifier = new ReportVerifier(TrustedRoots.amd(),
        Clock.fixed(Instant.parse("2026-03-01T00:00:00Z"), ZoneOffset.UTC), bc);
    vcek = verifier.parseCertificate(resource("vcek.pem"));
    parseAndVerify();
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC", bc);
    g.initialize(new ECGenParameterSpec("secp384r1"));
    KeyPair kp = g.generateKeyPair();
    p384Public = kp.getPublic();
    message = new byte[AttestationReport.SIGNED_SIZE];
    Signature s = Signature.getInstance("SHA384withECDSA", bc);
    s.initSign(kp.getPrivate());
    s.update(message);
    signature = s.sign();
  }

  private static byte[] resource(String name) throws IOException {
    try (InputStream in = ReportVerifyBenchmark.class
        .getResourceAsStream("/report-msft-tav/msft_milan_v3/" + name)) {
      return in.readAllBytes();
    }
  }

  /** Parse + chain (cached) + TCB/chip-id checks + report signature. */
  @Benchmark
  public VerifiedReport parseAndVerify() throws Exception {
    return verifier.verify(ReportParser.parse(rawReport), vcek);
  }

  /** One ECDSA P-384 verification with the same provider: the bound. */
  @Benchmark
  public boolean p384VerifyBound() throws Exception {
    Signature s = Signature.getInstance("SHA384withECDSA", bc);
    s.initVerify(p384Public);
    s.update(message);
    return s.verify(signature);
  }
}
