package app.liuliang.sop;

import app.liuliang.sop.WeekPlan.Attachment;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns plan attachments into WeCom's JSON, uploading files on the way: Moments need
 * {@code media/upload_attachment} ids, message templates {@code media/upload} ids (both live 3
 * days, so they are uploaded when the item fires, once per file per firing).
 */
final class AttachmentBuilder {

  private final WeComClient wecom;
  private final ObjectMapper json;
  private final Path configDir;
  private final Map<String, String> uploaded = new HashMap<>();

  AttachmentBuilder(WeComClient wecom, ObjectMapper json, Path configDir) {
    this.wecom = wecom;
    this.json = json;
    this.configDir = configDir;
  }

  /** For add_moment_task: images, a video or a link with an uploaded cover. */
  ArrayNode forMoment(List<Attachment> attachments) throws WeComApiException {
    ArrayNode out = json.createArrayNode();
    for (Attachment a : attachments) {
      ObjectNode node = out.addObject();
      if (a.image() != null) {
        node.put("msgtype", "image").putObject("image").put("media_id", upload("moment", "image", a.image()));
      } else if (a.video() != null) {
        node.put("msgtype", "video").putObject("video").put("media_id", upload("moment", "video", a.video()));
      } else if (a.link() != null) {
        ObjectNode link = node.put("msgtype", "link").putObject("link");
        link.put("title", a.link().title()).put("url", a.link().url());
        if (a.link().picurl() != null && !a.link().picurl().startsWith("http")) {
          link.put("media_id", upload("moment", "image", a.link().picurl()));
        }
      }
    }
    return out;
  }

  /** For add_msg_template: image, link, miniprogram or video parts. */
  ArrayNode forTemplate(List<Attachment> attachments) throws WeComApiException {
    ArrayNode out = json.createArrayNode();
    for (Attachment a : attachments) {
      ObjectNode node = out.addObject();
      if (a.image() != null) {
        node.put("msgtype", "image").putObject("image").put("media_id", upload("template", "image", a.image()));
      } else if (a.video() != null) {
        node.put("msgtype", "video").putObject("video").put("media_id", upload("template", "video", a.video()));
      } else if (a.link() != null) {
        ObjectNode link = node.put("msgtype", "link").putObject("link");
        link.put("title", a.link().title()).put("url", a.link().url());
        if (a.link().picurl() != null && a.link().picurl().startsWith("http")) {
          link.put("picurl", a.link().picurl());
        }
        if (a.link().desc() != null) {
          link.put("desc", a.link().desc());
        }
      } else if (a.miniprogram() != null) {
        node.put("msgtype", "miniprogram").putObject("miniprogram")
            .put("title", a.miniprogram().title())
            .put("pic_media_id", upload("template", "image", a.miniprogram().pic()))
            .put("appid", a.miniprogram().appid())
            .put("page", a.miniprogram().page());
      }
    }
    return out;
  }

  private String upload(String use, String type, String path) throws WeComApiException {
    String key = use + ":" + type + ":" + path;
    String id = uploaded.get(key);
    if (id == null) {
      Path file = configDir.resolve(path);
      id = "moment".equals(use) ? wecom.uploadAttachment(type, file) : wecom.uploadMedia(type, file);
      uploaded.put(key, id);
    }
    return id;
  }
}
