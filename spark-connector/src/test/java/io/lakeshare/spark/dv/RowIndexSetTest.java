package io.lakeshare.spark.dv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RowIndexSetTest {
  private static final long HIGH = 3L << 32;

  private final RowIndexSet set = RowIndexSet.of(HIGH + 5, 0, 4095, 4096, 65_536, 0xFFFF_FFFFL, 0);

  @Test
  void holdsEachIndexOnceInAscendingOrder() {
    assertThat(set.cardinality()).isEqualTo(6);
    assertThat(set.toArray()).containsExactly(0, 4095, 4096, 65_536, 0xFFFF_FFFFL, HIGH + 5);
    List<Long> seen = new ArrayList<>();
    set.forEach(seen::add);
    assertThat(seen).containsExactly(0L, 4095L, 4096L, 65_536L, 0xFFFF_FFFFL, HIGH + 5);
  }

  @Test
  void answersContainsAcrossTheHigh32Bits() {
    assertThat(set.contains(0xFFFF_FFFFL)).isTrue();
    assertThat(set.contains(1L << 32)).isFalse();
    assertThat(set.contains(HIGH + 5)).isTrue();
    assertThat(set.contains(5)).isFalse();
    assertThat(set.contains(HIGH + 4)).isFalse();
    assertThat(set.contains(-1)).isFalse();
    assertThat(set.contains(Long.MIN_VALUE)).isFalse();
  }

  @Test
  void answersWhetherARangeHoldsAnyIndex() {
    assertThat(set.intersects(1, 4095)).isFalse();
    assertThat(set.intersects(1, 4096)).isTrue();
    assertThat(set.intersects(4097, 65_536)).isFalse();
    assertThat(set.intersects(65_537, 0xFFFF_FFFFL)).isFalse();
    assertThat(set.intersects(65_537, 1L << 32)).isTrue();
    assertThat(set.intersects(1L << 32, HIGH + 5)).isFalse();
    assertThat(set.intersects((1L << 32) - 2, HIGH + 6)).isTrue();
    assertThat(set.intersects(HIGH + 6, Long.MAX_VALUE)).isFalse();
    assertThat(set.intersects(-10, 1)).isTrue();
    assertThat(set.intersects(5, 5)).isFalse();
  }

  @Test
  void hasAnEmptyInstance() {
    assertThat(RowIndexSet.EMPTY.isEmpty()).isTrue();
    assertThat(RowIndexSet.EMPTY.cardinality()).isZero();
    assertThat(RowIndexSet.EMPTY.contains(0)).isFalse();
    assertThat(RowIndexSet.EMPTY.intersects(0, Long.MAX_VALUE)).isFalse();
    assertThat(RowIndexSet.EMPTY.toArray()).isEmpty();
    assertThat(RowIndexSet.of()).isSameAs(RowIndexSet.EMPTY);
  }

  @Test
  void rejectsNegativeIndexes() {
    assertThatThrownBy(() -> RowIndexSet.of(1, -2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("-2");
  }
}
