package app.liuliang.config;

import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The {@code {name}}-style placeholders of texts the bot sends: every one must be a placeholder the
 * sender of that text fills in, or it would reach the patient as written.
 */
public final class Placeholders {

  /** {@code {name}}, {@code {referral_code}}: lower-case words in braces ({@code {group_qr:…}} is not one). */
  public static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_.]+)}");

  private Placeholders() {
  }

  /** Adds a problem at {@code pointer} for each placeholder in {@code text} that is not {@code allowed}. */
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
  }
}
