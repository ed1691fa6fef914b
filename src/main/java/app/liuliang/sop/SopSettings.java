package app.liuliang.sop;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;

/**
 * {@code config/sop.yaml}: optional; every key has a default.
 *
 * @param momentsPerDayCap   Moments one audience may see per day (default 3)
 * @param grace              a send missed while the server was down still goes out this late (PT2H)
 * @param personalCap        1:1 SOP sends per patient per day / week / month (1 / 0 / 0; 0 = no cap)
 * @param namePerContactMax  a {name} text goes per contact when a sender has at most this many (20)
 * @param mondayCheck        when admins hear that no plan exists for the week (Monday "10:00")
 * @param sundaySummary      when admins get the week's summary (Sunday "20:00")
 * @param remindAfter        unconfirmed broadcasts are reminded once after this (PT3H)
 * @param confirmPoll        how often confirmations and Moments results are polled (PT10M)
 * @param watchEvery         how often config/sop, campaigns and journeys are checked for changes (PT10S)
 * @param journeysEvery      how often journeys and recalls are evaluated (PT15M)
 * @param momentsPerMinute   add_moment_task creations per minute, below WeCom's 10 (9)
 */
public record SopSettings(Integer momentsPerDayCap, Duration grace, PersonalCap personalCap,
    Integer namePerContactMax, String mondayCheck, String sundaySummary, Duration remindAfter,
    Duration confirmPoll, Duration watchEvery, Duration journeysEvery, Integer momentsPerMinute) {

  public static final String FILE = "sop.yaml";

  /** Per-patient caps; 0 = none. */
  public record PersonalCap(Integer perDay, Integer perWeek, Integer perMonth) {
    public PersonalCap {
      perDay = perDay == null ? 1 : perDay;
      perWeek = perWeek == null ? 0 : perWeek;
      perMonth = perMonth == null ? 0 : perMonth;
    }
  }

  public SopSettings {
    momentsPerDayCap = momentsPerDayCap == null ? 3 : momentsPerDayCap;
    grace = grace == null ? Duration.ofHours(2) : grace;
    personalCap = personalCap == null ? new PersonalCap(null, null, null) : personalCap;
    namePerContactMax = namePerContactMax == null ? 20 : namePerContactMax;
    mondayCheck = mondayCheck == null ? "10:00" : mondayCheck;
    sundaySummary = sundaySummary == null ? "20:00" : sundaySummary;
    remindAfter = remindAfter == null ? Duration.ofHours(3) : remindAfter;
    confirmPoll = confirmPoll == null ? Duration.ofMinutes(10) : confirmPoll;
    watchEvery = watchEvery == null ? Duration.ofSeconds(10) : watchEvery;
    journeysEvery = journeysEvery == null ? Duration.ofMinutes(15) : journeysEvery;
    momentsPerMinute = momentsPerMinute == null ? 9 : momentsPerMinute;
  }

  public static SopSettings defaults() {
    return new SopSettings(null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The file when present, else the defaults; null when it has problems. */
  public static SopSettings load(Path configDir, YamlReader yaml, Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return defaults();
    }
    YamlDocument<SopSettings> doc = yaml.read(file, SopSettings.class, problems);
    if (!doc.isValid()) {
      return null;
    }
    SopSettings s = doc.value();
    Problems found = new Problems();
    if (s.momentsPerDayCap < 1) {
      found.add(doc.problem("/moments_per_day_cap", "moments_per_day_cap must be at least 1", "default 3"));
    }
    if (s.momentsPerMinute < 1 || s.momentsPerMinute > 10) {
      found.add(doc.problem("/moments_per_minute", "moments_per_minute must be 1..10", "WeCom allows 10 creations a minute"));
    }
    for (String key : new String[] {"monday_check", "sunday_summary"}) {
      String value = key.equals("monday_check") ? s.mondayCheck : s.sundaySummary;
      try {
        LocalTime.parse(value);
      } catch (DateTimeParseException e) {
        found.add(doc.problem("/" + key, key + " must be HH:mm, was \"" + value + "\"", "e.g. \"10:00\""));
      }
    }
    problems.addAll(found);
    return found.isEmpty() ? s : null;
  }
}
