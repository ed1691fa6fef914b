package app.liuliang.figures;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.contact.StaffContacts;
import app.liuliang.handoff.HandoffClaims;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The figures per staff member over the last days, for the 员工 page and the gauges: WeCom's from
 * {@code staff_figures}, Liuliang's own from the hand-offs and referrals. Staff are named as
 * {@code accounts.yaml} names them; everyone else WeCom or the store knows is one 其他员工 row.
 */
public final class StaffFigures {

  /** The 其他员工 row's id: staff not in accounts.yaml, together. */
  public static final String OTHERS = "";

  /**
   * One staff member's figures. {@code replyRate} in percent and {@code avgReplyMinutes} are empty
   * when WeCom reported no replies; claim times in milliseconds, empty without claims.
   */
  public record Summary(String userId, String name, int newContacts, int newApply, int chats, int messages,
      Optional<Double> replyRate, Optional<Double> avgReplyMinutes, int deletions, int handoffsClaimed,
      Optional<Long> medianClaimMillis, Optional<Long> averageClaimMillis, int referrals, Optional<String> error) {
  }

  /** Days {@code from} to {@code to}, both included, in the clinic's time zone. */
  public record Period(LocalDate from, LocalDate to) {
  }

  /** New contacts per staff member per day, oldest day first, in the order of {@link #summaries}. */
  public record Daily(List<LocalDate> days, Map<String, List<Long>> newContactsByName) {
  }

  private final StaffFigureRepository repository;
  private final HandoffClaims claims;
  private final StaffContacts contacts;
  private final Accounts accounts;
  private final Clock clock;
  private final ZoneId zone;

  StaffFigures(StaffFigureRepository repository, HandoffClaims claims, StaffContacts contacts, Accounts accounts,
      Clock clock, ZoneId zone) {
    this.repository = repository;
    this.claims = claims;
    this.contacts = contacts;
    this.accounts = accounts;
    this.clock = clock;
    this.zone = zone;
  }

  /**
   * The last {@code days} days up to today: Liuliang's own figures count today so far, WeCom's arrive
   * the next morning.
   */
  public Period lastDays(int days) {
    LocalDate today = today();
    return new Period(today.minusDays(days - 1L), today);
  }

  /** Today in the clinic's time zone. */
  public LocalDate today() {
    return LocalDate.now(clock.withZone(zone));
  }

  /** Summaries of {@link #lastDays}. */
  public List<Summary> summaries(int days) {
    return summaries(lastDays(days));
  }

  /**
   * Configured staff in accounts.yaml order, then 其他员工 when anyone else has figures. WeCom's figures
   * are the period's days; hand-offs and referrals count from its first midnight to the midnight after
   * its last day (or now, when that is later).
   */
  public List<Summary> summaries(Period period) {
    long fromMillis = period.from().atStartOfDay(zone).toInstant().toEpochMilli();
    long toMillis = Math.min(clock.millis(), period.to().plusDays(1).atStartOfDay(zone).toInstant().toEpochMilli());
    Map<String, List<StaffFigureRepository.Day>> figures = repository.days(period.from(), period.to()).stream()
        .collect(Collectors.groupingBy(d -> key(d.userId()), LinkedHashMap::new, Collectors.toList()));
    Map<String, List<HandoffClaims.Claim>> claimed = claims.claimedBetween(fromMillis, toMillis).stream()
        .collect(Collectors.groupingBy(c -> key(c.userId())));
    Map<String, Integer> referrals = new HashMap<>();
    contacts.referralsBetween(fromMillis, toMillis).forEach((u, n) -> referrals.merge(key(u), n, Integer::sum));
    Map<String, String> errors = new HashMap<>();
    repository.errors().forEach((u, e) -> errors.merge(key(u), e, (a, b) -> a));
    List<Summary> rows = new ArrayList<>();
    for (Account a : configured()) {
      rows.add(summary(a.id(), a.nickname(), figures, claimed, referrals, errors));
    }
    if (figures.containsKey(OTHERS) || claimed.containsKey(OTHERS) || referrals.containsKey(OTHERS)) {
      rows.add(summary(OTHERS, othersName(), figures, claimed, referrals, errors));
    }
    return rows;
  }

  /** Everyone the gauges show: the configured staff, then 其他员工, with nothing counted yet. */
  public List<Summary> staff() {
    List<Summary> all = new ArrayList<>();
    configured().forEach(a -> all.add(empty(a.id(), a.nickname())));
    all.add(empty(OTHERS, othersName()));
    return all;
  }

  static Summary empty(String key, String name) {
    return new Summary(key, name, 0, 0, 0, 0, Optional.empty(), Optional.empty(), 0, 0, Optional.empty(),
        Optional.empty(), 0, Optional.empty());
  }

  /** New contacts per day of each row of {@link #summaries}, for the chart. */
  public Daily daily(Period period) {
    List<LocalDate> dayList = new ArrayList<>();
    for (LocalDate d = period.from(); !d.isAfter(period.to()); d = d.plusDays(1)) {
      dayList.add(d);
    }
    Map<String, Map<LocalDate, Long>> perStaff = new HashMap<>();
    for (StaffFigureRepository.Day d : repository.days(period.from(), period.to())) {
      perStaff.computeIfAbsent(key(d.userId()), k -> new HashMap<>()).merge(d.day(), (long) d.newContacts(), Long::sum);
    }
    Map<String, List<Long>> series = new LinkedHashMap<>();
    for (Account a : configured()) {
      series.put(a.nickname(), perDay(dayList, perStaff.get(a.id())));
    }
    if (perStaff.containsKey(OTHERS)) {
      series.put(othersName(), perDay(dayList, perStaff.get(OTHERS)));
    }
    return new Daily(dayList, series);
  }

  private static List<Long> perDay(List<LocalDate> days, Map<LocalDate, Long> counts) {
    return days.stream().map(d -> counts == null ? 0L : counts.getOrDefault(d, 0L)).toList();
  }

  private List<Account> configured() {
    return accounts == null ? List.of() : accounts.accounts();
  }

  private String key(String userId) {
    return accounts != null && userId != null && accounts.find(userId).isPresent() ? userId : OTHERS;
  }

  static String othersName() {
    return "其他员工";
  }

  private static Summary summary(String key, String name, Map<String, List<StaffFigureRepository.Day>> figures,
      Map<String, List<HandoffClaims.Claim>> claimed, Map<String, Integer> referrals, Map<String, String> errors) {
    List<StaffFigureRepository.Day> days = figures.getOrDefault(key, List.of());
    List<Long> waits = claimed.getOrDefault(key, List.of()).stream().map(HandoffClaims.Claim::waitMillis).sorted().toList();
    return new Summary(key, name, days.stream().mapToInt(StaffFigureRepository.Day::newContacts).sum(),
        days.stream().mapToInt(StaffFigureRepository.Day::newApply).sum(),
        days.stream().mapToInt(StaffFigureRepository.Day::chats).sum(),
        days.stream().mapToInt(StaffFigureRepository.Day::messages).sum(),
        replyRate(days), avgReplyMinutes(days), days.stream().mapToInt(StaffFigureRepository.Day::deletions).sum(),
        waits.size(), median(waits), waits.isEmpty() ? Optional.empty()
            : Optional.of(Math.round(waits.stream().mapToLong(Long::longValue).average().orElse(0))),
        referrals.getOrDefault(key, 0), Optional.ofNullable(errors.get(key)));
  }

  /** The days' reply rates weighted by their chats (a busy day counts more), plain mean when no chats. */
  static Optional<Double> replyRate(List<StaffFigureRepository.Day> days) {
    List<StaffFigureRepository.Day> replied = days.stream().filter(d -> d.replyPercentage() != null).toList();
    if (replied.isEmpty()) {
      return Optional.empty();
    }
    long chats = replied.stream().mapToLong(StaffFigureRepository.Day::chats).sum();
    if (chats == 0) {
      return Optional.of(replied.stream().mapToDouble(StaffFigureRepository.Day::replyPercentage).average().orElse(0));
    }
    return Optional.of(replied.stream().mapToDouble(d -> d.replyPercentage() * d.chats()).sum() / chats);
  }

  static Optional<Double> avgReplyMinutes(List<StaffFigureRepository.Day> days) {
    List<StaffFigureRepository.Day> replied = days.stream().filter(d -> d.avgReplyMinutes() != null).toList();
    if (replied.isEmpty()) {
      return Optional.empty();
    }
    long chats = replied.stream().mapToLong(StaffFigureRepository.Day::chats).sum();
    if (chats == 0) {
      return Optional.of(replied.stream().mapToDouble(StaffFigureRepository.Day::avgReplyMinutes).average().orElse(0));
    }
    return Optional.of(replied.stream().mapToDouble(d -> (double) d.avgReplyMinutes() * d.chats()).sum() / chats);
  }

  /** The middle wait (the mean of the two middle ones for an even count); sorted input. */
  static Optional<Long> median(List<Long> sorted) {
    if (sorted.isEmpty()) {
      return Optional.empty();
    }
    int mid = sorted.size() / 2;
    return Optional.of(sorted.size() % 2 == 1 ? sorted.get(mid) : (sorted.get(mid - 1) + sorted.get(mid)) / 2);
  }
}
