package dev.carapace.tdx.pcs;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.evidence.io.http.ExpiringCache;
import dev.carapace.evidence.io.http.FetchException;
import dev.carapace.evidence.io.http.FetchedResponse;
import dev.carapace.evidence.io.http.HttpFetcher;
import dev.carapace.tdx.pcs.CollateralException.Reason;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Fetches collateral from Intel PCS (API v4) or a PCCS over HTTP with {@link HttpClient}.
 *
 * <p>For a base URL {@code B} it GETs {@code B/tdx/certification/v4/tcb?fmspc=<hex>},
 * {@code B/tdx/certification/v4/qe/identity}, {@code B/sgx/certification/v4/pckcrl?ca=<ca>
 * &encoding=der} (each with its URL-encoded PEM issuer-chain header), and the root CA CRL from a
 * separate URL ({@link #INTEL_ROOT_CA_CRL} by default, or PCCS's hex-encoded
 * {@code B/sgx/certification/v4/rootcacrl}, see {@link Builder#pccsRootCaCrl()}).
 *
 * <p>Each parsed document is cached by URL until its {@code nextUpdate} (optionally sooner, see
 * {@link Builder#maxCacheAge}), by the injected {@link Clock}. Each request has a deadline for
 * the whole exchange, bodies over {@link CollateralDocuments#MAX_DOCUMENT_SIZE} are refused, I/O
 * errors, 429 and 5xx are retried with exponential backoff (a {@code Retry-After} of at most
 * 10 s is honoured, a longer one ends the retries), 404 is {@link Reason#NOT_FOUND}, any other
 * status {@link Reason#BAD_RESPONSE}. Documents are parsed, not verified: signature and chain
 * checks are the verifier's. Thread-safe; concurrent misses for one document are coalesced into
 * one request. No logging; no request happens before {@link #collateralFor}.
 */
public final class PcsCollateralSource implements CollateralSource {
  /** Intel's Provisioning Certification Service. */
  public static final URI INTEL_PCS = URI.create("https://api.trustedservices.intel.com");
  /** The Intel SGX Root CA's CRL distribution point (DER). */
  public static final URI INTEL_ROOT_CA_CRL =
      URI.create("https://certificates.trustedservices.intel.com/IntelSGXRootCA.der");
  /** PCCS's root CA CRL route (serves hex of the DER), relative to the base URL. */
  public static final String PCCS_ROOT_CA_CRL_PATH = "/sgx/certification/v4/rootcacrl";

  /** The PCS {@code update} parameter: which TCB recovery event's collateral to serve. */
  public enum Update {
    STANDARD, EARLY;

    String queryValue() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Waits between retries; tests inject one that does not sleep. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  /** Parses a 200 response. */
  private interface BodyParser<T> {
    T parse(byte[] body, HttpHeaders headers) throws CollateralException;
  }

  /**
   * For callers that waited for another caller's fetch: a fresh exception for this thread (the
   * loader's is the cause), or UNAVAILABLE when interrupted.
   */
  private static final ExpiringCache.Failures<CollateralException> CACHE_FAILURES =
      ExpiringCache.Failures.of(e -> new CollateralException(e.reason(), e.detail(), e),
          e -> new CollateralException(Reason.UNAVAILABLE,
              "interrupted waiting for a concurrent fetch", e));

  private record TcbDoc(Signed<TcbInfo> tcbInfo, List<X509Certificate> chain) {}

  private record QeDoc(Signed<QeIdentity> qeIdentity, List<X509Certificate> chain) {}

  private record CrlDoc(X509CRL crl, List<X509Certificate> chain) {}

  private final String base;
  private final URI rootCaCrlUrl;
  private final @Nullable Update update;
  private final ExpiringCache<URI, Object, CollateralException> cache;
  private final HttpFetcher http;

  private PcsCollateralSource(Builder b, URI rootCaCrlUrl, HttpFetcher http) {
    this.base = stripSlash(b.baseUrl.toString());
    this.rootCaCrlUrl = rootCaCrlUrl;
    this.update = b.update;
    this.cache = new ExpiringCache<>(b.clock, b.cacheCapacity, b.maxCacheAge, CACHE_FAILURES);
    this.http = http;
  }

  /** A builder for a service at {@code baseUrl}, e.g. {@link #INTEL_PCS} or a PCCS. */
  public static Builder builder(URI baseUrl) {
    return new Builder(baseUrl);
  }

  /**
   * {@inheritDoc}
   *
   * @throws IllegalArgumentException if {@code fmspc} is not 6 bytes
   * @throws CollateralException {@code BAD_RESPONSE} also if the TCB Info is for another FMSPC
   */
  @Override
  public Collateral collateralFor(Bytes fmspc, PckCa ca) throws CollateralException {
    if (fmspc.size() != 6) {
      throw new IllegalArgumentException("FMSPC must be 6 bytes, got " + fmspc.size());
    }
    CrlDoc pckCrl = cached(pckCrlUri(ca), CrlDoc.class,
        (body, h) -> new CrlDoc(CollateralDocuments.parseCrl(body),
            IssuerChainHeaders.chain(h, IssuerChainHeaders.PCK_CRL)),
        d -> nextUpdate(d.crl()));
    X509CRL rootCrl = cached(rootCaCrlUrl, CrlDoc.class,
        (body, h) -> new CrlDoc(CollateralDocuments.parseCrl(body), List.of()),
        d -> nextUpdate(d.crl())).crl();
    URI tcbUri = tcbInfoUri(fmspc);
    TcbDoc tcb = cached(tcbUri, TcbDoc.class, (body, h) -> {
      Signed<TcbInfo> info = CollateralDocuments.parseTcbInfoResponse(body);
      if (!info.value().fmspc().equals(fmspc)) {
        throw new CollateralException(Reason.BAD_RESPONSE, tcbUri + " served TCB Info for FMSPC "
            + info.value().fmspc().toHex());
      }
      return new TcbDoc(info, IssuerChainHeaders.chain(h,
          IssuerChainHeaders.TCB_INFO, IssuerChainHeaders.TCB_INFO_V3));
    }, d -> d.tcbInfo().value().nextUpdate());
    QeDoc qe = cached(qeIdentityUri(), QeDoc.class,
        (body, h) -> new QeDoc(CollateralDocuments.parseQeIdentityResponse(body),
            IssuerChainHeaders.chain(h, IssuerChainHeaders.QE_IDENTITY)),
        d -> d.qeIdentity().value().nextUpdate());
    return new Collateral(pckCrl.chain(), rootCrl, pckCrl.crl(), tcb.chain(), tcb.tcbInfo(),
        qe.chain(), qe.qeIdentity());
  }

  /** Drops every cached document. */
  public void clearCache() {
    cache.clear();
  }

  URI tcbInfoUri(Bytes fmspc) {
    return URI.create(base + "/tdx/certification/v4/tcb?fmspc=" + fmspc.toHex()
        + (update == null ? "" : "&update=" + update.queryValue()));
  }

  URI qeIdentityUri() {
    return URI.create(base + "/tdx/certification/v4/qe/identity"
        + (update == null ? "" : "?update=" + update.queryValue()));
  }

  URI pckCrlUri(PckCa ca) {
    return URI.create(base + "/sgx/certification/v4/pckcrl?ca=" + ca.queryValue()
        + "&encoding=der");
  }

  private <T> T cached(URI uri, Class<T> type, BodyParser<T> parser,
      Function<T, Instant> nextUpdate) throws CollateralException {
    return cache.get(uri, type, () -> get(uri, parser), nextUpdate);
  }

  /** GETs and parses one document; see the class comment for the rules. */
  private <T> T get(URI uri, BodyParser<T> parser) throws CollateralException {
    FetchedResponse response = http.get(uri, PcsCollateralSource::failure);
    return parser.parse(response.body(), response.headers());
  }

  /** The fetch failure as CollateralException, with the same message and cause. */
  private static CollateralException failure(FetchException e) {
    Reason reason = switch (e.reason()) {
      case NOT_FOUND -> Reason.NOT_FOUND;
      case BAD_STATUS, TOO_LARGE -> Reason.BAD_RESPONSE;
      case UNAVAILABLE, RATE_LIMITED, TIMEOUT, INTERRUPTED -> Reason.UNAVAILABLE;
    };
    return new CollateralException(reason, e.getMessage(), e.getCause());
  }

  /** PCS's {@code Error-Code}/{@code Error-Message} headers, made printable and short. */
  private static String pcsError(FetchedResponse response) {
    StringBuilder sb = new StringBuilder();
    for (String name : new String[] {"Error-Code", "Error-Message"}) {
      response.headers().firstValue(name).ifPresent(v -> sb.append(sb.length() == 0 ? "" : ", ")
          .append(name).append(": ").append(HttpFetcher.printable(v)));
    }
    return sb.toString();
  }

  private static Instant nextUpdate(X509CRL crl) {
    // A CRL without nextUpdate is not cached.
    return crl.getNextUpdate() == null ? Instant.MIN : crl.getNextUpdate().toInstant();
  }

  private static String stripSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  /** Configures a {@link PcsCollateralSource}. Not thread-safe; {@link #build} may be repeated. */
  public static final class Builder {
    private final URI baseUrl;
    /**
     * The retry settings; HttpFetcher's defaults are this class's except where set here. Its
     * default client speaks HTTP/1.1: a few small documents; no h2c upgrade dance with a
     * plain-http PCCS.
     */
    private final HttpFetcher.Builder http = HttpFetcher.builder()
        .maxRetryAfter(Duration.ofSeconds(10))
        .maxBodySize(CollateralDocuments.MAX_DOCUMENT_SIZE)
        .errorDetail(PcsCollateralSource::pcsError);
    private @Nullable URI rootCaCrlUrl;
    private boolean pccsRootCaCrl;
    private @Nullable Update update;
    private Clock clock = Clock.systemUTC();
    private int cacheCapacity = 64;
    private @Nullable Duration maxCacheAge;

    private Builder(URI baseUrl) {
      this.baseUrl = checkHttpUrl(baseUrl, "baseUrl");
      if (baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
        throw new IllegalArgumentException("baseUrl must have no query or fragment");
      }
    }

    /**
     * The client to use (its own TLS, proxy and redirect settings apply). Default: a new HTTP/1.1
     * client following same-or-stronger-scheme redirects, with the request timeout as connect
     * timeout.
     */
    public Builder httpClient(HttpClient client) {
      http.httpClient(Objects.requireNonNull(client, "client"));
      return this;
    }

    /** Where to GET the root CA CRL (DER, PEM or hex); default {@link #INTEL_ROOT_CA_CRL}. */
    public Builder rootCaCrlUrl(URI url) {
      this.rootCaCrlUrl = checkHttpUrl(url, "rootCaCrlUrl");
      this.pccsRootCaCrl = false;
      return this;
    }

    /** GET the root CA CRL from the PCCS at the base URL ({@link #PCCS_ROOT_CA_CRL_PATH}). */
    public Builder pccsRootCaCrl() {
      this.rootCaCrlUrl = null;
      this.pccsRootCaCrl = true;
      return this;
    }

    /** Adds {@code update=standard|early} to TCB Info and QE Identity requests. */
    public Builder update(Update value) {
      this.update = Objects.requireNonNull(value, "update");
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      http.clock(value);
      return this;
    }

    /** Deadline for one attempt, from sending the request to the body's last byte. */
    public Builder requestTimeout(Duration value) {
      http.requestTimeout(value);
      return this;
    }

    /** Retries after the first attempt (default 3); 0 disables retrying. */
    public Builder maxRetries(int value) {
      http.maxRetries(value);
      return this;
    }

    /** First retry delay (default 500 ms), doubled per retry up to 8 s. */
    public Builder retryBackoff(Duration value) {
      http.retryBackoff(value);
      return this;
    }

    public Builder sleeper(Sleeper value) {
      http.sleeper(Objects.requireNonNull(value, "sleeper")::sleep);
      return this;
    }

    /** Most documents kept (default 64); 0 disables caching. */
    public Builder cacheCapacity(int value) {
      if (value < 0) {
        throw new IllegalArgumentException("cacheCapacity must be >= 0");
      }
      this.cacheCapacity = value;
      return this;
    }

    /** Refetch a document after this long even if its nextUpdate is later (default: never). */
    public Builder maxCacheAge(Duration value) {
      if (value.isNegative() || value.compareTo(Duration.ofDays(3650)) > 0) {
        throw new IllegalArgumentException("maxCacheAge must be in [0, 3650 days]");
      }
      this.maxCacheAge = value;
      return this;
    }

    public PcsCollateralSource build() {
      URI root = pccsRootCaCrl ? URI.create(stripSlash(baseUrl.toString()) + PCCS_ROOT_CA_CRL_PATH)
          : rootCaCrlUrl != null ? rootCaCrlUrl : INTEL_ROOT_CA_CRL;
      return new PcsCollateralSource(this, root, http.build());
    }

    private static URI checkHttpUrl(URI url, String what) {
      String scheme = Objects.requireNonNull(url, what).getScheme();
      if (!"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)
          || url.getHost() == null) {
        throw new IllegalArgumentException(what + " must be an absolute http(s) URL: " + url);
      }
      return url;
    }
  }
}
