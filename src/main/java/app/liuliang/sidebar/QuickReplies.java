package app.liuliang.sidebar;

import app.liuliang.account.Account;
import app.liuliang.message.FaqLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The sidebar's 话术: the FAQ answers the bot gives (category 常见问题, named by their first keywords)
 * and the scripts of {@code config/scripts.yaml}, filled in for the staff member who sends them and
 * the patient they are chatting with.
 */
public final class QuickReplies {

  static final String FAQ_CATEGORY = "常见问题";

  /** One reply as the page lists it; {@code id} is {@code faq:<entry>} or {@code script:<id>}. */
  public record Reply(String id, String category, String title, String text) {
  }

  private final List<Reply> templates;

  /** @param faq may be null when faq.yaml failed to load (validate reports it) */
  public QuickReplies(FaqLibrary faq, ScriptLibrary scripts) {
    List<Reply> all = new ArrayList<>();
    if (faq != null) {
      for (FaqLibrary.FaqEntry entry : faq.entries()) {
        all.add(new Reply("faq:" + entry.id(), FAQ_CATEGORY, title(entry), entry.answer()));
      }
    }
    for (ScriptLibrary.Category category : scripts.categories()) {
      for (ScriptLibrary.Script script : category.scripts()) {
        all.add(new Reply("script:" + script.id(), category.name(), script.title(), script.text()));
      }
    }
    this.templates = List.copyOf(all);
  }

  /**
   * Every reply whose category, title or text contains {@code query} (all for an empty one), the
   * scripts first, filled in: {@code {staff}} / {@code {assistant}} the sender's nickname, {@code {role}}
   * their role, {@code {name}} the patient's name.
   */
  public List<Reply> matching(String query, Optional<Account> sender, String patientName) {
    String q = query == null ? "" : query.strip().toLowerCase(Locale.ROOT);
    List<Reply> found = new ArrayList<>();
    for (Reply reply : templates) {
      if (q.isEmpty() || (reply.category() + "\n" + reply.title() + "\n" + reply.text()).toLowerCase(Locale.ROOT).contains(q)) {
        found.add(new Reply(reply.id(), reply.category(), reply.title(), fill(reply.text(), sender, patientName)));
      }
    }
    found.sort(java.util.Comparator.comparing((Reply r) -> r.id().startsWith("faq:")));
    return found;
  }

  public Optional<Reply> find(String id) {
    return templates.stream().filter(r -> r.id().equals(id)).findFirst();
  }

  private static String fill(String text, Optional<Account> sender, String patientName) {
    String nickname = sender.map(Account::nickname).orElse("");
    String role = sender.map(Account::role).orElse("");
    return text.replace("{staff}", nickname).replace("{assistant}", nickname).replace("{role}", role == null ? "" : role)
        .replace("{name}", patientName == null ? "" : patientName);
  }

  private static String title(FaqLibrary.FaqEntry entry) {
    List<String> words = entry.keywords().stream().limit(3).toList();
    return words.isEmpty() ? entry.id() : String.join(" / ", words);
  }
}
