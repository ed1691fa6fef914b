package app.liuliang.contact;

import app.liuliang.store.ClusterLock;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Covers of the mini-program cards in welcomes. WeCom wants a {@code pic_media_id}, and a media id lives
 * only 3 days, so a template names an image file under {@code config/} and it is uploaded
 * ({@code media/upload}) on first use and again once the id is two days old. Uploads happen in
 * {@link #prepare}, before the welcome's transaction, never inside it. The upload sits in front of a
 * welcome that has 20 s to go out, so after a failed one the cover is not tried again for
 * {@link #RETRY_AFTER}: while WeCom is down, welcomes go out without the card instead of waiting.
 *
 * <p>Media ids serve the whole corp, so they are kept in the store ({@code welcome_covers}) and one node
 * uploads a cover for all: the others find its id there, or wait a moment while it is being uploaded.
 */
final class WelcomeCovers {

  private static final Logger log = LoggerFactory.getLogger(WelcomeCovers.class);
  static final Duration REUSE_FOR = Duration.ofDays(2);
  static final Duration RETRY_AFTER = Duration.ofMinutes(1);
  /** Long enough for one upload; a node that died mid-upload holds the others back no longer. */
  private static final Duration UPLOAD_LEASE = Duration.ofSeconds(30);
  /** How long a welcome waits for another node's upload: a small part of its 20 s. */
  private static final Duration WAIT_FOR_OTHERS = Duration.ofSeconds(3);

  private final WeComClient wecom;
  private final Jdbi jdbi;
  private final String nodeId;
  private final Path configDir;
  private final Clock clock;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();

  private record Upload(String mediaId, Instant at) {
  }

  WelcomeCovers(WeComClient wecom, Jdbi jdbi, String nodeId, Path configDir, Clock clock) {
    this.wecom = wecom;
    this.jdbi = jdbi;
    this.nodeId = nodeId;
    this.configDir = configDir;
    this.clock = clock;
  }

  /** Makes sure every cover the template needs has a fresh media id; a failed upload leaves it missing. */
  void prepare(WelcomeTemplate template) {
    for (WelcomeTemplate.Attachment a : template.attachments()) {
      String pic = a.miniprogram() == null ? null : a.miniprogram().pic();
      if (pic != null && mediaId(pic).isEmpty()) {
        upload(pic, template.id());
      }
    }
  }

  /** The fresh media id of this cover file, if it was uploaded. */
  Optional<String> mediaId(String pic) {
    Upload upload = uploads.get(pic);
    boolean fresh = upload != null && upload.at().plus(REUSE_FOR).isAfter(clock.instant());
    return fresh ? Optional.of(upload.mediaId()) : Optional.empty();
  }

  // One upload per file at a time: a burst of new patients must not upload the same cover a hundred times.
  private synchronized void upload(String pic, String templateId) {
    Instant failed = failedAt.get(pic);
    if (mediaId(pic).isPresent() || (failed != null && failed.plus(RETRY_AFTER).isAfter(clock.instant()))) {
      return;
    }
    if (fromStore(pic)) {
      return;
    }
    ClusterLock uploading = new ClusterLock(jdbi, "welcome-cover:" + pic, nodeId, UPLOAD_LEASE, clock);
    boolean mine = uploading.tryHold();
    try {
      if (!mine && awaitOtherNode(pic)) {
        return;
      }
      // Ours to upload; or the other node is slow, and a second upload beats a welcome without its card.
      if (mine && fromStore(pic)) {
        return;
      }
      String id = wecom.uploadMedia("image", configDir.resolve(pic));
      Instant at = clock.instant();
      uploads.put(pic, new Upload(id, at));
      failedAt.remove(pic);
      jdbi.useHandle(h -> h.createUpdate("INSERT INTO welcome_covers (file, media_id, uploaded_at) VALUES (:f, :m, :at) "
              + "ON CONFLICT (file) DO UPDATE SET media_id = excluded.media_id, uploaded_at = excluded.uploaded_at "
              + "WHERE welcome_covers.uploaded_at < excluded.uploaded_at")
          .bind("f", pic).bind("m", id).bind("at", at.toEpochMilli()).execute());
      log.info("welcome cover {} uploaded for template {}", pic, templateId);
    } catch (WeComApiException | RuntimeException e) {
      failedAt.put(pic, clock.instant());
      log.warn("welcome cover {} of template {} not uploaded ({}); the card is left out until it is",
          pic, templateId, e.getMessage());
    } finally {
      if (mine) {
        uploading.release();
      }
    }
  }

  /** Takes a fresh media id another node uploaded; false when the store has none. */
  private boolean fromStore(String pic) {
    long freshSince = clock.instant().minus(REUSE_FOR).toEpochMilli();
    Optional<Upload> stored = jdbi.withHandle(h -> h.createQuery("SELECT media_id, uploaded_at FROM welcome_covers "
            + "WHERE file = :f AND uploaded_at > :since")
        .bind("f", pic).bind("since", freshSince)
        .map((rs, ctx) -> new Upload(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)))).findOne());
    stored.ifPresent(upload -> uploads.put(pic, upload));
    return stored.isPresent();
  }

  private boolean awaitOtherNode(String pic) {
    long giveUpAt = System.nanoTime() + WAIT_FOR_OTHERS.toNanos();
    while (System.nanoTime() < giveUpAt) {
      if (fromStore(pic)) {
        return true;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return false;
  }
}
