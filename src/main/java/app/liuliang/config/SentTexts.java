package app.liuliang.config;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks for a text the bot sends, run where each file's rules meet one: its {@code {name}}-style
 * placeholders must be ones the sender fills in (or they reach the patient as written), and it must pass
 * the document's {@link TextCheck} (the clinic's medical-advertising word list).
 */
public final class SentTexts {

  /** {@code {name}}, {@code {referral_code}}: lower-case words in braces ({@code {group_qr:…}} is not one). */
  public static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_.]+)}");

  private SentTexts() {
  }

  /**
   * Adds a problem at {@code pointer} for each placeholder in {@code text} that is not {@code allowed},
   * and whatever the document's text check finds.
   */
  public static void check(YamlDocument<?> doc, String pointer, String text, Set<String> allowed, String hint,
      Problems problems) {
    if (text == null) {
      return;
    }
    Matcher placeholder = PLACEHOLDER.matcher(text);
    while (placeholder.find()) {
      if (!allowed.contains(placeholder.group(1))) {
        problems.add(doc.problem(pointer, "unknown placeholder {" + placeholder.group(1) + "}", hint));
      }
    }
    doc.texts().check(doc, pointer, text, problems);
  }

  /** Only the document's text check, for texts whose placeholders their file checks its own way. */
  public static void checkWording(YamlDocument<?> doc, String pointer, String text, Problems problems) {
    if (text != null) {
      doc.texts().check(doc, pointer, text, problems);
    }
  }
}
