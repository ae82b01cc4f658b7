package dev.carapace.snp.kds;

import dev.carapace.snp.kds.KdsException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Values by key, each kept until its own expiry instant (by the injected clock); at most {@code
 * capacity} entries, least recently used evicted first. Concurrent misses for one key are
 * coalesced: one caller loads, the others wait for its result (so KDS sees one request, not a
 * burst that its throttling would answer with 429). Thread-safe; no I/O under the lock.
 */
final class ExpiringCache {
  /** Loads a value on a miss. */
  interface Loader<T> {
    T load() throws KdsException;
  }

  private record Entry(Object value, Instant expires) {}

  private final int capacity;
  private final Clock clock;
  private final @Nullable Duration maxAge;
  private final LinkedHashMap<Object, Entry> entries;
  private final ConcurrentHashMap<Object, CompletableFuture<Object>> inFlight =
      new ConcurrentHashMap<>();

  ExpiringCache(int capacity, Clock clock, @Nullable Duration maxAge) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0");
    }
    this.capacity = capacity;
    this.clock = clock;
    this.maxAge = maxAge;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<Object, Entry> eldest) {
        return size() > ExpiringCache.this.capacity;
      }
    };
  }

  /**
   * The live value for {@code key}, else the one {@code loader} produces, kept until {@code
   * expiry} of it (capped by the max age); a value already expired is returned but not kept.
   */
  <T> T get(Object key, Class<T> type, Loader<T> loader, Function<T, Instant> expiry)
      throws KdsException {
    T hit = lookup(key, type);
    if (hit != null) {
      return hit;
    }
    CompletableFuture<Object> mine = new CompletableFuture<>();
    CompletableFuture<Object> theirs = inFlight.putIfAbsent(key, mine);
    if (theirs != null) {
      return await(theirs, type);
    }
    try {
      T value = lookup(key, type); // another caller may have just stored it
      if (value == null) {
        value = loader.load();
        put(key, value, expiry.apply(value));
      }
      mine.complete(value);
      return value;
    } catch (KdsException | RuntimeException | Error e) {
      mine.completeExceptionally(e);
      throw e;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private <T> T await(CompletableFuture<Object> future, Class<T> type) throws KdsException {
    try {
      return type.cast(future.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KdsException(Reason.UNAVAILABLE, "interrupted waiting for a concurrent fetch", e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof KdsException k) {
        // A fresh exception for this thread; the loader's is the cause.
        throw new KdsException(k.reason(), k.detail(), k);
      }
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(c);
    }
  }

  private synchronized <T> @Nullable T lookup(Object key, Class<T> type) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (!clock.instant().isBefore(e.expires()) || !type.isInstance(e.value())) {
      entries.remove(key);
      return null;
    }
    return type.cast(e.value());
  }

  private synchronized void put(Object key, Object value, Instant expires) {
    Instant now = clock.instant();
    if (maxAge != null && now.plus(maxAge).isBefore(expires)) {
      expires = now.plus(maxAge);
    }
    if (capacity > 0 && now.isBefore(expires)) {
      entries.put(key, new Entry(value, expires));
    }
  }

  synchronized void clear() {
    entries.clear();
  }

  synchronized int size() {
    return entries.size();
  }
}
