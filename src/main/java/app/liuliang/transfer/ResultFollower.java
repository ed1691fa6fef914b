package app.liuliang.transfer;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.Handover;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks {@code transfer_result} (or {@code resigned/transfer_result}) where a job's waiting customers stand,
 * page by page, and settles each by compare-and-set from waiting: 1 done (then the records follow), 3
 * refused, 4 the colleague's customer limit, 5 no record; 2 stays waiting (WeCom takes over after 24 h); one
 * never listed two days after its submission is settled as no record.
 * The job is done once nothing is waiting and every done customer's records have followed.
 */
final class ResultFollower {

  private static final Logger log = LoggerFactory.getLogger(ResultFollower.class);
  private static final List<String> WAITING = List.of("waiting");
  /** 24 h of WeCom's takeover window, and as long again for a late result. */
  static final java.time.Duration NO_RECORD_AFTER = java.time.Duration.ofHours(48);
  private static final Map<Integer, String> FINAL = Map.of(1, "done", 3, "refused", 4, "limit", 5, "none");

  private final TransferRepository repository;
  private final WeComClient wecom;
  private final RecordsFollow records;
  private final Clock clock;

  ResultFollower(TransferRepository repository, WeComClient wecom, RecordsFollow records, Clock clock) {
    this.repository = repository;
    this.wecom = wecom;
    this.records = records;
    this.clock = clock;
  }

  void follow(TransferRepository.Job job) throws WeComApiException {
    Set<String> waiting = new HashSet<>(repository.waiting(job.id()));
    if (!waiting.isEmpty()) {
      Set<String> listed = ask(job, waiting);
      settleUnlisted(job, listed);
    }
    for (String ext : repository.unfollowed(job.id())) {
      records.moved(ext, job.from(), job.to());
      repository.markFollowed(job.id(), ext);
    }
    if (repository.unfinished(job.id()) == 0
        && repository.moveJob(job.id(), TransferRepository.FOLLOWING, TransferRepository.DONE, clock.millis())) {
      log.info("transfer {} done: {}", job.id(), repository.countsByStatus(job.id()));
    }
  }

  /**
   * WeCom takes a waiting customer over after 24 h, so one that {@code transfer_result} still does not list
   * {@link #NO_RECORD_AFTER} after the submission has no transfer record there (WxJava's status 5, 无接替记录):
   * settled as {@code none}, so the job ends instead of being asked about forever.
   */
  private void settleUnlisted(TransferRepository.Job job, Set<String> listed) {
    for (String ext : repository.waitingBefore(job.id(), clock.millis() - NO_RECORD_AFTER.toMillis())) {
      if (!listed.contains(ext)
          && repository.moveCustomer(job.id(), ext, WAITING, "none", null, null, clock.millis())) {
        log.info("transfer {}: contact {} still not in transfer_result after {}; no record", job.id(), ext,
            NO_RECORD_AFTER);
      }
    }
  }

  /** Settles what the pages say; every customer they list at all (final or not). */
  private Set<String> ask(TransferRepository.Job job, Set<String> waiting) throws WeComApiException {
    Set<String> listed = new HashSet<>();
    Handover kind = Handover.valueOf(job.kind().toUpperCase(java.util.Locale.ROOT));
    String cursor = "";
    for (int page = 0; page < 1000 && !waiting.isEmpty(); page++) {
      WeComClient.TransferResultPage answer = wecom.transferResults(kind, job.from(), job.to(), cursor);
      for (WeComClient.TransferResult r : answer.customers()) {
        listed.add(r.externalUserId());
        String status = FINAL.get(r.status());
        if (status != null && waiting.remove(r.externalUserId())) {
          repository.moveCustomer(job.id(), r.externalUserId(), WAITING, status, null,
              r.takeoverTime() > 0 ? r.takeoverTime() * 1000 : null, clock.millis());
        }
      }
      if (answer.nextCursor().isEmpty() || answer.nextCursor().equals(cursor)) {
        break;
      }
      cursor = answer.nextCursor();
    }
    return listed;
  }
}
