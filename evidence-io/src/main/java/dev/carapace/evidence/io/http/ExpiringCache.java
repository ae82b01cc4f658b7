package dev.carapace.evidence.io.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * Values by key, each kept until its own expiry instant (by the injected clock), optionally
 * capped by a maximum age; at most {@code capacity} entries, least recently used evicted first
 * (capacity 0: nothing is kept). Concurrent misses for one key are coalesced: one caller loads,
 * the others wait for its result, so the server sees one request rather than a burst that its
 * throttling would answer with 429. Failures are not cached. Thread-safe; no I/O under the lock.
 *
 * @param <K> keys (records or URIs: anything with value equality)
 * @param <V> the common type of the values; {@link #get} asks for a subtype
 * @param <E> what loaders throw
 */
public final class ExpiringCache<K, V, E extends Exception> {
  /** Loads a value on a miss. */
  @FunctionalInterface
  public interface Loader<T, E extends Exception> {
    T load() throws E;
  }

  /** The exceptions of callers that waited for another caller's load. */
  public interface Failures<E extends Exception> {
    /** A fresh exception for this caller; {@code failure} (the loader's) should be its cause. */
    E shared(E failure);

    /** This caller was interrupted while waiting; the interrupt flag is already restored. */
    E interrupted(InterruptedException e);

    /** Failures made by these two functions. */
    static <E extends Exception> Failures<E> of(UnaryOperator<E> shared,
        Function<InterruptedException, E> interrupted) {
      Objects.requireNonNull(shared, "shared");
      Objects.requireNonNull(interrupted, "interrupted");
      return new Failures<>() {
        @Override
        public E shared(E failure) {
          return shared.apply(failure);
        }

        @Override
        public E interrupted(InterruptedException e) {
          return interrupted.apply(e);
        }
      };
    }
  }

  private record Entry(Object value, Instant expires) {}

  private final int capacity;
  private final Clock clock;
  private final @Nullable Duration maxAge;
  private final Failures<E> failures;
  private final LinkedHashMap<K, Entry> entries;
  private final ConcurrentHashMap<K, CompletableFuture<Object>> inFlight =
      new ConcurrentHashMap<>();

  /**
   * @param maxAge keep no value longer than this even if it is still valid; null: only by expiry
   */
  public ExpiringCache(Clock clock, int capacity, @Nullable Duration maxAge,
      Failures<E> failures) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0");
    }
    if (maxAge != null && maxAge.isNegative()) {
      throw new IllegalArgumentException("maxAge must be >= 0");
    }
    this.capacity = capacity;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxAge = maxAge;
    this.failures = Objects.requireNonNull(failures, "failures");
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Entry> eldest) {
        return size() > ExpiringCache.this.capacity;
      }
    };
  }

  /**
   * The live value for {@code key}, else the one {@code loader} produces, kept until {@code
   * expiry} of it (capped by the max age); a value already expired is returned but not kept. An
   * entry of another type than {@code type} counts as a miss.
   */
  public <T extends V> T get(K key, Class<T> type, Loader<? extends T, ? extends E> loader,
      Function<? super T, Instant> expiry) throws E {
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
    } catch (Throwable t) {
      mine.completeExceptionally(t);
      throw t;
    } finally {
      inFlight.remove(key, mine);
    }
  }

  private <T> T await(CompletableFuture<Object> future, Class<T> type) throws E {
    try {
      return type.cast(future.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failures.interrupted(e);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException r) {
        throw r;
      }
      if (c instanceof Error err) {
        throw err;
      }
      // Loaders throw only E, RuntimeException and Error.
      @SuppressWarnings("unchecked")
      E failure = (E) c;
      throw failures.shared(failure);
    }
  }

  private synchronized <T> @Nullable T lookup(K key, Class<T> type) {
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

  private synchronized void put(K key, Object value, Instant expires) {
    Instant now = clock.instant();
    if (maxAge != null && now.plus(maxAge).isBefore(expires)) {
      expires = now.plus(maxAge);
    }
    if (capacity > 0 && now.isBefore(expires)) {
      entries.put(key, new Entry(value, expires));
    }
  }

  /** Drops every entry (loads under way still complete for their callers). */
  public synchronized void clear() {
    entries.clear();
  }

  /** Entries kept, live or not yet found expired. */
  public synchronized int size() {
    return entries.size();
  }
}
