package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MomentPacerTest {

  @Test
  void noMinuteHoldsMoreThanTheConfiguredMomentsCreations() {
    MomentPacer pacer = new MomentPacer(9);
    Instant now = Instant.parse("2026-11-23T01:30:00Z");
    List<Instant> slots = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      slots.add(pacer.nextSlot(now));
    }
    assertThat(slots.get(0)).isEqualTo(now);
    for (int i = 0; i + 9 < slots.size(); i++) {
      assertThat(slots.get(i + 9)).as("the 10th creation after #" + i).isAfterOrEqualTo(slots.get(i).plusSeconds(60));
    }
  }
}
