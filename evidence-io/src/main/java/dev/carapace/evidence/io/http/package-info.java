/**
 * HTTP GETs of signed documents (collateral, certificates, CRLs) as the evidence libraries make
 * them: a deadline per attempt, a bounded body, retries with backoff and {@code Retry-After}
 * ({@link dev.carapace.evidence.io.http.HttpFetcher}), and an expiring, coalescing cache for the
 * parsed results ({@link dev.carapace.evidence.io.http.ExpiringCache}). No logging; nothing here
 * touches the network unless a fetcher is called.
 */
@NullMarked
package dev.carapace.evidence.io.http;

import org.jspecify.annotations.NullMarked;
