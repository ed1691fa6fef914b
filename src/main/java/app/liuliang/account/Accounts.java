package app.liuliang.account;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code config/accounts.yaml}: the staff accounts and the on-duty roster for hand-offs.
 *
 * @param accounts every account, assistants and doctors
 * @param onDuty   doctor ids, in the order hand-offs try them
 */
public record Accounts(List<Account> accounts, List<String> onDuty, OnCall onCall) {

  /**
   * The doctor told at once of a red-flag message (bleeding that does not stop, ...), at any hour of
   * their on-call {@code hours} (its own, {@code to: "24:00"} every day for around the clock).
   */
  public record OnCall(String account, WorkingHours hours) {
    public OnCall {
      hours = hours == null ? new WorkingHours(null, "00:00", "24:00") : hours;
    }
  }

  /** Without an on-call doctor (the file has none). */
  public Accounts(List<Account> accounts, List<String> onDuty) {
    this(accounts, onDuty, null);
  }

  public static final String FILE = "accounts.yaml";

  public Accounts {
    accounts = accounts == null ? List.of() : List.copyOf(accounts);
    onDuty = onDuty == null ? List.of() : List.copyOf(onDuty);
  }

  /** Loads and checks the file; returns null when it has problems (they are in {@code problems}). */
  public static Accounts load(Path configDir, YamlReader yaml, Problems problems) {
    return yaml.load(configDir.resolve(FILE), Accounts.class, problems, (doc, found) -> doc.value().check(doc, found));
  }

  private void check(YamlDocument<Accounts> doc, Problems problems) {
    Set<String> seen = new HashSet<>();
    if (accounts.isEmpty()) {
      problems.add(doc.problem("/accounts", "no accounts", "list at least one assistant account"));
    }
    for (int i = 0; i < accounts.size(); i++) {
      Account a = accounts.get(i);
      String at = "/accounts/" + i;
      if (a.id() == null || a.id().isBlank()) {
        problems.add(doc.problem(at, "account without an id", "id is the staff member's WeCom userid"));
        continue;
      }
      if (!seen.add(a.id())) {
        problems.add(doc.problem(at + "/id", "duplicate account id \"" + a.id() + "\"", "each userid appears once"));
      }
      if (!Account.ASSISTANT.equals(a.persona()) && !Account.DOCTOR.equals(a.persona())) {
        problems.add(doc.problem(at + "/persona", "persona must be assistant or doctor, was \"" + a.persona() + "\"",
            "assistant = 流量号 (front desk), doctor = 专家号"));
      }
      if (a.nickname() == null || a.nickname().isBlank()) {
        problems.add(doc.problem(at, "account \"" + a.id() + "\" has no nickname", "the welcome introduces it by nickname"));
      }
      checkHours(doc, at + "/hours", a.hours(), problems);
    }
    if (onCall != null) {
      Optional<Account> doctor = onCall.account() == null ? Optional.empty() : find(onCall.account());
      if (doctor.isEmpty()) {
        problems.add(doc.problem("/on_call/account", "unknown account \"" + onCall.account() + "\"",
            "known accounts: " + ids()));
      } else if (!doctor.get().isDoctor()) {
        problems.add(doc.problem("/on_call/account", "\"" + onCall.account() + "\" is not a doctor",
            "the on-call account is a doctor"));
      }
      checkHours(doc, "/on_call/hours", onCall.hours(), problems);
    }
    for (int i = 0; i < onDuty.size(); i++) {
      String id = onDuty.get(i);
      Optional<Account> account = find(id);
      if (account.isEmpty()) {
        problems.add(doc.problem("/on_duty/" + i, "unknown account \"" + id + "\"", "known accounts: " + ids()));
      } else if (!account.get().isDoctor()) {
        problems.add(doc.problem("/on_duty/" + i, "\"" + id + "\" is not a doctor", "the on-duty roster lists doctors"));
      }
    }
  }

  private static void checkHours(YamlDocument<Accounts> doc, String at, WorkingHours hours, Problems problems) {
    for (int d = 0; d < hours.days().size(); d++) {
      if (!WorkingHours.DAY_NAMES.contains(hours.days().get(d))) {
        problems.add(doc.problem(at + "/days/" + d, "unknown day \"" + hours.days().get(d) + "\"",
            "use " + String.join(", ", WorkingHours.DAY_NAMES)));
      }
    }
    try {
      if (!LocalTime.parse(hours.from()).isBefore(hours.closes())) {
        problems.add(doc.problem(at + "/to", "closing time " + hours.to() + " is not after opening " + hours.from(), ""));
      }
    } catch (DateTimeParseException e) {
      problems.add(doc.problem(at, "working hours must be HH:mm, were \"" + hours.from() + "\" to \"" + hours.to() + "\"",
          "e.g. from: \"09:00\", to: \"18:00\""));
    }
  }

  public Optional<Account> find(String id) {
    return accounts.stream().filter(a -> a.id().equals(id)).findFirst();
  }

  public List<Account> doctors() {
    return accounts.stream().filter(Account::isDoctor).toList();
  }

  public List<Account> assistants() {
    return accounts.stream().filter(Account::isAssistant).toList();
  }

  /** The ids, for "known accounts: ..." hints. */
  public String ids() {
    return accounts.stream().map(Account::id).collect(Collectors.joining(", "));
  }
}
