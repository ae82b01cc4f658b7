package dev.carapace.runtime.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.LongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class GuestMemoryTest {
  static Stream<LongFunction<GuestMemory>> implementations() {
    return Stream.of(HeapGuestMemory::new, SparseGuestMemory::new);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void readWhenNothingWrittenThenZero(LongFunction<GuestMemory> factory) {
    GuestMemory m = factory.apply(1 << 20);

    assertThat(m.read(12345, 10000)).containsOnly(0);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void writeWhenCrossingPagesThenReadBackExactlyAndNeighboursUntouched(
      LongFunction<GuestMemory> factory) {
    GuestMemory m = factory.apply(1 << 20);
    byte[] data = new byte[10000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) (i * 31 + 7);
    }

    m.write(4000, data, 0, data.length);

    assertThat(m.read(4000, data.length)).isEqualTo(data);
    assertThat(m.read(3999, 1)[0]).isZero();
    assertThat(m.read(14000, 1)[0]).isZero();
    byte[] part = new byte[20];
    m.read(4090, part, 5, 10);
    assertThat(part[5]).isEqualTo(data[90]);
    assertThat(part[4]).isZero();
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void accessWhenOutsideTheMemoryOrArrayThenIndexOutOfBounds(LongFunction<GuestMemory> factory) {
    GuestMemory m = factory.apply(8192);

    assertThatThrownBy(() -> m.write(8190, new byte[4])).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> m.read(-1, 1)).isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> m.write(0, new byte[4], 2, 3))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThat(m.read(8191, 1)).hasSize(1);
  }

  @ParameterizedTest
  @MethodSource("implementations")
  void writeWhenAbove4GiBThenAddressedCorrectly(LongFunction<GuestMemory> factory) {
    long size = factory.apply(0) instanceof SparseGuestMemory ? 6L << 30 : 80L << 20;
    GuestMemory m = factory.apply(size);
    long at = size - 3;

    m.write(at, new byte[] {1, 2, 3});

    assertThat(m.read(at, 3)).containsExactly(1, 2, 3);
  }

  @org.junit.jupiter.api.Test
  void sparseWhenLargeGuestPartlyWrittenThenStoresOnlyTouchedPages() {
    SparseGuestMemory m = new SparseGuestMemory(64L << 30);

    m.write((32L << 30) + 4095, new byte[2]);

    assertThat(m.storedPages()).isEqualTo(2);
  }
}
