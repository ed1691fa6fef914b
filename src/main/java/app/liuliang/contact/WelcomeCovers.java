package app.liuliang.contact;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Covers of the mini-program cards in welcomes. WeCom wants a {@code pic_media_id}, and a media id lives
 * only 3 days, so a template names an image file under {@code config/} and it is uploaded
 * ({@code media/upload}) on first use and again once the id is two days old. Uploads happen in
 * {@link #prepare}, before the welcome's transaction, never inside it. The upload sits in front of a
 * welcome that has 20 s to go out, so after a failed one the cover is not tried again for
 * {@link #RETRY_AFTER}: while WeCom is down, welcomes go out without the card instead of waiting.
 */
final class WelcomeCovers {

  private static final Logger log = LoggerFactory.getLogger(WelcomeCovers.class);
  static final Duration REUSE_FOR = Duration.ofDays(2);
  static final Duration RETRY_AFTER = Duration.ofMinutes(1);

  private final WeComClient wecom;
  private final Path configDir;
  private final Clock clock;
  private final Map<String, Upload> uploads = new ConcurrentHashMap<>();
  private final Map<String, Instant> failedAt = new ConcurrentHashMap<>();

  private record Upload(String mediaId, Instant at) {
  }

  WelcomeCovers(WeComClient wecom, Path configDir, Clock clock) {
    this.wecom = wecom;
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
    try {
      String id = wecom.uploadMedia("image", configDir.resolve(pic));
      uploads.put(pic, new Upload(id, clock.instant()));
      failedAt.remove(pic);
      log.info("welcome cover {} uploaded for template {}", pic, templateId);
    } catch (WeComApiException | RuntimeException e) {
      failedAt.put(pic, clock.instant());
      log.warn("welcome cover {} of template {} not uploaded ({}); the card is left out until it is",
          pic, templateId, e.getMessage());
    }
  }
}
