package dev.carapace.tdx.pcs;

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
    BoundedBodySubscriber s = new BoundedBodySubscriber(10, 11);
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
    BoundedBodySubscriber s = new BoundedBodySubscriber(10, -1);
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
    BoundedBodySubscriber s = new BoundedBodySubscriber(10, 10);
    s.onSubscribe(new RecordingSubscription());
    s.onNext(List.of(ByteBuffer.wrap(new byte[] {1, 2, 3}), ByteBuffer.wrap(new byte[7])));
    s.onComplete();
    assertThat(s.getBody().toCompletableFuture().get()).hasSize(10).startsWith(1, 2, 3);
  }
}
