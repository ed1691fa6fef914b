package app.liuliang.sop;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * {@code scripts/bench-sop.sh}: (1) validate + store + schedule the shipped week plan (a changed
 * file each round, so every round does the full work); (2) fan one personal item out over 30,000
 * contacts (3 staff, 3 batches of ≤10,000), from the audience query to the outbox rows. Prints
 * median and p99 in milliseconds. Runs on an in-memory SQLite store; nothing leaves the machine.
 */
public final class SopBench {

  public static void main(String[] args) throws Exception {
    int reloads = args.length > 0 ? Integer.parseInt(args[0]) : 50;
    int fanouts = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    int contacts = args.length > 2 ? Integer.parseInt(args[2]) : 30_000;
    System.out.println("sop bench: " + reloads + " plan reloads, " + fanouts + " fan-outs over " + contacts + " contacts");

    List<Double> reload = new ArrayList<>();
    try (SopFixture fx = new SopFixture()) {
      String plan = WeekTemplate.render(java.nio.file.Path.of("config"), "2026-W48");
      for (int i = 0; i < reloads + 5; i++) {
        fx.write("sop/2026-W48.yaml", plan.replace("19:00", String.format("19:%02d", i % 60)) + "\n# round " + i + "\n");
        long start = System.nanoTime();
        List<SopFeature.PlanResult> results = fx.feature.reload();
        long took = System.nanoTime() - start;
        if (results.size() != 1 || !results.get(0).valid()) {
          throw new IllegalStateException("plan did not load: " + results);
        }
        if (i >= 5) {
          reload.add(took / 1e6);
        }
      }
      System.out.println("  jobs scheduled: " + fx.engine().scheduler().itemJobs().size());
    }
    report("validate+store+schedule week plan (16 items)", reload);

    List<Double> fanout = new ArrayList<>();
    for (int round = 0; round < fanouts; round++) {
      try (SopFixture fx = new SopFixture()) {
        seed(fx, contacts);
        fx.write("sop/2026-W48.yaml", """
            week: 2026-W48
            personal:
              - id: wed-implant
                day: wed
                at: "19:00"
                audience: {layers: [intent, potential], exclude_tags: [有投诉]}
                text: "{name}您好，陈医生这周三到周日都在。"
            """);
        fx.feature.reload();
        fx.clock.set(SopFixture.shanghai("2026-11-25T19:00"));
        long start = System.nanoTime();
        fx.engine().fire("2026-W48", "wed-implant");
        fanout.add((System.nanoTime() - start) / 1e6);
        if (round == 0) {
          System.out.println("  " + fx.engine().repository().item("2026-W48", "wed-implant").orElseThrow().detail()
              + "; outbox rows: " + fx.outbox("sop.personal").size());
        }
      }
    }
    report("fan out one personal item over " + contacts + " contacts", fanout);
  }

  private static void seed(SopFixture fx, int n) {
    long now = fx.clock.millis();
    String[] staff = {"assistant-lily", "dr-wang", "dr-chen"};
    fx.database.jdbi().useTransaction(h -> {
      var contacts = h.prepareBatch("INSERT INTO contacts (external_userid, name, layer, added_at, updated_at) VALUES (?, ?, ?, ?, ?)");
      var follows = h.prepareBatch("INSERT INTO contact_follows (external_userid, userid, added_at) VALUES (?, ?, ?)");
      var tags = h.prepareBatch("INSERT INTO contact_tags (external_userid, tag_name, source, added_at) VALUES (?, ?, 'staff', ?)");
      for (int i = 0; i < n; i++) {
        String id = String.format("wmBench%06d", i);
        contacts.add(id, "患者" + i, i % 2 == 0 ? "intent" : "potential", now, now);
        follows.add(id, staff[i % 3], now);
        tags.add(id, i % 97 == 0 ? "有投诉" : "需求-种植", now);
      }
      contacts.execute();
      follows.execute();
      tags.execute();
    });
  }

  private static void report(String what, List<Double> millis) {
    List<Double> sorted = new ArrayList<>(millis);
    Collections.sort(sorted);
    double median = sorted.get(sorted.size() / 2);
    double p99 = sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(sorted.size() * 0.99) - 1));
    System.out.printf(Locale.ROOT, "%-55s n=%d median=%.1f ms p99=%.1f ms max=%.1f ms%n", what, sorted.size(), median, p99,
        sorted.get(sorted.size() - 1));
  }
}
