package dev.carapace.evidence.io.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * Collects a response body of at most {@code limit} bytes. A declared {@code Content-Length} over
 * the limit is refused before reading; a body that grows past it is cancelled. Either way the
 * body fails with {@link TooLargeException} -- unless the subscriber truncates (used for error
 * bodies, kept only for a short excerpt): then it completes with the first {@code limit} bytes.
 */
public final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  /** The body exceeded the limit. */
  public static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  private final int limit;
  private final long declared;
  private final boolean truncate;
  private final CompletableFuture<byte[]> body = new CompletableFuture<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private Flow.@Nullable Subscription subscription;

  /**
   * @param limit most bytes kept
   * @param declared the declared {@code Content-Length}, or -1
   * @param truncate complete with the first {@code limit} bytes instead of failing
   */
  public BoundedBodySubscriber(int limit, long declared, boolean truncate) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must be >= 0");
    }
    this.limit = limit;
    this.declared = declared;
    this.truncate = truncate;
  }

  /**
   * Bodies of 200 responses bounded by {@code limit} (else {@link TooLargeException}); bodies of
   * other responses truncated to {@code errorExcerpt} bytes.
   */
  public static HttpResponse.BodyHandler<byte[]> handler(int limit, int errorExcerpt) {
    return info -> {
      if (info.statusCode() != 200) {
        return new BoundedBodySubscriber(errorExcerpt, -1L, true);
      }
      long declared;
      try {
        declared = info.headers().firstValueAsLong("Content-Length").orElse(-1L);
      } catch (NumberFormatException e) {
        declared = -1L;
      }
      return new BoundedBodySubscriber(limit, declared, false);
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (!truncate && declared > limit) {
      // Fail the body before cancelling, so the caller sees TooLargeException.
      body.completeExceptionally(new TooLargeException(
          "Content-Length " + declared + " exceeds " + limit + " bytes"));
      s.cancel();
      return;
    }
    s.request(Long.MAX_VALUE);
  }

  @Override
  public void onNext(List<ByteBuffer> buffers) {
    if (body.isDone()) {
      return;
    }
    for (ByteBuffer buffer : buffers) {
      int n = buffer.remaining();
      if ((long) out.size() + n > limit) {
        if (truncate) {
          byte[] part = new byte[limit - out.size()];
          buffer.get(part);
          out.write(part, 0, part.length);
          body.complete(out.toByteArray());
        } else {
          body.completeExceptionally(new TooLargeException("body exceeds " + limit + " bytes"));
        }
        Flow.Subscription s = subscription;
        if (s != null) {
          s.cancel();
        }
        return;
      }
      byte[] chunk = new byte[n];
      buffer.get(chunk);
      out.write(chunk, 0, n);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    body.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    body.complete(out.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return body;
  }
}
