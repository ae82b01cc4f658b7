package dev.carapace.attestation.service.evidence;

import dev.carapace.attestation.model.Bytes;
import dev.carapace.tdx.pcs.Collateral;
import dev.carapace.tdx.pcs.CollateralException;
import dev.carapace.tdx.pcs.CollateralSource;
import dev.carapace.tdx.pcs.PckCa;
import dev.carapace.tdx.verify.QuoteVerificationException;
import dev.carapace.tdx.verify.QuoteVerifier;
import dev.carapace.tdx.verify.VerifiedCollateral;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Verified TDX collateral per (FMSPC, PCK CA), so that a quote costs one signature check rather
 * than five: collateral is fetched from the source and its signatures checked once, then reused
 * until the refresh interval passes or it expires (whichever is first). Thread-safe; concurrent
 * misses fetch once.
 */
final class CollateralCache {
  private record Key(Bytes fmspc, PckCa ca) {}

  private record Entry(VerifiedCollateral collateral, Instant refreshAt) {}

  private static final int LIMIT = 4096;

  private final CollateralSource source;
  private final QuoteVerifier verifier;
  private final Clock clock;
  private final Duration ttl;
  private final Map<Key, Entry> entries = new ConcurrentHashMap<>();

  CollateralCache(CollateralSource source, QuoteVerifier verifier, Clock clock, Duration ttl) {
    this.source = Objects.requireNonNull(source, "source");
    this.verifier = Objects.requireNonNull(verifier, "verifier");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
  }

  /** The cached collateral if it is still fresh, else null. */
  @Nullable VerifiedCollateral cached(Bytes fmspc, PckCa ca) {
    Entry e = entries.get(new Key(fmspc, ca));
    return e != null && clock.instant().isBefore(e.refreshAt()) ? e.collateral() : null;
  }

  /** Fetches, verifies and caches collateral (one fetch for concurrent misses). */
  VerifiedCollateral load(Bytes fmspc, PckCa ca)
      throws CollateralException, QuoteVerificationException {
    Key key = new Key(fmspc, ca);
    synchronized (this) {
      Instant now = clock.instant();
      Entry e = entries.get(key);
      if (e != null && now.isBefore(e.refreshAt())) {
        return e.collateral();
      }
      Collateral c = source.collateralFor(fmspc, ca);
      VerifiedCollateral vc = verifier.verifyCollateral(c);
      Instant refresh = now.plus(ttl);
      Instant expiry = vc.earliestExpiry();
      if (entries.size() >= LIMIT) {
        entries.clear();
      }
      entries.put(key, new Entry(vc, expiry.isBefore(refresh) ? expiry : refresh));
      return vc;
    }
  }
}
