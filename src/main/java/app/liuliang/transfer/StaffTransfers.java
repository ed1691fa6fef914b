package app.liuliang.transfer;

import app.liuliang.wecom.WeComApiException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Staff transfers as the CLI and the console use them: {@link #start} records a job and submits it at once;
 * {@link #runOpen} (the periodic job) takes every unfinished job whose lease is free, submits what is still
 * queued and follows results until final. A job is worked on only by the holder of its lease.
 */
public final class StaffTransfers {

  private static final Logger log = LoggerFactory.getLogger(StaffTransfers.class);
  private static final Duration LEASE = Duration.ofMinutes(5);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** What {@link #start} did: the job, its kind (onjob / resigned), and its customers by status. */
  public record Started(String jobId, String kind, int customers, int groups, Map<String, Integer> statuses) {
  }

  /** A job as the console lists it (ids; the console puts names on them). */
  public record JobView(String id, String kind, String from, String to, String layer, String tag, String status,
      String requestedBy, long createdAt, Map<String, Integer> statuses, List<CustomerView> customers,
      List<GroupView> groups) {
  }

  public record CustomerView(String externalUserId, String status, Integer errcode, Long takeoverAt) {
  }

  public record GroupView(String chatId, String status, Integer errcode, String error) {
  }

  private final TransferRepository repository;
  private final Audience audience;
  private final TransferSubmitter submitter;
  private final ResultFollower follower;
  private final Clock clock;
  private final String owner = "node-" + ProcessHandle.current().pid() + "-" + Long.toString(RANDOM.nextLong() >>> 1, 36);

  StaffTransfers(TransferRepository repository, Audience audience, TransferSubmitter submitter, ResultFollower follower,
      Clock clock) {
    this.repository = repository;
    this.audience = audience;
    this.submitter = submitter;
    this.follower = follower;
    this.clock = clock;
  }

  /** Selects the member's patients (and groups), records the job and submits it. */
  public Started start(TransferRequest request) throws WeComApiException {
    Audience.Selection selection = audience.select(request);
    long now = clock.millis();
    String id = "tr-" + Long.toString(now, 36) + "-" + Long.toString(RANDOM.nextInt(1 << 20), 36);
    String kind = selection.kind().name().toLowerCase(java.util.Locale.ROOT);
    TransferRepository.Job job = new TransferRepository.Job(id, kind, request.from(), request.to(), request.layer(),
        request.tag(), TransferRepository.SUBMITTING, request.requestedBy(), now, now);
    repository.insert(job, selection.customers(), selection.groups());
    log.info("transfer {} started by {}: {} {} → {}, {} customers, {} groups", id, request.requestedBy(), kind,
        request.from(), request.to(), selection.customers().size(), selection.groups().size());
    if (repository.claim(id, owner, now, now + LEASE.toMillis())) {
      try {
        submitter.submit(job);
      } finally {
        repository.release(id, owner);
      }
    }
    return new Started(id, kind, selection.customers().size(), selection.groups().size(), repository.countsByStatus(id));
  }

  /** One pass over unfinished jobs; how many were worked on. A failing job waits for the next pass. */
  public int runOpen() {
    int worked = 0;
    for (String id : repository.openJobs(clock.millis())) {
      long now = clock.millis();
      if (!repository.claim(id, owner, now, now + LEASE.toMillis())) {
        continue;
      }
      worked++;
      try {
        // The lease was free: whatever a previous holder left half-submitted goes again (40129 if it arrived).
        repository.requeueInterrupted(id, now);
        repository.requeueInterruptedGroups(id, now);
        TransferRepository.Job job = repository.job(id).orElseThrow();
        if (TransferRepository.SUBMITTING.equals(job.status()) && !submitter.submit(job)) {
          continue;
        }
        follower.follow(repository.job(id).orElseThrow());
      } catch (WeComApiException | RuntimeException e) {
        log.warn("transfer {} not followed this time: {}", id, e.getMessage());
      } finally {
        repository.release(id, owner);
      }
    }
    return worked;
  }

  /** The newest jobs with their customers and groups. */
  public List<JobView> recent(int limit) {
    return repository.recentJobs(limit).stream().map(j -> new JobView(j.id(), j.kind(), j.from(), j.to(), j.layer(),
        j.tag(), j.status(), j.requestedBy(), j.createdAt(), repository.countsByStatus(j.id()),
        repository.customers(j.id()).stream().map(c -> new CustomerView(c.externalUserId(), c.status(), c.errcode(),
            c.takeoverAt())).toList(),
        repository.groups(j.id()).stream().map(g -> new GroupView(g.chatId(), g.status(), g.errcode(), g.error()))
            .toList()))
        .toList();
  }

  /**
   * Departed members whose customers nobody took over yet ({@code get_unassigned_list}), with how many each:
   * what the console offers as 离职继承's "from".
   */
  public Map<String, Long> unassignedByMember() throws WeComApiException {
    return Audience.byMember(audience.allUnassigned());
  }
}
