package app.liuliang.channel;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Downloads a code's QR image (WeCom hands out a CDN URL), for the store to keep, so posters and the
 * console do not depend on the URL staying up. A failed download is retried on the next sync.
 */
final class QrImages {

  private static final Logger log = LoggerFactory.getLogger(QrImages.class);
  private static final int MAX_BYTES = 2 * 1024 * 1024;

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NORMAL).build();

  /** The image, when it could be downloaded and is one. */
  Optional<byte[]> download(String state, String url) {
    if (url == null || url.isEmpty()) {
      return Optional.empty();
    }
    try {
      HttpResponse<byte[]> reply = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET()
          .build(), HttpResponse.BodyHandlers.ofByteArray());
      byte[] body = reply.body();
      if (reply.statusCode() != 200 || body.length == 0 || body.length > MAX_BYTES || !isImage(body)) {
        log.warn("channel code {}: QR image not stored (HTTP {}, {} bytes); tried again on the next sync", state,
            reply.statusCode(), body.length);
        return Optional.empty();
      }
      return Optional.of(body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (Exception e) {
      log.warn("channel code {}: QR image not downloaded ({}); tried again on the next sync", state,
          e.getClass().getSimpleName());
      return Optional.empty();
    }
  }

  /** PNG or JPEG by their magic numbers: a CDN error page is not a QR code. */
  static boolean isImage(byte[] b) {
    boolean png = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
    boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
    return png || jpeg;
  }
}
