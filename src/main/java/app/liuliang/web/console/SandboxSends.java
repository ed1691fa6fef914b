package app.liuliang.web.console;

import app.liuliang.sandbox.SandboxWeCom;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The sandbox console page 沙箱: what the bot sent to the fake WeCom, newest first, readable: the
 * local time, what kind of call in Chinese, to whom, the text it carries, and the body pretty-printed
 * (WxJava escapes Chinese as {@code \\uXXXX}; read back, it is plain again).
 */
final class SandboxSends {

  static final int LIMIT = 200;

  private static final Map<String, String> APIS = Map.ofEntries(
      Map.entry("/cgi-bin/externalcontact/send_welcome_msg", "欢迎语"),
      Map.entry("/cgi-bin/externalcontact/mark_tag", "打标签"),
      Map.entry("/cgi-bin/externalcontact/get", "查询客户"),
      Map.entry("/cgi-bin/externalcontact/add_msg_template", "群发任务"),
      Map.entry("/cgi-bin/externalcontact/add_moment_task", "朋友圈任务"),
      Map.entry("/cgi-bin/externalcontact/add_corp_tag", "创建标签"),
      Map.entry("/cgi-bin/externalcontact/get_corp_tag_list", "读取标签"),
      Map.entry("/cgi-bin/externalcontact/add_contact_way", "创建活码"),
      Map.entry("/cgi-bin/kf/send_msg", "客服消息"), Map.entry("/cgi-bin/kf/send_msg_on_event", "进入会话问候"),
      Map.entry("/cgi-bin/kf/sync_msg", "拉取客服消息"), Map.entry("/cgi-bin/kf/service_state/trans", "转交客服会话"),
      Map.entry("/cgi-bin/message/send", "应用消息（给员工）"), Map.entry("/cgi-bin/message/update_template_card", "更新卡片"),
      Map.entry("/cgi-bin/media/upload", "上传素材"),
      Map.entry("/cgi-bin/externalcontact/get_user_behavior_data", "读取员工统计"));

  record Send(String at, String kind, String path, String to, String text, String body) {
  }

  private final SandboxWeCom sandbox;
  private final ConsoleTime time;
  private final ObjectMapper json = new ObjectMapper();

  SandboxSends(SandboxWeCom sandbox, ConsoleTime time) {
    this.sandbox = sandbox;
    this.time = time;
  }

  List<Send> latest() {
    List<SandboxWeCom.SentRequest> all = sandbox.sentSince(0);
    List<Send> sends = new ArrayList<>();
    for (int i = all.size() - 1; i >= 0 && sends.size() < LIMIT; i--) {
      SandboxWeCom.SentRequest r = all.get(i);
      String path = r.path().split("\\?", 2)[0];
      JsonNode body = parse(r.body());
      sends.add(new Send(time.secondsTime(r.at()), APIS.getOrDefault(path, path),
          path, to(body), text(body), body == null ? nz(r.body()) : pretty(body)));
    }
    return sends;
  }

  private static String to(JsonNode body) {
    if (body == null) {
      return "";
    }
    for (String field : List.of("touser", "external_userid", "userid", "servicer_userid")) {
      if (body.hasNonNull(field)) {
        return body.get(field).asText();
      }
    }
    return "";
  }

  /** The words a person would read: a text message's content, a card's title. */
  private static String text(JsonNode body) {
    if (body == null) {
      return "";
    }
    JsonNode content = body.path("text").path("content");
    if (content.isTextual()) {
      return content.asText();
    }
    JsonNode title = body.path("template_card").path("main_title").path("title");
    return title.isTextual() ? title.asText() : "";
  }

  private JsonNode parse(String body) {
    if (body == null || body.isBlank()) {
      return null;
    }
    try {
      return json.readTree(body);
    } catch (java.io.IOException e) {
      return null;
    }
  }

  private String pretty(JsonNode body) {
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(body);
    } catch (java.io.IOException e) {
      return body.toString();
    }
  }

  private static String nz(String value) {
    return value == null ? "" : value;
  }
}
