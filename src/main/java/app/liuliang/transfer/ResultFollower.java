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
 * refused, 4 the colleague's customer limit, 5 no record; 2 stays waiting (WeCom takes over after 24 h).
 * The job is done once nothing is waiting and every done customer's records have followed.
 */
final class ResultFollower {

  private static final Logger log = LoggerFactory.getLogger(ResultFollower.class);
  private static final List<String> WAITING = List.of("waiting");
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
      ask(job, waiting);
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

  private void ask(TransferRepository.Job job, Set<String> waiting) throws WeComApiException {
    Handover kind = Handover.valueOf(job.kind().toUpperCase(java.util.Locale.ROOT));
    String cursor = "";
    for (int page = 0; page < 1000 && !waiting.isEmpty(); page++) {
      WeComClient.TransferResultPage answer = wecom.transferResults(kind, job.from(), job.to(), cursor);
      for (WeComClient.TransferResult r : answer.customers()) {
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
  }
}
