package dev.carapace.tdx.pcs;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parsed documents by URL, each valid until its own expiry instant; at most {@code capacity}
 * entries, least recently used evicted first. Thread-safe (one lock; no I/O under it).
 */
final class DocumentCache {
  private record Entry(Object value, Instant expires) {}

  private final int capacity;
  private final LinkedHashMap<URI, Entry> entries;

  DocumentCache(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0");
    }
    this.capacity = capacity;
    this.entries = new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<URI, Entry> eldest) {
        return size() > DocumentCache.this.capacity;
      }
    };
  }

  /** The live entry for {@code key}, or null if absent or expired at {@code now}. */
  synchronized <T> @Nullable T get(URI key, Class<T> type, Instant now) {
    Entry e = entries.get(key);
    if (e == null) {
      return null;
    }
    if (!now.isBefore(e.expires()) || !type.isInstance(e.value())) {
      entries.remove(key);
      return null;
    }
    return type.cast(e.value());
  }

  /** Stores {@code value} until {@code expires}; values already expired at {@code now} are not. */
  synchronized void put(URI key, Object value, Instant expires, Instant now) {
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
