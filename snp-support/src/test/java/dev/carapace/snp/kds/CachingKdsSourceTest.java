package dev.carapace.snp.kds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.evidence.io.testing.MutableClock;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachingKdsSourceTest {
  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(KdsVectors.TEST_TIME);
  private static final Bytes GSG_CHIP = KdsVectors.chipId(KdsVectors.GSG_MILAN);
  private static final TcbVersion GSG_TCB =
      KdsVectors.reportedTcb(KdsVectors.GSG_MILAN, Product.MILAN);
  private static final Instant CRL_NEXT_UPDATE = KdsVectors.TEST_TIME.plus(Duration.ofDays(2));

  /** Counts the calls that reach a directory source. */
  private static final class Counting implements KdsCertificateSource {
    final KdsCertificateSource delegate;
    final AtomicInteger calls = new AtomicInteger();

    Counting(KdsCertificateSource delegate) {
      this.delegate = delegate;
    }

    @Override
    public X509Certificate vcek(Product product, Bytes chipId, TcbVersion reportedTcb)
        throws KdsException {
      calls.incrementAndGet();
      return delegate.vcek(product, chipId, reportedTcb);
    }

    @Override
    public List<X509Certificate> certChain(Product product, SignerKind kind)
        throws KdsException {
      calls.incrementAndGet();
      return delegate.certChain(product, kind);
    }

    @Override
    public X509CRL crl(Product product, SignerKind kind) throws KdsException {
      calls.incrementAndGet();
      return delegate.crl(product, kind);
    }
  }

  private Counting directory() throws Exception {
    Path milan = Files.createDirectories(dir.resolve("Milan"));
    Files.write(milan.resolve("cert_chain.pem"),
        KdsVectors.chainPem(Product.MILAN, SignerKind.VCEK));
    Files.write(milan.resolve("crl.der"), KdsVectors.syntheticCrl(Product.MILAN,
        KdsVectors.TEST_TIME, CRL_NEXT_UPDATE));
    Files.write(milan.resolve("vcek.der"), KdsVectors.vcekDer(KdsVectors.GSG_MILAN));
    return new Counting(new DirectoryKdsSource(dir));
  }

  @Test
  void lookupsWhenRepeatedThenDelegateAskedOnceUntilExpiry() throws Exception {
    Counting counting = directory();
    CachingKdsSource cached = new CachingKdsSource(counting, clock);
    for (int i = 0; i < 3; i++) {
      cached.vcek(Product.MILAN, GSG_CHIP, GSG_TCB);
      cached.certChain(Product.MILAN, SignerKind.VCEK);
      cached.crl(Product.MILAN, SignerKind.VCEK);
    }
    assertThat(counting.calls).hasValue(3);
    clock.set(CRL_NEXT_UPDATE);
    cached.vcek(Product.MILAN, GSG_CHIP, GSG_TCB);
    cached.crl(Product.MILAN, SignerKind.VCEK);
    assertThat(counting.calls).hasValue(4); // only the CRL expired
    clock.set(Instant.parse("2029-09-24T00:55:28Z")); // the VCEK's notAfter
    cached.vcek(Product.MILAN, GSG_CHIP, GSG_TCB);
    assertThat(counting.calls).hasValue(5);
  }

  @Test
  void lookupsWhenMaxAgeSetThenRefreshedFilesArePickedUp() throws Exception {
    Counting counting = directory();
    CachingKdsSource cached = new CachingKdsSource(counting, clock, 16, Duration.ofMinutes(5));
    X509Certificate before = cached.vcek(Product.MILAN, GSG_CHIP, GSG_TCB);
    Files.write(dir.resolve("Milan").resolve("vcek.der"), KdsVectors.vcekDer(KdsVectors.GENOA));
    assertThat(cached.vcek(Product.MILAN, GSG_CHIP, GSG_TCB)).isSameAs(before);
    clock.advance(Duration.ofMinutes(5));
    assertThat(cached.vcek(Product.MILAN, GSG_CHIP, GSG_TCB).getEncoded())
        .isEqualTo(KdsVectors.vcekDer(KdsVectors.GENOA));
  }

  @Test
  void lookupsWhenDelegateFailsThenFailureNotCached() throws Exception {
    Counting counting = new Counting(new DirectoryKdsSource(dir));
    CachingKdsSource cached = new CachingKdsSource(counting, clock);
    assertThatThrownBy(() -> cached.certChain(Product.GENOA, SignerKind.VLEK))
        .isInstanceOfSatisfying(KdsException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.NOT_FOUND));
    Path genoa = Files.createDirectories(dir.resolve("Genoa"));
    Files.write(genoa.resolve("vlek_cert_chain.pem"),
        KdsVectors.chainPem(Product.GENOA, SignerKind.VLEK));
    assertThat(cached.certChain(Product.GENOA, SignerKind.VLEK))
        .isEqualTo(KdsVectors.chain(Product.GENOA, SignerKind.VLEK));
    cached.clearCache();
    cached.certChain(Product.GENOA, SignerKind.VLEK);
    assertThat(counting.calls).hasValue(3);
  }
}
