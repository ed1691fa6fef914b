package app.liuliang.web.sidebar;

import app.liuliang.account.Account;
import app.liuliang.account.Accounts;
import app.liuliang.app.Foundation;
import app.liuliang.contact.ContactTagger;
import app.liuliang.handoff.HandoffRequest;
import app.liuliang.handoff.Handoffs;
import app.liuliang.message.FaqLibrary;
import app.liuliang.sidebar.PatientAccess;
import app.liuliang.sidebar.QuickReplies;
import app.liuliang.sidebar.SidebarAudit;
import app.liuliang.sidebar.SidebarAudit.Action;
import app.liuliang.sidebar.SidebarConfig;
import app.liuliang.sidebar.SidebarSettings;
import app.liuliang.web.Routes;
import app.liuliang.web.console.ConsolePages;
import app.liuliang.web.console.SidebarViews;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The chat sidebar ({@code /sidebar}), opened from the app's 聊天工具栏: the page and its JS-SDK
 * signatures, and the JSON API the page reads and writes through, for staff signed in by
 * {@link SidebarSignIn} (OAuth2). Every patient and group answer passes {@link PatientAccess} and lands
 * in the {@link SidebarAudit}; writes carry the session's CSRF token. The 可信域名 verification files
 * at the root are {@link VerifyFiles}.
 */
public final class SidebarRoutes implements Routes {

  private static final Logger log = LoggerFactory.getLogger(SidebarRoutes.class);
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Map<String, String> ASSETS = Map.of("sidebar.css", "text/css; charset=utf-8",
      "sidebar.js", "text/javascript; charset=utf-8", "ww-sandbox.js", "text/javascript; charset=utf-8");
  /** Outside the WeCom client the real SDK does nothing: the sandbox's page gets a stand-in. */
  static final String SANDBOX_SDK = "/sidebar/static/ww-sandbox.js";
  static final String REFUSED = "您没有查看这位患者的权限：侧边栏只显示您添加的患者、转给您的患者（管理员可看全部）。";
  static final String GROUP_REFUSED = "您没有查看这个客户群的权限：只有群主、群里的员工和管理员可以查看。";

  private final Foundation foundation;
  private final Accounts accounts;
  private final SidebarSettings settings;
  private final QuickReplies replies;
  private final SidebarViews views;
  private final ContactTagger tagger;
  private final Handoffs handoffs;
  private final PatientAccess access;
  private final SidebarAudit audit;
  private final SidebarSignIn signIn;
  private final VerifyFiles verifyFiles;
  private final ConsolePages pages = new ConsolePages();

  /** @param accounts and {@code faq} may be null when their files failed to load (validate reports it) */
  public SidebarRoutes(Foundation foundation, Accounts accounts, SidebarConfig config, FaqLibrary faq, SidebarViews views,
      ContactTagger tagger, Handoffs handoffs) {
    this.foundation = foundation;
    this.accounts = accounts;
    this.settings = config.settings() == null ? SidebarSettings.defaults() : config.settings();
    this.replies = new QuickReplies(faq, config.scripts() == null ? app.liuliang.sidebar.ScriptLibrary.empty() : config.scripts());
    this.views = views;
    this.tagger = tagger;
    this.handoffs = handoffs;
    this.access = new PatientAccess(foundation.database().jdbi(), foundation.settings().app().admins());
    this.audit = new SidebarAudit(foundation.database().jdbi(), foundation.clock());
    this.signIn = new SidebarSignIn(foundation.wecom(), foundation.settings().wecom(), settings, foundation.clock());
    this.verifyFiles = new VerifyFiles(foundation.settings().configDir(), settings);
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/sidebar", this::page);
    routes.get("/sidebar/oauth", ctx -> {
      headers(ctx);
      signIn.comeBack(ctx, this::message);
    });
    routes.get("/sidebar/static/{file}", this::asset);
    routes.get("/sidebar/jsapi-signature", ctx -> api(ctx, false, session -> signature(ctx)));
    routes.get("/sidebar/api/patient", ctx -> api(ctx, false, session -> patient(ctx, session)));
    routes.post("/sidebar/api/patient/tags", ctx -> api(ctx, true, session -> tag(ctx, session)));
    routes.post("/sidebar/api/handoff", ctx -> api(ctx, true, session -> handoff(ctx, session)));
    routes.get("/sidebar/api/replies", ctx -> api(ctx, false, session -> replies(ctx, session)));
    routes.post("/sidebar/api/replies/sent", ctx -> api(ctx, true, session -> replySent(ctx, session)));
    routes.get("/sidebar/api/group", ctx -> api(ctx, false, session -> group(ctx, session)));
    verifyFiles.addTo(routes);
  }

  private void page(Context ctx) {
    Optional<SidebarSessions.Session> session = signIn.session(ctx);
    headers(ctx);
    if (session.isEmpty()) {
      signIn.sendToWeCom(ctx);
      return;
    }
    String userId = session.get().userId();
    var wecom = foundation.settings().wecom();
    ctx.html(pages.render("sidebar", Map.of("title", "患者侧边栏", "csrf", session.get().csrf(),
        "corpId", wecom.corpId(), "agentId", wecom.agentId(), "sdkUrl", sdkUrl(),
        "staff", staffName(userId))));
  }

  private void signature(Context ctx) throws WeComApiException {
    String url = String.valueOf(ctx.queryParam("url"));
    // Only our own page is signed: a signature for another URL would lend the app's identity to it.
    String page = signIn.base(ctx) + "/sidebar";
    if (!url.equals(page) && !url.startsWith(page + "?")) {
      ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "只能为侧边栏页面签名"));
      return;
    }
    WeComClient.JsapiSignature signature = foundation.wecom().jsapiSignature(url, !"corp".equals(ctx.queryParam("kind")));
    ctx.json(Map.of("corpId", signature.corpId(), "agentId", signature.agentId(), "timestamp", signature.timestamp(),
        "nonceStr", signature.nonceStr(), "signature", signature.signature()));
  }

  private void patient(Context ctx, SidebarSessions.Session session) {
    String ext = required(ctx.queryParam("external_userid"));
    if (!admitted(ctx, session, ext)) {
      return;
    }
    Optional<Map<String, Object>> view = views.patient(ext);
    if (view.isEmpty()) {
      ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "还没有这位患者的资料（可能刚添加，稍后再试）。"));
      return;
    }
    audit.patient(session.userId(), Action.VIEW, ext, null);
    ctx.json(view.get());
  }

  private void tag(Context ctx, SidebarSessions.Session session) throws IOException {
    JsonNode body = foundation.json().readTree(ctx.body());
    String ext = required(body.path("external_userid").asText(null));
    String tag = required(body.path("tag").asText(null));
    boolean add = body.path("add").asBoolean(true);
    if (!admitted(ctx, session, ext)) {
      return;
    }
    boolean changed;
    try {
      changed = add ? tagger.tag(ext, tag, "staff") : tagger.untag(ext, tag);
    } catch (IllegalArgumentException e) {
      ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "这个标签不在 tags.yaml 里。"));
      return;
    } catch (WeComApiException e) {
      log.warn("sidebar tag change on {} by {} waits for WeCom: {}", ext, session.userId(), e.getMessage());
      ctx.status(HttpStatus.SERVICE_UNAVAILABLE).json(Map.of("error", "暂时连不上企业微信，标签未改，请稍后重试。"));
      return;
    }
    if (changed) {
      audit.patient(session.userId(), add ? Action.TAG_ADD : Action.TAG_REMOVE, ext, tag);
    }
    log.info("sidebar {} tag on {} by {}: {}", add ? "add" : "remove", ext, session.userId(), changed ? "changed" : "unchanged");
    ctx.json(Map.of("changed", changed, "notice", changed ? (add ? "已加标签，正在同步到企业微信。" : "已去掉标签，正在同步到企业微信。")
        : "标签没有变化。", "patient", views.patient(ext).orElse(Map.of())));
  }

  private void handoff(Context ctx, SidebarSessions.Session session) throws IOException {
    JsonNode body = foundation.json().readTree(ctx.body());
    String ext = required(body.path("external_userid").asText(null));
    String doctor = required(body.path("doctor").asText(null));
    if (!admitted(ctx, session, ext)) {
      return;
    }
    if (accounts == null || accounts.find(doctor).filter(Account::isDoctor).isEmpty()) {
      ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "请选择 accounts.yaml 里的医生。"));
      return;
    }
    HandoffRequest.PatientCard card = views.card(ext).orElseThrow(() -> new NotFoundResponse("no such patient"));
    // The doctor as the patient's "own" doctor puts them first on the route; the rest of the roster follows.
    HandoffRequest request = new HandoffRequest("sidebar:" + session.userId() + ":" + ext + ":" + foundation.clock().millis(),
        ext, null, List.of(doctor), null, "staff", "staff", card);
    Handoffs.Outcome outcome = handoffs.openForStaff(request);
    if (outcome != Handoffs.Outcome.ALREADY_OPEN) {
      audit.patient(session.userId(), Action.HANDOFF, ext, doctor);
    }
    log.info("sidebar hand-off of {} to {} by {}: {}", ext, doctor, session.userId(), outcome);
    ctx.json(Map.of("outcome", outcome.name().toLowerCase(java.util.Locale.ROOT), "notice", switch (outcome) {
      case NOTIFIED -> "已转给" + staffName(doctor) + "，医生会收到卡片通知。";
      case QUEUED -> staffName(doctor) + "现在不在出诊时间，上班后会收到通知。";
      case ALREADY_OPEN -> "这位患者已有进行中的转接。";
    }, "patient", views.patient(ext).orElse(Map.of())));
  }

  private void replies(Context ctx, SidebarSessions.Session session) {
    String ext = ctx.queryParam("external_userid");
    // The patient's name goes into a reply only for someone who may see the patient.
    String name = ext != null && access.patient(session.userId(), ext) != PatientAccess.Basis.REFUSED
        ? views.patientName(ext).orElse("") : "";
    ctx.json(Map.of("replies", replies.matching(ctx.queryParam("q"), account(session.userId()), name)));
  }

  private void replySent(Context ctx, SidebarSessions.Session session) throws IOException {
    JsonNode body = foundation.json().readTree(ctx.body());
    String ext = body.path("external_userid").asText("");
    String chat = body.path("chat_id").asText("");
    String reply = required(body.path("reply_id").asText(null));
    if (replies.find(reply).isEmpty()) {
      ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "没有这条话术。"));
      return;
    }
    if (!ext.isEmpty()) {
      audit.patient(session.userId(), Action.REPLY, ext, reply);
    } else {
      audit.group(session.userId(), Action.REPLY, chat.isEmpty() ? null : chat);
    }
    ctx.json(Map.of("recorded", true));
  }

  private void group(Context ctx, SidebarSessions.Session session) {
    String chat = required(ctx.queryParam("chat_id"));
    if (access.group(session.userId(), chat) == PatientAccess.Basis.REFUSED) {
      audit.group(session.userId(), Action.REFUSED, chat);
      ctx.status(HttpStatus.FORBIDDEN).json(Map.of("error", GROUP_REFUSED));
      return;
    }
    Optional<Map<String, Object>> view = views.group(chat);
    if (view.isEmpty()) {
      ctx.status(HttpStatus.NOT_FOUND).json(Map.of("error", "还没有这个客户群的资料（群同步后再试）。"));
      return;
    }
    audit.group(session.userId(), Action.GROUP_VIEW, chat);
    ctx.json(view.get());
  }

  /** The privacy rule; a refusal is recorded and answered 403 with the reason in Chinese. */
  private boolean admitted(Context ctx, SidebarSessions.Session session, String ext) {
    if (access.patient(session.userId(), ext) != PatientAccess.Basis.REFUSED) {
      return true;
    }
    audit.patient(session.userId(), Action.REFUSED, ext, null);
    log.info("sidebar refused {} a patient they do not follow", session.userId());
    ctx.status(HttpStatus.FORBIDDEN).json(Map.of("error", REFUSED));
    return false;
  }

  @FunctionalInterface
  private interface SessionHandler {
    void handle(SidebarSessions.Session session) throws Exception;
  }

  /** JSON for a signed-in staff member; writes also need the session's CSRF token in a header. */
  private void api(Context ctx, boolean write, SessionHandler handler) throws Exception {
    headers(ctx);
    Optional<SidebarSessions.Session> session = signIn.session(ctx);
    if (session.isEmpty()) {
      ctx.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", "登录已过期，请重新打开侧边栏。"));
      return;
    }
    if (write && !SidebarSignIn.equal(session.get().csrf(), String.valueOf(ctx.header(CSRF_HEADER)))) {
      ctx.status(HttpStatus.FORBIDDEN).json(Map.of("error", "页面已过期，请刷新后重试。"));
      return;
    }
    try {
      handler.handle(session.get());
    } catch (IllegalArgumentException e) {
      ctx.status(HttpStatus.BAD_REQUEST).json(Map.of("error", "请求缺少参数。"));
    } catch (WeComApiException e) {
      log.warn("sidebar call for {} failed at WeCom: {}", session.get().userId(), e.getMessage());
      ctx.status(HttpStatus.BAD_GATEWAY).json(Map.of("error", "暂时连不上企业微信，请稍后重试。"));
    }
  }

  private void asset(Context ctx) throws IOException {
    String type = ASSETS.get(ctx.pathParam("file"));
    if (type == null) {
      throw new NotFoundResponse();
    }
    try (InputStream in = SidebarRoutes.class.getResourceAsStream("/sidebar/" + ctx.pathParam("file"))) {
      if (in == null) {
        throw new NotFoundResponse();
      }
      ctx.contentType(type).header("Cache-Control", "max-age=3600").result(in.readAllBytes());
    }
  }

  private String sdkUrl() {
    return foundation.settings().wecom().sandbox() && SidebarSettings.DEFAULT_SDK.equals(settings.sdkUrl())
        ? SANDBOX_SDK : settings.sdkUrl();
  }

  private Optional<Account> account(String userId) {
    return accounts == null ? Optional.empty() : accounts.find(userId);
  }

  /** The nickname of accounts.yaml; an admin of app.yaml who is no account is 管理员; anyone else their userid. */
  private String staffName(String userId) {
    return account(userId).map(Account::nickname).orElse(access.isAdmin(userId) ? "管理员" : userId);
  }

  private String message(String text) {
    return pages.render("sidebar_message", Map.of("title", "患者侧边栏", "message", text));
  }

  private void headers(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    // No frame-ancestors: WeCom's desktop client may show the toolbar page in a frame of its own.
    ctx.header("Content-Security-Policy", "default-src 'self'; script-src 'self' " + settings.sdkOrigin()
        + "; style-src 'self'; img-src 'self' data: https:; connect-src 'self' https:; frame-src https:");
  }

  private static String required(String value) {
    if (value == null || value.isBlank() || value.length() > 256) {
      throw new IllegalArgumentException("missing parameter");
    }
    return value.strip();
  }
}
