package app.liuliang.message;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code config/faq.yaml}: approved answers the assistant sends at once.
 *
 * @param assistant the assistant account whose voice answers (and who takes escalated hand-offs)
 * @param minScore  a best score below this is not confident (default 1)
 * @param margin    the best score must beat the runner-up by this much (default 1)
 * @param greeting  the value-first line for {@code enter_session}
 * @param entries   the questions and their answers
 */
public record FaqLibrary(String assistant, Integer minScore, Integer margin, String greeting, List<FaqEntry> entries) {

  public static final String FILE = "faq.yaml";
  private static final int MAX_TEXT_BYTES = 2048;

  /**
   * One question. A keyword found in the message scores 1, a pattern 2.
   *
   * @param answer the approved text; {@code {assistant}} becomes the assistant's nickname
   */
  /** What the assistant's voice fills in. */
  private static final java.util.Set<String> VOICE = java.util.Set.of("assistant", "role");

  /** An answer or the greeting may only use what the assistant's voice fills in. */
  private static void checkVoice(YamlDocument<?> doc, String at, String text, Problems problems) {
    app.liuliang.config.SentTexts.check(doc, at, text, VOICE,
        "this text can use {assistant} and {role} (the assistant's nickname and role)", problems);
  }

  public record FaqEntry(String id, List<String> keywords, List<String> patterns, String answer) {
    public FaqEntry {
      keywords = keywords == null ? List.of() : List.copyOf(keywords);
      patterns = patterns == null ? List.of() : List.copyOf(patterns);
    }
  }

  public FaqLibrary {
    entries = entries == null ? List.of() : List.copyOf(entries);
    minScore = minScore == null ? 1 : minScore;
    margin = margin == null ? 1 : margin;
    greeting = greeting == null ? "您好，我是{assistant}，有什么可以帮您？" : greeting;
  }

  public static FaqLibrary load(Path configDir, YamlReader yaml, Accounts accounts, Problems problems) {
    YamlDocument<FaqLibrary> doc = yaml.read(configDir.resolve(FILE), FaqLibrary.class, problems);
    if (!doc.isValid()) {
      return null;
    }
    Problems found = new Problems();
    doc.value().check(doc, accounts, found);
    problems.addAll(found);
    return found.isEmpty() ? doc.value() : null;
  }

  private void check(YamlDocument<FaqLibrary> doc, Accounts accounts, Problems problems) {
    if (accounts != null) {
      Optional<Account> account = assistant == null ? Optional.empty() : accounts.find(assistant);
      if (account.isEmpty()) {
        problems.add(doc.problem("/assistant", "unknown account \"" + assistant + "\"", "known accounts: " + accounts.ids()));
      } else if (!account.get().isAssistant()) {
        problems.add(doc.problem("/assistant", "\"" + assistant + "\" is not an assistant", "FAQ answers speak as the assistant"));
      }
    }
    checkVoice(doc, "/greeting", greeting, problems);
    if (minScore < 1) {
      problems.add(doc.problem("/min_score", "min_score must be at least 1, was " + minScore, ""));
    }
    if (margin < 0) {
      problems.add(doc.problem("/margin", "margin must not be negative, was " + margin, ""));
    }
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < entries.size(); i++) {
      FaqEntry e = entries.get(i);
      String at = "/entries/" + i;
      if (e.id() == null || e.id().isBlank()) {
        problems.add(doc.problem(at, "entry without an id", "e.g. id: hours"));
      } else if (!ids.add(e.id())) {
        problems.add(doc.problem(at + "/id", "duplicate entry id \"" + e.id() + "\"", ""));
      }
      if (e.keywords().isEmpty() && e.patterns().isEmpty()) {
        problems.add(doc.problem(at, "entry \"" + e.id() + "\" has no keywords and no patterns", "add keywords: [...]"));
      }
      for (int k = 0; k < e.keywords().size(); k++) {
        if (e.keywords().get(k) == null || e.keywords().get(k).isBlank()) {
          problems.add(doc.problem(at + "/keywords/" + k, "empty keyword", "it would match every message"));
        }
      }
      for (int p = 0; p < e.patterns().size(); p++) {
        try {
          Pattern.compile(e.patterns().get(p));
        } catch (PatternSyntaxException ex) {
          problems.add(doc.problem(at + "/patterns/" + p, "invalid pattern: " + ex.getDescription(), ""));
        }
      }
      checkVoice(doc, at + "/answer", e.answer(), problems);
      if (e.answer() == null || e.answer().isBlank()) {
        problems.add(doc.problem(at, "entry \"" + e.id() + "\" has no answer", "the approved text patients receive"));
      } else if (e.answer().getBytes(StandardCharsets.UTF_8).length > MAX_TEXT_BYTES) {
        problems.add(doc.problem(at + "/answer", "answer is longer than WeCom's 2048 bytes", "shorten it"));
      }
    }
  }
}
