package dev.carapace.tdx.pcs;

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
 * Collects a response body into memory but never more than {@code limit} bytes: a larger
 * {@code Content-Length} is refused before any byte is read, and a body that grows past the limit
 * is cancelled. Either way the body completes with {@link TooLargeException}.
 */
final class BoundedBodySubscriber implements HttpResponse.BodySubscriber<byte[]> {
  /** The body was larger than the limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException(String message) {
      super(message);
    }
  }

  private final int limit;
  private final long declaredLength;
  private final CompletableFuture<byte[]> result = new CompletableFuture<>();
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private Flow.@Nullable Subscription subscription;

  BoundedBodySubscriber(int limit, long declaredLength) {
    this.limit = limit;
    this.declaredLength = declaredLength;
  }

  /** A body handler whose bodies are bounded by {@code limit} bytes. */
  static HttpResponse.BodyHandler<byte[]> handler(int limit) {
    return info -> {
      long declared;
      try {
        declared = info.headers().firstValueAsLong("Content-Length").orElse(-1);
      } catch (NumberFormatException e) {
        declared = -1;
      }
      return new BoundedBodySubscriber(limit, declared);
    };
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    subscription = s;
    if (declaredLength > limit) {
      // Complete first: cancelling makes the client fail the exchange with its own exception.
      result.completeExceptionally(new TooLargeException(
          "Content-Length " + declaredLength + " exceeds the limit of " + limit + " bytes"));
      s.cancel();
    } else {
      s.request(Long.MAX_VALUE);
    }
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    if (result.isDone()) {
      return;
    }
    for (ByteBuffer item : items) {
      int n = item.remaining();
      if ((long) buffer.size() + n > limit) {
        result.completeExceptionally(
            new TooLargeException("body exceeds the limit of " + limit + " bytes"));
        if (subscription != null) {
          subscription.cancel();
        }
        return;
      }
      byte[] chunk = new byte[n];
      item.get(chunk);
      buffer.write(chunk, 0, n);
    }
  }

  @Override
  public void onError(Throwable throwable) {
    result.completeExceptionally(throwable);
  }

  @Override
  public void onComplete() {
    result.complete(buffer.toByteArray());
  }

  @Override
  public CompletionStage<byte[]> getBody() {
    return result;
  }
}
