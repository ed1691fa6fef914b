package app.liuliang.transfer;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;

/**
 * {@code config/transfer.yaml}: optional, every key has a default.
 *
 * @param transferSuccessMsg what a customer of a staff member still at the clinic sees when asked to accept
 *                           the colleague (WeCom's {@code transfer_success_msg}, at most 200 characters);
 *                           empty for WeCom's own text
 * @param followEvery        how often results are asked for until final (PT30M; WeCom takes over after 24 h)
 * @param unassignedCheckAt  "HH:mm": when the admins hear of departed staff's customers nobody took over
 * @param moveGroups         whether a transfer without a layer or tag filter also moves the staff member's
 *                           customer groups (true)
 */
public record TransferSettings(String transferSuccessMsg, Duration followEvery, String unassignedCheckAt,
    Boolean moveGroups) {

  public static final String FILE = "transfer.yaml";
  /** WeCom's limit on transfer_success_msg. */
  static final int MAX_MESSAGE = 200;

  public TransferSettings {
    transferSuccessMsg = transferSuccessMsg == null || transferSuccessMsg.isBlank() ? null : transferSuccessMsg.strip();
    followEvery = followEvery == null ? Duration.ofMinutes(30) : followEvery;
    unassignedCheckAt = unassignedCheckAt == null ? "09:00" : unassignedCheckAt;
    moveGroups = moveGroups == null || moveGroups;
  }

  public static TransferSettings defaults() {
    return new TransferSettings(null, null, null, null);
  }

  LocalTime checkTime() {
    return LocalTime.parse(unassignedCheckAt);
  }

  /** The file when present, else the defaults; null when it has problems (all reported). */
  public static TransferSettings load(Path configDir, YamlReader yaml, Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return defaults();
    }
    YamlDocument<TransferSettings> doc = yaml.read(file, TransferSettings.class, problems);
    if (!doc.isValid()) {
      return null;
    }
    TransferSettings s = doc.value();
    Problems found = new Problems();
    if (s.transferSuccessMsg() != null) {
      int length = s.transferSuccessMsg().codePointCount(0, s.transferSuccessMsg().length());
      if (length > MAX_MESSAGE) {
        found.add(doc.problem("/transfer_success_msg", "transfer_success_msg has " + length
            + " characters; WeCom takes at most " + MAX_MESSAGE, "shorten it"));
      } else {
        app.liuliang.config.SentTexts.checkWording(doc, "/transfer_success_msg", s.transferSuccessMsg(), found);
      }
    }
    if (s.followEvery().compareTo(Duration.ofMinutes(1)) < 0 || s.followEvery().compareTo(Duration.ofHours(24)) > 0) {
      found.add(doc.problem("/follow_every", "follow_every must be between PT1M and PT24H, was " + s.followEvery(),
          "e.g. PT30M"));
    }
    if (!s.unassignedCheckAt().matches("([01]\\d|2[0-3]):[0-5]\\d")) {
      found.add(doc.problem("/unassigned_check_at", "unassigned_check_at must be a time like 09:00, was \""
          + s.unassignedCheckAt() + "\"", ""));
    }
    problems.addAll(found);
    return found.isEmpty() ? s : null;
  }
}
