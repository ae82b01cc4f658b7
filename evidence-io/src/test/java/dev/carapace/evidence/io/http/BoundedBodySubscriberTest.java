package dev.carapace.evidence.io.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

class BoundedBodySubscriberTest {
  private static final class RecordingSubscription implements Flow.Subscription {
    long requested;
    boolean cancelled;

    @Override
    public void request(long n) {
      requested += n;
    }

    @Override
    public void cancel() {
      cancelled = true;
    }
  }

  @Test
  void onSubscribeWhenContentLengthExceedsLimitThenCancelsBeforeReading() {
    BoundedBodySubscriber s = new BoundedBodySubscriber(10, 11, false);
    RecordingSubscription sub = new RecordingSubscription();
    s.onSubscribe(sub);
    assertThat(sub.cancelled).isTrue();
    assertThat(sub.requested).isZero();
    assertThatThrownBy(() -> s.getBody().toCompletableFuture().get())
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(BoundedBodySubscriber.TooLargeException.class)
        .hasMessageContaining("Content-Length 11");
  }

  @Test
  void onNextWhenBodyGrowsPastLimitThenCancelsAndFails() {
    BoundedBodySubscriber s = new BoundedBodySubscriber(10, -1, false);
    RecordingSubscription sub = new RecordingSubscription();
    s.onSubscribe(sub);
    s.onNext(List.of(ByteBuffer.wrap(new byte[6])));
    assertThat(sub.cancelled).isFalse();
    s.onNext(List.of(ByteBuffer.wrap(new byte[5])));
    assertThat(sub.cancelled).isTrue();
    s.onComplete();
    assertThatThrownBy(() -> s.getBody().toCompletableFuture().get())
        .hasCauseInstanceOf(BoundedBodySubscriber.TooLargeException.class);
  }

  @Test
  void onCompleteWhenBodyFitsExactlyThenReturnsAllBytes() throws Exception {
    BoundedBodySubscriber s = new BoundedBodySubscriber(10, 10, false);
    s.onSubscribe(new RecordingSubscription());
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[7])));
    s.onComplete();
    assertThat(s.getBody().toCompletableFuture().get()).hasSize(10).startsWith(1, 2, 3);
  }

  @Test
  void onNextWhenTruncatingThenCompletesWithTheFirstBytesAndCancels() throws Exception {
    BoundedBodySubscriber s = new BoundedBodySubscriber(4, -1, true);
    RecordingSubscription sub = new RecordingSubscription();
    s.onSubscribe(sub);
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[] {4, 5})));
    assertThat(sub.cancelled).isTrue();
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {6})));
    s.onComplete();
    assertThat(s.getBody().toCompletableFuture().get()).containsExactly(1, 2, 3, 4);
  }

  @Test
  void onSubscribeWhenTruncatingAndContentLengthIsLargeThenStillReads() throws Exception {
    BoundedBodySubscriber s = new BoundedBodySubscriber(2, 100, true);
    RecordingSubscription sub = new RecordingSubscription();
    s.onSubscribe(sub);
    assertThat(sub.cancelled).isFalse();
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {7, 8, 9})));
    assertThat(s.getBody().toCompletableFuture().get()).containsExactly(7, 8);
  }

  @Test
  void onErrorThenBodyFailsWithThatError() {
    BoundedBodySubscriber s = new BoundedBodySubscriber(10, -1, false);
    s.onSubscribe(new RecordingSubscription());
    s.onError(new java.io.IOException("reset"));
    assertThatThrownBy(() -> s.getBody().toCompletableFuture().get())
        .hasCauseInstanceOf(java.io.IOException.class).hasMessageContaining("reset");
  }
}
