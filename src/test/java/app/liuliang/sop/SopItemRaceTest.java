package app.liuliang.sop;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.app.Json;
import app.liuliang.store.Database;
import app.liuliang.store.StoreKind;
import app.liuliang.store.TestStores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A plan reload on one node and item claims on another, racing: no claimed item is ever reset to
 * scheduled (which would send it a second time), and status changes after the claim are compare-and-sets.
 */
class SopItemRaceTest {

  private static final String WEEK = "2026-W49";
  private static final int ITEMS = 200;

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void aReloadNeverResetsAnItemAnotherNodeClaimed(StoreKind kind) throws Exception {
    try (Database db = TestStores.create(kind)) {
      SopRepository reloading = new SopRepository(db, Json.mapper());
      SopRepository firing = new SopRepository(db, Json.mapper());
      reloading.replaceItems(plan("v1"), 1);
      ExecutorService nodes = Executors.newFixedThreadPool(2);
      try {
        CountDownLatch go = new CountDownLatch(1);
        Future<List<String>> claimed = nodes.submit(() -> {
          go.await();
          List<String> mine = new ArrayList<>();
          for (int i = 0; i < ITEMS; i++) {
            if (firing.claim(WEEK, id(i), 2)) {
              mine.add(id(i));
            }
          }
          return mine;
        });
        Future<?> reloads = nodes.submit(() -> {
          go.await();
          for (int edit = 0; edit < 20; edit++) {
            reloading.replaceItems(plan("v" + (edit + 2)), 3);
          }
          return null;
        });
        go.countDown();
        reloads.get();
        List<String> mine = claimed.get();
        assertThat(mine).as("every item was claimed once").hasSize(ITEMS);
        for (String id : mine) {
          assertThat(firing.item(WEEK, id).orElseThrow().status()).as(id).isEqualTo(SopRepository.SENDING);
        }
      } finally {
        nodes.shutdownNow();
      }
    }
  }

  @ParameterizedTest
  @MethodSource("app.liuliang.store.TestStores#kinds")
  void onlyOneNodeMovesAnItemOnFromTheStatusBothRead(StoreKind kind) {
    try (Database db = TestStores.create(kind)) {
      SopRepository a = new SopRepository(db, Json.mapper());
      SopRepository b = new SopRepository(db, Json.mapper());
      a.replaceItems(plan("v1"), 1);
      assertThat(a.claim(WEEK, id(0), 2)).isTrue();
      assertThat(b.claim(WEEK, id(0), 2)).isFalse();
      // Both recovering nodes saw it 'sending': one resumes it.
      boolean aResumed = a.moveStatus(WEEK, id(0), SopRepository.SENDING, SopRepository.SCHEDULED, "resuming", 3);
      boolean bResumed = b.moveStatus(WEEK, id(0), SopRepository.SENDING, SopRepository.SCHEDULED, "resuming", 3);
      assertThat(List.of(aResumed, bResumed)).containsExactly(true, false);
      // A late "missed" from a node that read it scheduled does not overwrite a claim made since.
      assertThat(b.claim(WEEK, id(0), 4)).isTrue();
      boolean missed = a.moveStatus(WEEK, id(0), SopRepository.SCHEDULED, SopRepository.MISSED, "late", 5);
      assertThat(missed).isFalse();
      assertThat(a.item(WEEK, id(0)).orElseThrow().status()).isEqualTo(SopRepository.SENDING);
    }
  }

  private static LoadedPlan plan(String version) {
    List<SopItem> items = IntStream.range(0, ITEMS)
        .mapToObj(i -> new SopItem(WEEK, id(i), "post", SopItem.PERSONAL, 1_000_000L + i, List.of("assistant-lily"),
            null, "本周提醒 " + version, null, null))
        .toList();
    return new LoadedPlan(WEEK, Path.of("config/sop/" + WEEK + ".yaml"), version, items);
  }

  private static String id(int i) {
    return "item-" + i;
  }
}
