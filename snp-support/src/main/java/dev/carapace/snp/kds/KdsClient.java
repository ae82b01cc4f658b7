package dev.carapace.snp.kds;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.evidence.io.http.ExpiringCache;
import dev.carapace.evidence.io.http.FetchException;
import dev.carapace.evidence.io.http.HttpFetcher;
import dev.carapace.snp.kds.KdsException.Reason;
import dev.carapace.snp.report.Product;
import dev.carapace.snp.report.TcbVersion;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Fetches SEV-SNP certificates from AMD's Key Distribution Service with {@link HttpClient}.
 *
 * <p>For a base URL {@code B} (default {@link #AMD_KDS}, only if the caller builds a client with
 * it) it GETs:
 *
 * <ul>
 *   <li>{@code B/vcek/v1/{Milan|Genoa|Turin}/cert_chain}: PEM ASK then ARK; {@code
 *       B/vlek/v1/{Product}/cert_chain}: PEM ASVK then ARK;
 *   <li>{@code B/vcek/v1/{Product}/crl} and {@code B/vlek/v1/{Product}/crl}: DER CRL;
 *   <li>{@code B/vcek/v1/{Product}/{hwid}?blSPL=NN&teeSPL=NN&snpSPL=NN&ucodeSPL=NN}: DER VCEK,
 *       hwid = 64-byte CHIP_ID in lower-case hex; Turin: {@code ?fmcSPL=NN&blSPL=..} with the
 *       8-byte hardware id (see {@link VcekId#kdsPathAndQuery()}).
 * </ul>
 *
 * <p><b>Caching.</b> KDS documents change rarely and KDS throttles: "repeat requests of the same
 * arguments will be throttled to once per 10 seconds" and answered {@code 429 Too Many Requests}.
 * So everything is cached aggressively by the injected {@link Clock}: a VCEK, keyed by (product,
 * hwid, TCB), until its {@code notAfter} (bounded LRU, {@link Builder#cacheCapacity}); a chain
 * until the earlier {@code notAfter} of its two certificates; a CRL until its {@code nextUpdate}
 * (a CRL without one is not cached). {@link Builder#maxCacheAge} caps all of these. Concurrent
 * requests for the same document are coalesced into one HTTP request. Failures are not cached.
 *
 * <p><b>Retries.</b> Each attempt has a deadline for the whole exchange; bodies over {@link
 * KdsDocuments#MAX_DOCUMENT_SIZE} are refused ({@code BAD_RESPONSE}). I/O errors and 5xx are
 * retried with exponential backoff (500 ms doubling, at most 8 s); 429 is retried after the
 * server's {@code Retry-After} (seconds or HTTP-date) or, without one, after at least {@link
 * Builder#rateLimitBackoff} (10 s, KDS's throttling window). A {@code Retry-After} longer than
 * {@link Builder#maxRetryAfter} (30 s) ends the retries at once. After {@link Builder#maxRetries}
 * retries the failure is {@code RATE_LIMITED} (last answer 429) or {@code UNAVAILABLE}. 404 is
 * {@code NOT_FOUND} (for a VCEK: unknown chip id or TCB), other statuses {@code BAD_RESPONSE},
 * unparsable bodies {@code MALFORMED}; none of these is retried. With default settings one call
 * can block up to about 4 × 10 s request timeout + 3 × 30 s waits.
 *
 * <p>Documents are parsed, not verified. Thread-safe. No logging; no request is made before a
 * lookup method is called. VLEKs cannot be fetched (KDS requires the cloud provider's
 * credentials); they come with the evidence.
 */
public final class KdsClient implements KdsCertificateSource {
  /** AMD's production Key Distribution Service. */
  public static final URI AMD_KDS = URI.create("https://kdsintf.amd.com");

  /** Waits between retries; tests inject one that records instead of sleeping. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Parses a 200 body. */
  private interface BodyParser<T> {
    T parse(byte[] body) throws KdsException;
  }

  /** Chains and CRLs: at most 3 products × 2 signer kinds × 2 documents. */
  private static final int DOCUMENT_CACHE_CAPACITY = 16;

  private final String base;
  private final ExpiringCache<URI, X509Certificate, KdsException> vceks;
  private final ExpiringCache<URI, Object, KdsException> documents;
  private final HttpFetcher http;

  private KdsClient(Builder b, HttpFetcher http) {
    this.base = stripSlash(b.baseUrl.toString());
    this.vceks = new ExpiringCache<>(b.clock, b.cacheCapacity, b.maxCacheAge,
        KdsException.CACHE_FAILURES);
    this.documents = new ExpiringCache<>(b.clock,
        Math.min(b.cacheCapacity, DOCUMENT_CACHE_CAPACITY), b.maxCacheAge,
        KdsException.CACHE_FAILURES);
    this.http = http;
  }

  /** A builder for AMD's KDS ({@link #AMD_KDS}). */
  public static Builder builder() {
    return new Builder(AMD_KDS);
  }

  /** A builder for a KDS-compatible service (a mirror or caching proxy) at {@code baseUrl}. */
  public static Builder builder(URI baseUrl) {
    return new Builder(baseUrl);
  }

  /** The base URL, without a trailing slash. */
  public URI baseUrl() {
    return URI.create(base);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Cached until the certificate's {@code notAfter}.
   */
  @Override
  public X509Certificate vcek(Product product, Bytes chipId, TcbVersion reportedTcb)
      throws KdsException {
    URI uri = vcekUri(VcekId.forLookup(product, chipId, reportedTcb));
    return vceks.get(uri, X509Certificate.class,
        () -> get(uri, KdsDocuments::parseCertificate),
        c -> c.getNotAfter().toInstant());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Cached until the earlier {@code notAfter} of the two certificates.
   */
  @Override
  public List<X509Certificate> certChain(Product product, SignerKind kind) throws KdsException {
    URI uri = certChainUri(product, kind);
    return documents.get(uri, CertChain.class,
        () -> new CertChain(get(uri, KdsDocuments::parseCertChain)),
        CertChain::expires).certs();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Cached until the CRL's {@code nextUpdate}.
   */
  @Override
  public X509CRL crl(Product product, SignerKind kind) throws KdsException {
    URI uri = crlUri(product, kind);
    return documents.get(uri, X509CRL.class, () -> get(uri, KdsDocuments::parseCrl),
        crl -> crl.getNextUpdate() == null ? Instant.MIN : crl.getNextUpdate().toInstant());
  }

  /** The URL of a VCEK. */
  public URI vcekUri(VcekId id) {
    return URI.create(base + id.kdsPathAndQuery());
  }

  /** {@code <base>/{vcek|vlek}/v1/<Product>/cert_chain}. */
  public URI certChainUri(Product product, SignerKind kind) {
    return URI.create(base + "/" + kind.kdsPath() + "/v1/" + product.kdsName() + "/cert_chain");
  }

  /** {@code <base>/{vcek|vlek}/v1/<Product>/crl}. */
  public URI crlUri(Product product, SignerKind kind) {
    return URI.create(base + "/" + kind.kdsPath() + "/v1/" + product.kdsName() + "/crl");
  }

  /** Drops every cached document. */
  public void clearCache() {
    vceks.clear();
    documents.clear();
  }

  /** Number of cached VCEKs, chains and CRLs. */
  public int cachedCount() {
    return vceks.size() + documents.size();
  }

  @Override
  public String toString() {
    return "KdsClient[" + base + "]";
  }

  /** GETs and parses one document; see the class comment for the rules. */
  private <T> T get(URI uri, BodyParser<T> parser) throws KdsException {
    byte[] body = http.get(uri, KdsClient::failure).body();
    try {
      return parser.parse(body);
    } catch (KdsException e) {
      throw new KdsException(e.reason(), uri + ": " + e.detail(), e);
    }
  }

  /** The fetch failure as KdsException, with the same message and cause. */
  private static KdsException failure(FetchException e) {
    Reason reason = switch (e.reason()) {
      case NOT_FOUND -> Reason.NOT_FOUND;
      case RATE_LIMITED -> Reason.RATE_LIMITED;
      case BAD_STATUS, TOO_LARGE -> Reason.BAD_RESPONSE;
      case UNAVAILABLE, TIMEOUT, INTERRUPTED -> Reason.UNAVAILABLE;
    };
    return new KdsException(reason, e.getMessage(), e.getCause());
  }

  /** A parsed chain with its cache expiry. */
  private record CertChain(List<X509Certificate> certs) {
    Instant expires() {
      Instant a = certs.get(0).getNotAfter().toInstant();
      Instant b = certs.get(1).getNotAfter().toInstant();
      return a.isBefore(b) ? a : b;
    }
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Configures a {@link KdsClient}. Not thread-safe; {@link #build} may be repeated. */
  public static final class Builder {
    private final URI baseUrl;
    /** The retry settings; HttpFetcher's defaults are KdsClient's except where set here. */
    private final HttpFetcher.Builder http = HttpFetcher.builder()
        .rateLimitBackoff(Duration.ofSeconds(10))
        .maxBodySize(KdsDocuments.MAX_DOCUMENT_SIZE);
    private Clock clock = Clock.systemUTC();
    private int cacheCapacity = 1024;
    private @Nullable Duration maxCacheAge;

    private Builder(URI baseUrl) {
      String scheme = Objects.requireNonNull(baseUrl, "baseUrl").getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)
          || baseUrl.getHost() == null) {
        throw new IllegalArgumentException("baseUrl must be an absolute http(s) URL: " + baseUrl);
      }
      if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException("baseUrl must have no query or fragment: " + baseUrl);
      }
      this.baseUrl = baseUrl;
    }

    /**
     * The HTTP client (its TLS, proxy and redirect settings apply). Default: HTTP/1.1, following
     * same-or-stronger-scheme redirects, the request timeout as connect timeout.
     */
    public Builder httpClient(HttpClient value) {
      http.httpClient(value);
      return this;
    }

    /** The clock for cache expiry and HTTP-date {@code Retry-After}; default system UTC. */
    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      http.clock(value);
      return this;
    }

    /** Deadline of one attempt, from sending to the last body byte (default 10 s). */
    public Builder requestTimeout(Duration value) {
      http.requestTimeout(value);
      return this;
    }

    /** Retries after the first attempt (default 3); 0 disables retrying. At most 10. */
    public Builder maxRetries(int value) {
      if (value < 0 || value > 10) {
        throw new IllegalArgumentException("maxRetries must be in [0, 10]");
      }
      http.maxRetries(value);
      return this;
    }

    /** First retry delay after an I/O error or 5xx (default 500 ms), doubled per retry to 8 s. */
    public Builder retryBackoff(Duration value) {
      http.retryBackoff(value);
      return this;
    }

    /** Least wait after a 429 without {@code Retry-After} (default 10 s, KDS's window). */
    public Builder rateLimitBackoff(Duration value) {
      http.rateLimitBackoff(atMostFiveMinutes(value, "rateLimitBackoff"));
      return this;
    }

    /** Longest {@code Retry-After} that is waited for (default 30 s); longer ones fail at once. */
    public Builder maxRetryAfter(Duration value) {
      http.maxRetryAfter(atMostFiveMinutes(value, "maxRetryAfter"));
      return this;
    }

    public Builder sleeper(Sleeper value) {
      http.sleeper(Objects.requireNonNull(value, "sleeper")::sleep);
      return this;
    }

    /** Most VCEKs cached (default 1024); 0 disables all caching. */
    public Builder cacheCapacity(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("cacheCapacity must be >= 0");
      }
      this.cacheCapacity = value;
      return this;
    }

    /** Refetch a document after this long even if it is still valid (default: never). */
    public Builder maxCacheAge(Duration value) {
      if (value.isNegative() || value.compareTo(Duration.ofDays(3650)) > 0) {
        throw new IllegalArgumentException("maxCacheAge must be in [0, 3650 days]");
      }
      this.maxCacheAge = value;
      return this;
    }

    public KdsClient build() {
      return new KdsClient(this, http.build());
    }

    private static Duration atMostFiveMinutes(Duration value, String what) {
      if (value.isNegative() || value.compareTo(Duration.ofMinutes(5)) > 0) {
        throw new IllegalArgumentException(what + " must be in [0, 5 min]");
      }
      return value;
    }
  }
}
