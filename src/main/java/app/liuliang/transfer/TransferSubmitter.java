package app.liuliang.transfer;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.Handover;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits a job's queued customers in batches of at most 100 (WeCom's limit a call), then its groups. A
 * customer Liuliang already moved twice in 90 days, or whom WeCom answers {@link #TOO_OFTEN} for, is reported
 * ({@code twice_in_90_days}) and never submitted again; another errcode is recorded ({@code failed}) and not
 * retried either. A batch WeCom could not take (busy, unreachable)
 * goes back to queued for the next run; a repeat of one that did reach WeCom answers 40129 (already being
 * transferred) and counts as started.
 */
final class TransferSubmitter {

  private static final Logger log = LoggerFactory.getLogger(TransferSubmitter.class);
  static final int BATCH = 100;
  /**
   * The 90-day limit (doc 96325: "90个自然日内，在职成员的每位客户仅可被转接2次"). UNVERIFIED errcode: the doc
   * states the rule but not what a per-customer answer to it is; neither WxJava 4.7.3.B's
   * {@code WxCpErrorMsgEnum} nor the published global errcodes we could read name 40128 for it. So Liuliang
   * counts its own transfers first ({@link TransferRepository#movedTwiceSince}), and any other errcode it does
   * not know is recorded as {@code failed} and not retried either: a customer over the limit is reported,
   * never resubmitted, whatever code WeCom really uses.
   */
  static final int TOO_OFTEN = 40128;
  /**
   * "当前客户正在转接中": a repeat of a submission that reached WeCom. Not in WxJava's enum; the code and text
   * are from third-party docs that quote WeCom's per-customer answer (e.g. open.dustess.com's
   * transfer_customer page), so treated as started.
   */
  static final int IN_PROGRESS = 40129;
  private static final Duration LIMIT_WINDOW = Duration.ofDays(90);
  private static final List<String> SUBMITTING = List.of(TransferRepository.SUBMITTING);

  private final TransferRepository repository;
  private final WeComClient wecom;
  private final TransferSettings settings;
  private final Clock clock;

  TransferSubmitter(TransferRepository repository, WeComClient wecom, TransferSettings settings, Clock clock) {
    this.repository = repository;
    this.wecom = wecom;
    this.settings = settings;
    this.clock = clock;
  }

  /** Submits what is queued; true when everything went (the job then follows results). */
  boolean submit(TransferRepository.Job job) {
    Handover kind = Handover.valueOf(job.kind().toUpperCase(java.util.Locale.ROOT));
    while (true) {
      List<String> batch = repository.takeBatch(job.id(), BATCH, clock.millis());
      if (batch.isEmpty()) {
        break;
      }
      if (!submitCustomers(job, kind, batch)) {
        return false;
      }
    }
    while (true) {
      List<String> groups = repository.takeGroups(job.id(), BATCH, clock.millis());
      if (groups.isEmpty()) {
        break;
      }
      if (!submitGroups(job, kind, groups)) {
        return false;
      }
    }
    return repository.moveJob(job.id(), TransferRepository.SUBMITTING, TransferRepository.FOLLOWING, clock.millis());
  }

  private boolean submitCustomers(TransferRepository.Job job, Handover kind, List<String> batch) {
    long now = clock.millis();
    List<String> twice = kind == Handover.ONJOB
        ? repository.movedTwiceSince(batch, now - LIMIT_WINDOW.toMillis()) : List.of();
    twice.forEach(ext -> settle(job, ext, "twice_in_90_days", TOO_OFTEN));
    List<String> rest = batch.stream().filter(ext -> !twice.contains(ext)).toList();
    if (rest.isEmpty()) {
      return true;
    }
    try {
      Map<String, Integer> answered = wecom.transferCustomers(kind, job.from(), job.to(), rest,
              kind == Handover.ONJOB ? settings.transferSuccessMsg() : null).stream()
          .collect(Collectors.toMap(WeComClient.CustomerTransfer::externalUserId,
              WeComClient.CustomerTransfer::errcode, (a, b) -> a));
      // WeCom answers every customer; one it left out is followed like a started one (transfer_result settles it).
      rest.forEach(ext -> settle(job, ext, answered.getOrDefault(ext, 0)));
      log.info("transfer {}: {} customers submitted ({} → {})", job.id(), rest.size(), job.from(), job.to());
      return true;
    } catch (WeComApiException e) {
      return failed(job, rest, e, ext -> settle(job, ext, e.errcode()));
    }
  }

  /** A customer's answer: started (0 or 40129), the 90-day limit, or refused by WeCom with its errcode. */
  private void settle(TransferRepository.Job job, String ext, int errcode) {
    switch (errcode) {
      case 0, IN_PROGRESS -> settle(job, ext, "waiting", errcode == 0 ? null : errcode);
      case TOO_OFTEN -> settle(job, ext, "twice_in_90_days", errcode);
      default -> settle(job, ext, "failed", errcode);
    }
  }

  private void settle(TransferRepository.Job job, String ext, String status, Integer errcode) {
    repository.moveCustomer(job.id(), ext, SUBMITTING, status, errcode, null, clock.millis());
  }

  private boolean submitGroups(TransferRepository.Job job, Handover kind, List<String> groups) {
    try {
      Map<String, WeComClient.GroupTransferFailure> failed = wecom.transferGroupChats(kind, groups, job.to()).stream()
          .collect(Collectors.toMap(WeComClient.GroupTransferFailure::chatId, Function.identity(), (a, b) -> a));
      long now = clock.millis();
      for (String chat : groups) {
        WeComClient.GroupTransferFailure f = failed.get(chat);
        repository.moveGroup(job.id(), chat, TransferRepository.SUBMITTING, f == null ? "done" : "failed",
            f == null ? null : f.errcode(), f == null ? null : f.errmsg(), now);
      }
      log.info("transfer {}: {} groups submitted, {} not moved", job.id(), groups.size(), failed.size());
      return true;
    } catch (WeComApiException e) {
      return failed(job, groups, e, chat -> repository.moveGroup(job.id(), chat, TransferRepository.SUBMITTING,
          "failed", e.errcode(), e.getMessage(), clock.millis()));
    }
  }

  /**
   * A call that failed as a whole: worth another try later (busy, unreachable, unknown), so back to queued
   * and the job waits for the next run; or refused, so each item takes WeCom's answer.
   */
  private boolean failed(TransferRepository.Job job, List<String> items, WeComApiException e,
      java.util.function.Consumer<String> refused) {
    if (e.retryable()) {
      repository.requeueInterrupted(job.id(), clock.millis());
      repository.requeueInterruptedGroups(job.id(), clock.millis());
      log.warn("transfer {}: batch of {} not submitted ({}); tried again at the next run", job.id(), items.size(),
          e.getMessage());
      return false;
    }
    items.forEach(refused);
    log.warn("transfer {}: WeCom refused a batch of {}: {}", job.id(), items.size(), e.getMessage());
    return true;
  }
}
