package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.evidence.io.http.ExpiringCache;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Caches another source's answers by the injected {@link Clock}, with {@link KdsClient}'s rules: a
 * VCEK by {@link VcekId} until its {@code notAfter}, a chain until its earliest {@code notAfter},
 * a CRL until its {@code nextUpdate}, each optionally capped by a maximum age; at most {@code
 * capacity} VCEKs (LRU). Failures are not cached; concurrent misses for one key are coalesced.
 * Useful around a {@link DirectoryKdsSource} (set a max age so that refreshed files are picked
 * up) or a custom source. {@link KdsClient} has this cache built in. Thread-safe.
 */
public final class CachingKdsSource implements KdsCertificateSource {
  private record ChainKey(Product product, SignerKind kind) {}

  private record CrlKey(Product product, SignerKind kind) {}

  private record Chain(List<X509Certificate> certs) {}

  private final KdsCertificateSource delegate;
  private final ExpiringCache<VcekId, X509Certificate, KdsException> vceks;
  private final ExpiringCache<Object, Object, KdsException> documents;

  /**
   * @param capacity most VCEKs kept (chains and CRLs: at most 16); 0 disables caching
   * @param maxAge refetch after this long even if still valid; null: only by expiry
   */
  public CachingKdsSource(KdsCertificateSource delegate, Clock clock, int capacity,
      @Nullable Duration maxAge) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    Objects.requireNonNull(clock, "clock");
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must be >= 0");
    }
    this.vceks = new ExpiringCache<>(clock, capacity, maxAge, KdsException.CACHE_FAILURES);
    this.documents = new ExpiringCache<>(clock, Math.min(capacity, 16), maxAge,
        KdsException.CACHE_FAILURES);
  }

  /** Caches up to 1024 VCEKs, by expiry only. */
  public CachingKdsSource(KdsCertificateSource delegate, Clock clock) {
    this(delegate, clock, 1024, null);
  }

  @Override
  public X509Certificate vcek(Product product, Bytes chipId, TcbVersion reportedTcb)
      throws KdsException {
    VcekId id = VcekId.of(product, chipId, reportedTcb);
    return vceks.get(id, X509Certificate.class,
        () -> delegate.vcek(product, chipId, reportedTcb), c -> c.getNotAfter().toInstant());
  }

  @Override
  public List<X509Certificate> certChain(Product product, SignerKind kind) throws KdsException {
    return documents.get(new ChainKey(product, kind), Chain.class,
        () -> new Chain(List.copyOf(delegate.certChain(product, kind))),
        c -> earliestNotAfter(c.certs())).certs();
  }

  @Override
  public X509CRL crl(Product product, SignerKind kind) throws KdsException {
    return documents.get(new CrlKey(product, kind), X509CRL.class,
        () -> delegate.crl(product, kind),
        crl -> crl.getNextUpdate() == null ? Instant.MIN : crl.getNextUpdate().toInstant());
  }

  /** Drops every cached answer. */
  public void clearCache() {
    vceks.clear();
    documents.clear();
  }

  public KdsCertificateSource delegate() {
    return delegate;
  }

  private static Instant earliestNotAfter(List<X509Certificate> certs) {
    Instant min = Instant.MAX;
    for (X509Certificate c : certs) {
      Instant t = c.getNotAfter().toInstant();
      min = t.isBefore(min) ? t : min;
    }
    return certs.isEmpty() ? Instant.MIN : min;
  }

  @Override
  public String toString() {
    return "CachingKdsSource[" + delegate + "]";
  }
}
