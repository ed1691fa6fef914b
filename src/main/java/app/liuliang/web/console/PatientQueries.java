package app.liuliang.web.console;

import app.liuliang.contact.TagCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Patients per layer and channel, and how they move between layers (from {@code layer_changes}). */
final class PatientQueries {

  record Count(String key, String label, long count) {
  }

  /**
   * One step up the layers: of the {@code entered} patients who were ever in {@code from}, how many
   * moved on to {@code to}.
   */
  record Conversion(String from, String to, long entered, long moved, int percent) {
  }

  record Transition(String from, String to, long count) {
  }

  private final Jdbi jdbi;
  private final ConsoleNames names;

  PatientQueries(Jdbi jdbi, ConsoleNames names) {
    this.jdbi = jdbi;
    this.names = names;
  }

  List<Count> byLayer() {
    Map<String, Long> counts = countBy("SELECT layer, COUNT(*) FROM contacts WHERE status = 'active' GROUP BY layer");
    List<Count> result = new ArrayList<>();
    for (String layer : TagCatalog.LAYERS) {
      result.add(new Count(layer, Labels.layer(layer), counts.getOrDefault(layer, 0L)));
    }
    counts.forEach((layer, n) -> {
      if (!TagCatalog.LAYERS.contains(layer)) {
        result.add(new Count(layer, layer, n));
      }
    });
    return result;
  }

  List<Count> byChannel() {
    return countBy("SELECT channel, COUNT(*) FROM contacts WHERE status = 'active' GROUP BY channel ORDER BY COUNT(*) DESC, channel")
        .entrySet().stream().map(e -> new Count(e.getKey(), names.channel(e.getKey()), e.getValue())).toList();
  }

  long total() {
    return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM contacts WHERE status = 'active'")
        .mapTo(Long.class).one());
  }

  /**
   * Each step up the ladder stranger → potential → ... → super. Two grouped queries, however many
   * patients: who was ever in each layer, and who made each move.
   */
  List<Conversion> conversions() {
    Map<String, Long> everIn = countBy("SELECT layer, COUNT(*) FROM ("
        + "SELECT external_userid, layer FROM contacts "
        + "UNION SELECT external_userid, from_layer FROM layer_changes "
        + "UNION SELECT external_userid, to_layer FROM layer_changes) ever GROUP BY layer");
    Map<String, Long> moved = countBy("SELECT from_layer || '>' || to_layer, COUNT(DISTINCT external_userid) "
        + "FROM layer_changes GROUP BY from_layer, to_layer");
    List<Conversion> result = new ArrayList<>();
    List<String> layers = TagCatalog.LAYERS;
    for (int i = 0; i + 1 < layers.size(); i++) {
      String from = layers.get(i);
      String to = layers.get(i + 1);
      long entered = everIn.getOrDefault(from, 0L);
      long movedOn = moved.getOrDefault(from + ">" + to, 0L);
      int percent = entered == 0 ? 0 : (int) Math.round(100.0 * movedOn / entered);
      result.add(new Conversion(Labels.layer(from), Labels.layer(to), entered, movedOn, percent));
    }
    return result;
  }

  /** Every recorded move, most frequent first (includes skips and moves down). */
  List<Transition> transitions() {
    return jdbi.withHandle(h -> h.createQuery("SELECT from_layer, to_layer, COUNT(*) FROM layer_changes "
            + "GROUP BY from_layer, to_layer ORDER BY COUNT(*) DESC, from_layer, to_layer LIMIT 30")
        .map((rs, ctx) -> new Transition(Labels.layer(rs.getString(1)), Labels.layer(rs.getString(2)), rs.getLong(3)))
        .list());
  }

  private Map<String, Long> countBy(String sql) {
    return jdbi.withHandle(h -> h.createQuery(sql).reduceRows(new LinkedHashMap<String, Long>(), (acc, row) -> {
      acc.put(row.getColumn(1, String.class), row.getColumn(2, Long.class));
      return acc;
    }));
  }
}
