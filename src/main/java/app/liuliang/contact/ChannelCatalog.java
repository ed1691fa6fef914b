package app.liuliang.contact;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code config/channels.yaml}: where new patients come from. A contact way's {@code state} names a
 * channel exactly ({@code states}) or by prefix ({@code state_prefix}, e.g. {@code ref:} for
 * referral codes); each channel has a source tag from {@code tags.yaml}.
 *
 * @param channels every channel; {@code unknown} must be one of them
 */
public record ChannelCatalog(List<Channel> channels) {

  public static final String FILE = "channels.yaml";
  public static final String UNKNOWN = "unknown";
  public static final String REFERRAL = "referral";
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");

  /**
   * One source of patients.
   *
   * @param id          used by welcome templates, e.g. {@code meituan}
   * @param name        shown to staff, e.g. 美团
   * @param states      contact-way states that mean this channel (exact match)
   * @param statePrefix states starting with this mean this channel ({@code ref:} for referrals)
   * @param tag         the source tag every contact from here carries
   */
  public record Channel(String id, String name, List<String> states, String statePrefix, String tag) {
    public Channel {
      states = states == null ? List.of() : List.copyOf(states);
      name = name == null ? id : name;
    }
  }

  public ChannelCatalog {
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  /** Loads and checks the file against the tag catalog (skipped when that one is invalid). */
  public static ChannelCatalog load(Path configDir, YamlReader yaml, TagCatalog tags, Problems problems) {
    YamlDocument<ChannelCatalog> doc = yaml.read(configDir.resolve(FILE), ChannelCatalog.class, problems);
    if (!doc.isValid()) {
      return null;
    }
    Problems found = new Problems();
    doc.value().check(doc, tags, found);
    problems.addAll(found);
    return found.isEmpty() ? doc.value() : null;
  }

  private void check(YamlDocument<ChannelCatalog> doc, TagCatalog tags, Problems problems) {
    Set<String> ids = new HashSet<>();
    Map<String, String> stateOwner = new HashMap<>();
    for (int i = 0; i < channels.size(); i++) {
      Channel c = channels.get(i);
      String at = "/channels/" + i;
      if (c.id() == null || !ID.matcher(c.id()).matches()) {
        problems.add(doc.problem(at + "/id", "channel id \"" + c.id() + "\" must be lower case letters, digits or _",
            "e.g. meituan, free_clinic"));
        continue;
      }
      if (!ids.add(c.id())) {
        problems.add(doc.problem(at + "/id", "duplicate channel \"" + c.id() + "\"", "each channel appears once"));
      }
      for (int s = 0; s < c.states().size(); s++) {
        String state = c.states().get(s);
        if (state.isEmpty() || state.length() > 30) {
          problems.add(doc.problem(at + "/states/" + s, "state \"" + state + "\" must be 1 to 30 characters",
              "WeCom's contact way state is at most 30 characters"));
        }
        String before = stateOwner.putIfAbsent(state, c.id());
        if (before != null) {
          problems.add(doc.problem(at + "/states/" + s, "state \"" + state + "\" already belongs to channel \"" + before + "\"", ""));
        }
      }
      if (REFERRAL.equals(c.id()) && (c.statePrefix() == null || c.statePrefix().isEmpty())) {
        problems.add(doc.problem(at, "the referral channel needs a state_prefix", "e.g. state_prefix: \"ref:\""));
      }
      if (c.tag() == null || (tags != null && !tags.contains(c.tag()))) {
        problems.add(doc.problem(at + "/tag", "unknown tag \"" + c.tag() + "\"", "add it to a group in tags.yaml"));
      }
    }
    if (!ids.contains(UNKNOWN)) {
      problems.add(doc.problem("/channels", "no \"unknown\" channel", "patients with an empty or unknown state need one"));
    }
  }

  public Optional<Channel> find(String id) {
    return channels.stream().filter(c -> c.id().equals(id)).findFirst();
  }

  public Channel unknown() {
    return find(UNKNOWN).orElseThrow();
  }

  public List<String> ids() {
    return channels.stream().map(Channel::id).toList();
  }
}
