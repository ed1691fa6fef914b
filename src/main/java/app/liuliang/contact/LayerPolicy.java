package app.liuliang.contact;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The layer ladder stranger → potential → intent → ordered → repeat → super. Automatic moves only
 * go up; staff, by tagging in WeCom, may set any layer.
 */
final class LayerPolicy {

  static final String STRANGER = "stranger";
  static final String POTENTIAL = "potential";
  static final String INTENT = "intent";
  static final String ORDERED = "ordered";
  static final String REPEAT = "repeat";
  static final String SUPER = "super";

  private LayerPolicy() {
  }

  static int rank(String layer) {
    int rank = TagCatalog.LAYERS.indexOf(layer);
    if (rank < 0) {
      throw new IllegalArgumentException("unknown layer \"" + layer + "\"; layers: " + TagCatalog.LAYERS);
    }
    return rank;
  }

  /** An automatic move from {@code from} to {@code to} happens only when it goes up. */
  static boolean isRaise(String from, String to) {
    return rank(to) > rank(from);
  }

  /** After a visit or an order: the first makes the patient ordered, the second a repeat patient. */
  static String afterPurchase(int visitsAndOrders) {
    return visitsAndOrders >= 2 ? REPEAT : ORDERED;
  }

  /**
   * The layer staff set by hand: a layer tag on the contact other than the current layer's (staff add
   * the new one and may leave the old); the highest if several. Empty when nothing changed.
   */
  static Optional<String> staffChoice(String current, Collection<String> tagNames, TagCatalog catalog) {
    List<String> chosen = TagCatalog.LAYERS.stream()
        .filter(layer -> !layer.equals(current) && tagNames.contains(catalog.layerTag(layer)))
        .toList();
    return chosen.isEmpty() ? Optional.empty() : Optional.of(chosen.get(chosen.size() - 1));
  }

  /** Every layer tag except {@code layer}'s: what a layer move removes so exactly one remains. */
  static List<String> otherLayerTags(String layer, TagCatalog catalog) {
    return TagCatalog.LAYERS.stream().filter(l -> !l.equals(layer)).map(catalog::layerTag).toList();
  }
}
