package app.liuliang.contact;

import app.liuliang.account.Accounts;
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
 * referral codes); each channel has a source tag from {@code tags.yaml}. A channel with a
 * {@code code} block gets 「联系我」 QR codes Liuliang creates in WeCom (one per listed store, or one
 * for the channel), whose states ({@code lc.<channel>[.<store>]}) resolve back to it.
 *
 * @param clinic     the clinic's name, printed on posters
 * @param posterLine the inviting line on posters (a code may have its own)
 * @param stores     branches a code can be made for, e.g. 总院, 城东分院
 * @param channels   every channel; {@code unknown} must be one of them
 */
public record ChannelCatalog(String clinic, String posterLine, List<Store> stores, List<Channel> channels) {

  public static final String FILE = "channels.yaml";
  public static final String UNKNOWN = "unknown";
  public static final String REFERRAL = "referral";
  private static final Pattern ID = Pattern.compile("[a-z][a-z0-9_]*");
  /** The prefix of the states of codes Liuliang made, so they never clash with hand-made ones. */
  public static final String CODE_STATE_PREFIX = "lc.";
  static final int MAX_STATE = 30;
  static final int MAX_ACCOUNTS = 100;

  /** A branch of the clinic. */
  public record Store(String id, String name) {
    public Store {
      name = name == null ? id : name;
    }
  }

  /**
   * The 「联系我」 codes to create for a channel.
   *
   * @param accounts   the staff behind the code: one → a single-person code, several → multi (≤100)
   * @param stores     store ids, each its own code; empty for one code for the channel
   * @param skipVerify patients are added without the staff member accepting (WeCom's default)
   * @param remark     WeCom's remark for the code (≤30 characters)
   * @param posterLine this code's inviting line on its poster, instead of the file's
   */
  public record CodeSpec(List<String> accounts, List<String> stores, Boolean skipVerify, String remark,
      String posterLine) {
    public CodeSpec {
      accounts = accounts == null ? List.of() : List.copyOf(accounts);
      stores = stores == null ? List.of() : List.copyOf(stores);
      skipVerify = skipVerify == null ? Boolean.TRUE : skipVerify;
      remark = remark == null ? "" : remark;
    }
  }

  /** One code to exist in WeCom: its state, and what it is for. */
  public record DeclaredCode(String state, Channel channel, Store store, List<String> accounts, boolean skipVerify,
      String remark, String posterLine) {

    /** The store's id, '' for a channel-wide code. */
    public String storeId() {
      return store == null ? "" : store.id();
    }
  }

  /**
   * One source of patients.
   *
   * @param id          used by welcome templates, e.g. {@code meituan}
   * @param name        shown to staff, e.g. 美团
   * @param states      contact-way states that mean this channel (exact match)
   * @param statePrefix states starting with this mean this channel ({@code ref:} for referrals)
   * @param tag         the source tag every contact from here carries
   * @param code        the 「联系我」 codes Liuliang creates for it, or null for none
   */
  public record Channel(String id, String name, List<String> states, String statePrefix, String tag, CodeSpec code) {
    public Channel {
      states = states == null ? List.of() : List.copyOf(states);
      name = name == null ? id : name;
    }
  }

  public ChannelCatalog {
    clinic = clinic == null ? "" : clinic;
    posterLine = posterLine == null ? "扫码添加，预约、咨询都可以找我" : posterLine;
    stores = stores == null ? List.of() : List.copyOf(stores);
    channels = channels == null ? List.of() : List.copyOf(channels);
  }

  /**
   * Loads and checks the file against the tag catalog and the accounts (each check skipped when
   * that file is invalid).
   */
  public static ChannelCatalog load(Path configDir, YamlReader yaml, TagCatalog tags, Accounts accounts,
      Problems problems) {
    YamlDocument<ChannelCatalog> doc = yaml.read(configDir.resolve(FILE), ChannelCatalog.class, problems);
    if (!doc.isValid()) {
      return null;
    }
    Problems found = new Problems();
    doc.value().check(doc, tags, found);
    doc.value().checkCodes(doc, accounts, found);
    problems.addAll(found);
    return found.isEmpty() ? doc.value() : null;
  }

  /** Every code to exist in WeCom, in file order: per channel with a {@code code}, one per store or one. */
  public List<DeclaredCode> codes() {
    List<DeclaredCode> codes = new java.util.ArrayList<>();
    for (Channel c : channels) {
      if (c.code() == null) {
        continue;
      }
      List<Store> at = c.code().stores().isEmpty() ? java.util.Collections.singletonList(null)
          : c.code().stores().stream().map(id -> store(id).orElse(new Store(id, id))).toList();
      for (Store store : at) {
        codes.add(new DeclaredCode(codeState(c.id(), store == null ? "" : store.id()), c, store, c.code().accounts(),
            c.code().skipVerify(), c.code().remark(), c.code().posterLine() == null ? posterLine : c.code().posterLine()));
      }
    }
    return codes;
  }

  /** {@code lc.meituan} or {@code lc.meituan.east}: deterministic, so a restart asks for the same code. */
  public static String codeState(String channelId, String storeId) {
    return CODE_STATE_PREFIX + channelId + (storeId.isEmpty() ? "" : "." + storeId);
  }

  public Optional<Store> store(String id) {
    return stores.stream().filter(s -> s.id().equals(id)).findFirst();
  }

  private void checkCodes(YamlDocument<ChannelCatalog> doc, Accounts accounts, Problems problems) {
    Set<String> storeIds = new HashSet<>();
    for (int i = 0; i < stores.size(); i++) {
      Store s = stores.get(i);
      if (s.id() == null || !ID.matcher(s.id()).matches()) {
        problems.add(doc.problem("/stores/" + i + "/id", "store id \"" + s.id() + "\" must be lower case letters, digits or _",
            "e.g. main, east; the name (城东分院) is what staff see"));
      } else if (!storeIds.add(s.id())) {
        problems.add(doc.problem("/stores/" + i + "/id", "duplicate store \"" + s.id() + "\"", "each store appears once"));
      }
    }
    Set<String> hand = new HashSet<>();
    channels.forEach(c -> hand.addAll(c.states()));
    for (int i = 0; i < channels.size(); i++) {
      Channel c = channels.get(i);
      CodeSpec code = c.code();
      if (code == null || c.id() == null) {
        continue;
      }
      String at = "/channels/" + i + "/code";
      if (UNKNOWN.equals(c.id()) || REFERRAL.equals(c.id())) {
        problems.add(doc.problem(at, "channel \"" + c.id() + "\" cannot have a channel code",
            UNKNOWN.equals(c.id()) ? "unknown is for patients without a known code" : "referral codes are personal, one per patient"));
        continue;
      }
      if (code.accounts().isEmpty() || code.accounts().size() > MAX_ACCOUNTS) {
        problems.add(doc.problem(at + "/accounts", "a code needs 1 to " + MAX_ACCOUNTS + " accounts, has "
            + code.accounts().size(), "one account makes a single-person code, several a multi-person code"));
      }
      for (int a = 0; a < code.accounts().size(); a++) {
        String account = code.accounts().get(a);
        if (accounts != null && accounts.find(account).isEmpty()) {
          problems.add(doc.problem(at + "/accounts/" + a, "unknown account \"" + account + "\"",
              "accounts.yaml has: " + accounts.ids()));
        }
      }
      if (code.remark().length() > MAX_STATE) {
        problems.add(doc.problem(at + "/remark", "remark is " + code.remark().length() + " characters, WeCom allows "
            + MAX_STATE, ""));
      }
      Set<String> seen = new HashSet<>();
      List<String> forStores = code.stores().isEmpty() ? List.of("") : code.stores();
      for (int s = 0; s < forStores.size(); s++) {
        String store = forStores.get(s);
        String pointer = store.isEmpty() ? at : at + "/stores/" + s;
        if (!store.isEmpty() && !storeIds.contains(store)) {
          problems.add(doc.problem(pointer, "unknown store \"" + store + "\"", "declare it under stores: with its name"));
          continue;
        }
        String state = codeState(c.id(), store);
        if (state.length() > MAX_STATE) {
          problems.add(doc.problem(pointer, "code state \"" + state + "\" is " + state.length() + " characters, WeCom allows "
              + MAX_STATE, "use a shorter channel or store id"));
        } else if (!seen.add(state) || hand.contains(state)) {
          problems.add(doc.problem(pointer, "code state \"" + state + "\" is declared twice", "each store once per channel"));
        }
      }
    }
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
