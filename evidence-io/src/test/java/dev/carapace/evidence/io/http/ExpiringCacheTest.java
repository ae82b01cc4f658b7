package dev.carapace.evidence.io.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.carapace.evidence.io.testing.MutableClock;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class ExpiringCacheTest {
  private static final Instant T0 = Instant.parse("2024-01-01T00:00:00Z");

  /** Fresh exceptions for waiters, as the evidence modules make them. */
  private static final ExpiringCache.Failures<IOException> FAILURES = ExpiringCache.Failures.of(
      e -> new IOException("shared: " + e.getMessage(), e), e -> new IOException("interrupted", e));

  private final MutableClock clock = new MutableClock(T0);
  private final AtomicInteger loads = new AtomicInteger();

  private ExpiringCache<String, Object, IOException> cache(int capacity, Duration maxAge) {
    return new ExpiringCache<>(clock, capacity, maxAge, FAILURES);
  }

  /** Loads "value-N", valid for an hour. */
  private String load(ExpiringCache<String, Object, IOException> cache, String key)
      throws IOException {
    return cache.get(key, String.class, () -> "value-" + loads.incrementAndGet(),
        v -> clock.instant().plus(Duration.ofHours(1)));
  }

  @Test
  void getWhenLiveThenCachedUntilExpiry() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(8, null);
    assertThat(load(cache, "a")).isEqualTo("value-1");
    clock.advance(Duration.ofMinutes(59));
    assertThat(load(cache, "a")).isEqualTo("value-1");
    clock.advance(Duration.ofMinutes(1));
    assertThat(load(cache, "a")).isEqualTo("value-2");
    assertThat(cache.size()).isEqualTo(1);
  }

  @Test
  void getWhenMaxAgeIsShorterThanExpiryThenRefetchedAfterMaxAge() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(8, Duration.ofMinutes(5));
    load(cache, "a");
    clock.advance(Duration.ofMinutes(5));
    assertThat(load(cache, "a")).isEqualTo("value-2");
  }

  @Test
  void getWhenValueIsAlreadyExpiredThenReturnedButNotKept() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(8, null);
    assertThat(cache.get("a", String.class, () -> "old", v -> Instant.MIN)).isEqualTo("old");
    assertThat(cache.size()).isZero();
  }

  @Test
  void getWhenOverCapacityThenLeastRecentlyUsedEvicted() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(2, null);
    load(cache, "a");
    load(cache, "b");
    load(cache, "a"); // a is now the most recently used
    load(cache, "c"); // evicts b
    assertThat(cache.size()).isEqualTo(2);
    assertThat(load(cache, "a")).isEqualTo("value-1");
    assertThat(load(cache, "b")).isEqualTo("value-4");
  }

  @Test
  void getWhenCapacityIsZeroThenNothingIsKept() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(0, null);
    load(cache, "a");
    load(cache, "a");
    assertThat(loads).hasValue(2);
    assertThat(cache.size()).isZero();
  }

  @Test
  void getWhenEntryHasAnotherTypeThenMiss() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(8, null);
    load(cache, "a");
    Integer n = cache.get("a", Integer.class, () -> 42, v -> T0.plusSeconds(60));
    assertThat(n).isEqualTo(42);
  }

  @Test
  void getWhenLoaderFailsThenFailureIsNotCached() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(8, null);
    assertThatThrownBy(() -> cache.get("a", String.class, () -> {
      throw new IOException("down");
    }, v -> T0.plusSeconds(60))).isInstanceOf(IOException.class).hasMessage("down");
    assertThat(load(cache, "a")).isEqualTo("value-1");
  }

  @Test
  void clearThenEverythingIsRefetched() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(8, null);
    load(cache, "a");
    cache.clear();
    assertThat(cache.size()).isZero();
    assertThat(load(cache, "a")).isEqualTo("value-2");
  }

  @Test
  void getWhenConcurrentMissesThenOneLoadAndEveryoneGetsItsValue() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(8, null);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> cache.get("a", String.class, () -> {
          loads.incrementAndGet();
          await(release);
          return "shared";
        }, v -> T0.plusSeconds(60))));
      }
      Thread.sleep(100); // let the others queue behind the first load
      release.countDown();
      for (Future<String> f : results) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo("shared");
      }
      assertThat(loads).hasValue(1);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void getWhenConcurrentLoadFailsThenWaitersGetFreshExceptionsWithItAsCause() throws Exception {
    ExpiringCache<String, Object, IOException> cache = cache(8, null);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    IOException down = new IOException("down");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      Future<String> loader = pool.submit(() -> cache.get("a", String.class, () -> {
        loading.countDown();
        await(release);
        throw down;
      }, v -> T0.plusSeconds(60)));
      loading.await(10, TimeUnit.SECONDS);
      AtomicReference<Thread> waiterThread = new AtomicReference<>();
      Future<String> waiter = pool.submit(() -> {
        waiterThread.set(Thread.currentThread());
        return cache.get("a", String.class, () -> "not called", v -> T0.plusSeconds(60));
      });
      awaitParked(waiterThread);
      release.countDown();
      assertThatThrownBy(() -> loader.get(10, TimeUnit.SECONDS)).hasCause(down);
      assertThatThrownBy(() -> waiter.get(10, TimeUnit.SECONDS))
          .cause().isInstanceOf(IOException.class).isNotSameAs(down)
          .hasMessage("shared: down").cause().isSameAs(down);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A latch wait inside a loader, which may throw only IOException. */
  private static void await(CountDownLatch latch) throws IOException {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /** Waits until the thread in {@code holder} waits (for the other caller's load). */
  private static void awaitParked(AtomicReference<Thread> holder) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (holder.get() == null || holder.get().getState() != Thread.State.WAITING) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the second caller never waited");
      }
      Thread.sleep(5);
    }
  }

  @Test
  void constructorWhenCapacityOrMaxAgeNegativeThenIllegalArgument() {
    assertThatThrownBy(() -> cache(-1, null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> cache(1, Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
