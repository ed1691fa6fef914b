package app.liuliang.contact;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code config/tags.yaml}: the corp tags Liuliang manages (few but accurate), which of them mark
 * each layer, the KOC tag, the opted-out tag, and how many top referrers count as KOC.
 *
 * @param groups        tag groups as WeCom shows them (group name → tag names)
 * @param layerTags     layer id (stranger, potential, intent, ordered, repeat, super) → tag name
 * @param kocTag        the super-customer tag for the top referrers
 * @param optedOutTag   the tag that marks a patient who opted out
 * @param topReferrers  how many top referrers carry the KOC tag (default 50)
 */
public record TagCatalog(List<TagGroup> groups, Map<String, String> layerTags, String kocTag,
    String optedOutTag, Integer topReferrers) {

  public static final String FILE = "tags.yaml";
  public static final List<String> LAYERS = List.of("stranger", "potential", "intent", "ordered", "repeat", "super");

  /** One WeCom tag group. */
  public record TagGroup(String group, List<String> tags) {
    public TagGroup {
      tags = tags == null ? List.of() : List.copyOf(tags);
    }
  }

  public TagCatalog {
    groups = groups == null ? List.of() : List.copyOf(groups);
    layerTags = layerTags == null ? Map.of() : new LinkedHashMap<>(layerTags);
    topReferrers = topReferrers == null ? 50 : topReferrers;
  }

  /** Loads and checks the file; null when it has problems (they are in {@code problems}). */
  public static TagCatalog load(Path configDir, YamlReader yaml, Problems problems) {
    return yaml.load(configDir.resolve(FILE), TagCatalog.class, problems, (doc, found) -> doc.value().check(doc, found));
  }

  private void check(YamlDocument<TagCatalog> doc, Problems problems) {
    Set<String> seen = new HashSet<>();
    for (int g = 0; g < groups.size(); g++) {
      TagGroup group = groups.get(g);
      if (group.group() == null || group.group().isBlank() || group.group().length() > 30) {
        problems.add(doc.problem("/groups/" + g + "/group", "a tag group needs a name of 1 to 30 characters", ""));
      }
      for (int t = 0; t < group.tags().size(); t++) {
        String tag = group.tags().get(t);
        if (tag.length() > 30) {
          problems.add(doc.problem("/groups/" + g + "/tags/" + t, "tag \"" + tag + "\" is longer than WeCom's 30 characters", ""));
        }
        if (!seen.add(tag)) {
          problems.add(doc.problem("/groups/" + g + "/tags/" + t, "tag \"" + tag + "\" is listed twice", "a tag belongs to one group"));
        }
      }
    }
    for (String layer : LAYERS) {
      if (!layerTags.containsKey(layer)) {
        problems.add(doc.problem("/layer_tags", "layer \"" + layer + "\" has no tag", "layers: " + LAYERS));
      }
    }
    for (Map.Entry<String, String> e : layerTags.entrySet()) {
      if (!LAYERS.contains(e.getKey())) {
        problems.add(doc.problem("/layer_tags/" + e.getKey(), "unknown layer \"" + e.getKey() + "\"", "layers: " + LAYERS));
      }
      if (!seen.contains(e.getValue())) {
        problems.add(doc.problem("/layer_tags/" + e.getKey(), "tag \"" + e.getValue() + "\" is not in any group", "add it to a group above"));
      }
    }
    if (kocTag == null || !seen.contains(kocTag)) {
      problems.add(doc.problem("/koc_tag", "koc_tag \"" + kocTag + "\" is not in any group", "add it to a group above"));
    }
    if (optedOutTag == null || !seen.contains(optedOutTag)) {
      problems.add(doc.problem("/opted_out_tag", "opted_out_tag \"" + optedOutTag + "\" is not in any group", "add it to a group above"));
    }
    if (topReferrers < 1 || topReferrers > 1000) {
      problems.add(doc.problem("/top_referrers", "top_referrers must be 1..1000, was " + topReferrers, ""));
    }
  }

  public boolean contains(String tag) {
    return groups.stream().anyMatch(g -> g.tags().contains(tag));
  }

  public Optional<String> groupOf(String tag) {
    return groups.stream().filter(g -> g.tags().contains(tag)).map(TagGroup::group).findFirst();
  }

  public String layerTag(String layer) {
    return layerTags.get(layer);
  }
}
