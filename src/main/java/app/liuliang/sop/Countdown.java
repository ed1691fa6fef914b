package app.liuliang.sop;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A countdown offset such as {@code 3d}, {@code 3h}, {@code 30min}, and how it reads in Chinese. */
record Countdown(String label, Duration before) {

  private static final Pattern OFFSET = Pattern.compile("(\\d+)(d|h|min)");

  static Optional<Countdown> parse(String label) {
    Matcher m = label == null ? null : OFFSET.matcher(label.trim());
    if (m == null || !m.matches() || Integer.parseInt(m.group(1)) == 0) {
      return Optional.empty();
    }
    long n = Long.parseLong(m.group(1));
    Duration d = switch (m.group(2)) {
      case "d" -> Duration.ofDays(n);
      case "h" -> Duration.ofHours(n);
      default -> Duration.ofMinutes(n);
    };
    return Optional.of(new Countdown(label.trim(), d));
  }

  /** "还剩3天", "还剩3小时", "还剩30分钟". */
  String remaining() {
    String[] parts = {label.replaceAll("\\D", ""), label.replaceAll("\\d", "")};
    String unit = switch (parts[1]) {
      case "d" -> "天";
      case "h" -> "小时";
      default -> "分钟";
    };
    return "还剩" + parts[0] + unit;
  }
}
