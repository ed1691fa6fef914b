package app.liuliang.web.console;

import app.liuliang.account.Accounts;
import app.liuliang.app.Foundation;
import app.liuliang.callback.InboxRepository;
import app.liuliang.channel.ChannelCodesFeature;
import app.liuliang.contact.ReferralProgramme;
import app.liuliang.contact.TagCatalog;
import app.liuliang.privacy.PatientEraser;
import app.liuliang.group.GroupCatalog;
import app.liuliang.sandbox.SandboxWeCom;
import app.liuliang.web.AdminAuth;
import app.liuliang.web.ClientAddress;
import app.liuliang.web.Routes;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.NotFoundResponse;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console under {@code /admin}: server-rendered pages (今日, 本周, 分层, 推荐, 转接,
 * 发件箱; 患者 and the hand-off desk in {@link PatientRoutes}), sign-in and sign-out, the outbox retry action, and a small JSON API for scripts. Every
 * page and API call goes through {@link ConsoleAccess} first: no caller, no data.
 */
public final class ConsoleRoutes implements Routes {

  private static final Logger log = LoggerFactory.getLogger(ConsoleRoutes.class);
  static final Duration SESSION_LIFETIME = Duration.ofHours(12);
  private static final Map<String, String> ASSETS = Map.of(
      "console.css", "text/css; charset=utf-8", "console.js", "text/javascript; charset=utf-8");

  private final Foundation foundation;
  private final ConsoleAccess access;
  private final ConsolePages pages = new ConsolePages();
  private final ConsoleTime time;
  private final ConsoleViews views;
  private final ChannelCodesFeature channels;
  private final ReferralProgramme programme;
  private final ChannelQueries channelQueries;
  private final PatientEraser eraser;
  private final ClientAddress addresses;
  private final PatientRoutes patientRoutes;
  private final Optional<SandboxSends> sandboxSends;

  /**
   * @param accounts, {@code tags} and {@code groups} may be null when their files failed to load
   *                  (validate reports it)
   * @param channels  the channel codes, for the 渠道 page
   * @param programme the referral programme, for the 推荐 page
   * @param workplace what the patient and hand-off pages write through
   * @param sandbox   the fake WeCom in sandbox mode (the 沙箱 page shows what the bot sent it)
   */
  public ConsoleRoutes(Foundation foundation, AdminAuth auth, Accounts accounts, TagCatalog tags, GroupCatalog groups,
      ChannelCodesFeature channels, ReferralProgramme programme, PatientRoutes.Workplace workplace,
      Optional<SandboxWeCom> sandbox) {
    this.foundation = foundation;
    this.channels = channels;
    this.programme = programme;
    this.access = new ConsoleAccess(auth, foundation.settings().wecom().sandbox(),
        new ConsoleSessions(foundation.database().jdbi(), foundation.clock(), SESSION_LIFETIME));
    this.time = new ConsoleTime(foundation.clock(), foundation.settings().app().timezone());
    this.channelQueries = new ChannelQueries(foundation.database().jdbi(), time);
    ConsoleNames names = new ConsoleNames(channels::catalog, accounts);
    this.views = new ConsoleViews(foundation.database().jdbi(), new InboxRepository(foundation.database().jdbi()),
        foundation.outbox().repository(), time, accounts, names, tags == null ? 50 : tags.topReferrers(), groups);
    this.addresses = new ClientAddress(foundation.settings().app().server().trustedProxies());
    this.eraser = new PatientEraser(foundation.database(), foundation.json(), foundation.clock());
    this.patientRoutes = new PatientRoutes(this, foundation.database().jdbi(), time, names, tags, workplace);
    this.sandboxSends = sandbox.map(fake -> new SandboxSends(fake, time));
  }

  @Override
  public void addTo(RoutesConfig routes) {
    routes.get("/admin/static/{file}", this::asset);
    routes.get("/admin/login", this::loginForm);
    routes.post("/admin/login", this::login);
    routes.post("/admin/logout", ctx -> action(ctx, caller -> {
      access.signOut(ctx, caller);
      log.info("console sign-out from {}", ctx.ip());
      ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
    }));
    routes.get("/admin", ctx -> page(ctx, "today", "今日", views::today));
    routes.get("/admin/week", ctx -> page(ctx, "week", "本周", views::week));
    routes.get("/admin/layers", ctx -> page(ctx, "layers", "分层", () -> {
      Map<String, Object> model = views.patients();
      model.put("forgotten", ctx.queryParam("forgotten"));
      model.put("forgottenRows", ctx.queryParam("rows"));
      model.put("forgetError", FORGET_ERRORS.get(String.valueOf(ctx.queryParam("forgetError"))));
      model.put("erasedPatients", eraser.erasedPatients());
      return model;
    }));
    routes.post("/admin/patients/forget", ctx -> action(ctx, caller -> forget(ctx)));
    patientRoutes.addTo(routes);
    routes.get("/admin/referrals", ctx -> page(ctx, "referrals", "推荐", () -> {
      Map<String, Object> model = views.referrals();
      model.put("progress", ((java.util.List<?>) model.get("referrers")).stream()
          .map(r -> programme.progressOf(((ReferralQueries.Referrer) r).externalUserId()))
          .collect(java.util.stream.Collectors.toMap(ReferralProgramme.Progress::referrer, p -> p, (a, b) -> a)));
      model.put("rewards", programme.rewards(100).stream().map(w -> Map.of("referrer", w.referrer(),
          "name", w.name().isEmpty() ? "（未命名患者）" : w.name(), "friends", w.friends(), "reward", w.reward(),
          "status", Labels.rewardStatus(w.status()), "redeemable", !"redeemed".equals(w.status()),
          "earnedAt", time.shortTime(w.earnedAt()))).toList());
      model.put("redeemed", ctx.queryParam("redeemed"));
      model.put("countsAfter", programme.countsAfterLabel());
      model.put("made", ctx.queryParam("made"));
      model.put("notMade", ctx.queryParam("notMade"));
      return model;
    }));
    routes.post("/admin/referrals/{ext}/rewards/{friends}/redeem", ctx -> action(ctx, caller -> {
      String ext = ctx.pathParam("ext");
      int friends = Integer.parseInt(ctx.pathParam("friends").replaceAll("\\D", "0"));
      boolean done = programme.redeem(ext, friends, caller.signedIn() ? "console" : "bearer");
      log.info("console redeemed the {}-friend reward of {} from {}: {}", friends, ext, ctx.ip(), done);
      ctx.redirect("/admin/referrals?redeemed=" + (done ? "1" : "0"), HttpStatus.SEE_OTHER);
    }));
    routes.get("/admin/referrals/{ext}/qr.png", ctx -> image(ctx, channels.personal().qr(ctx.pathParam("ext")), null));
    routes.post("/admin/referrals/{ext}/code", ctx -> action(ctx, caller -> {
      String ext = ctx.pathParam("ext");
      var code = channels.personal().ensure(ext, "operator");
      log.info("console referral code for {} from {}: {}", ext, ctx.ip(), code.map(c -> c.status()).orElse("not a contact"));
      String param = code.filter(c -> "active".equals(c.status())).isPresent() ? "made=" : "notMade=";
      ctx.redirect("/admin/referrals?" + param + java.net.URLEncoder.encode(ext, java.nio.charset.StandardCharsets.UTF_8),
          HttpStatus.SEE_OTHER);
    }));
    routes.get("/admin/handoffs", ctx -> page(ctx, "handoffs", "转接", views::handoffs));
    routes.get("/admin/channels", ctx -> page(ctx, "channels", "渠道", () -> {
      Map<String, Object> model = channelQueries.page(channels);
      model.put("synced", ctx.queryParam("synced"));
      return model;
    }));
    routes.get("/admin/channels/{state}/qr.png", ctx -> image(ctx, channels.qr(ctx.pathParam("state")), null));
    routes.get("/admin/channels/{state}/poster.png", ctx -> image(ctx, channels.poster(ctx.pathParam("state")),
        channels.code(ctx.pathParam("state")).map(ChannelCodesFeature.CodeView::label).orElse("poster")));
    routes.post("/admin/channels/sync", ctx -> action(ctx, caller -> {
      var report = channels.sync();
      log.info("console channel sync from {}: {}", ctx.ip(), report);
      ctx.redirect("/admin/channels?synced=" + java.net.URLEncoder.encode(report.toString(),
          java.nio.charset.StandardCharsets.UTF_8), HttpStatus.SEE_OTHER);
    }));
    routes.get("/admin/groups", ctx -> page(ctx, "groups", "客户群", () -> views.groups(ctx.queryParam("patient"))));
    routes.get("/admin/groups/poster", ctx -> {
      Map<String, Object> model = views.groupPoster(ctx.queryParam("category"));
      if (model.get("category") == null) {
        throw new NotFoundResponse();
      }
      page(ctx, "group_poster", "客户群海报", () -> model);
    });
    routes.get("/admin/outbox", ctx -> page(ctx, "outbox", "发件箱", () -> {
      Map<String, Object> model = views.outbox();
      model.put("retried", ctx.queryParam("retried"));
      model.put("retryFailed", ctx.queryParam("notRetried"));
      return model;
    }));
    routes.post("/admin/outbox/{id}/retry", ctx -> action(ctx, caller -> {
      long id = pathId(ctx);
      boolean requeued = retry(ctx, id);
      ctx.redirect("/admin/outbox?" + (requeued ? "retried=" : "notRetried=") + id, HttpStatus.SEE_OTHER);
    }));
    routes.get("/admin/ops", ctx -> page(ctx, "ops", "运维", views::ops));
    sandboxSends.ifPresent(sends -> routes.get("/admin/sandbox", ctx -> page(ctx, "sandbox", "沙箱",
        () -> Map.of("sends", sends.latest()))));
    routes.get("/admin/api/today", ctx -> api(ctx, caller -> ctx.json(views.todayNumbers())));
    routes.get("/admin/api/outbox", ctx -> api(ctx, caller -> ctx.json(views.gaveUp())));
    routes.post("/admin/api/outbox/{id}/retry", ctx -> api(ctx, caller -> {
      if (!access.csrfValid(caller, ctx)) {
        ctx.status(HttpStatus.FORBIDDEN).json(Map.of("error", "csrf token missing or wrong"));
        return;
      }
      long id = pathId(ctx);
      ctx.json(Map.of("id", id, "requeued", retry(ctx, id)));
    }));
  }

  /** A stored PNG for a signed-in caller; 404 when there is none (yet). */
  private void image(Context ctx, Optional<byte[]> png, String downloadName) {
    if (admit(ctx).isEmpty()) {
      ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
      return;
    }
    if (png.isEmpty()) {
      throw new NotFoundResponse();
    }
    noStore(ctx);
    if (downloadName != null) {
      ctx.header("Content-Disposition", "attachment; filename*=UTF-8''"
          + java.net.URLEncoder.encode(downloadName + ".png", java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"));
    }
    ctx.contentType("image/png").result(png.get());
  }

  private static final Map<String, String> FORGET_ERRORS = Map.of(
      "mismatch", "两次输入的 external_userid 不一致，未删除任何数据。",
      "unknown", "没有找到这位患者的任何数据，未删除。");

  /** Erasure on request: the id typed twice (a slip of the hand must not erase someone). */
  private void forget(Context ctx) {
    String ext = String.valueOf(ctx.formParam("external_userid")).trim();
    if (ext.isEmpty() || !ext.equals(String.valueOf(ctx.formParam("confirm")).trim())) {
      ctx.redirect("/admin/layers?forgetError=mismatch", HttpStatus.SEE_OTHER);
      return;
    }
    PatientEraser.Outcome outcome = eraser.forget(ext, "console:" + addresses.of(ctx));
    ctx.redirect(outcome.known()
        ? "/admin/layers?forgotten=" + outcome.auditId() + "&rows=" + outcome.total()
        : "/admin/layers?forgetError=unknown", HttpStatus.SEE_OTHER);
  }

  private boolean retry(Context ctx, long id) {
    boolean requeued = foundation.outbox().retry(id);
    log.info("console retry of outbox {} from {}: {}", id, ctx.ip(), requeued ? "requeued" : "not retryable");
    return requeued;
  }

  interface Model {
    Map<String, Object> build();
  }

  interface CallerHandler {
    void handle(ConsoleAccess.Caller caller) throws Exception;
  }

  void page(Context ctx, String template, String title, Model model) {
    Optional<ConsoleAccess.Caller> caller = admit(ctx);
    if (caller.isEmpty()) {
      ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
      return;
    }
    Map<String, Object> values = new HashMap<>(model.build());
    values.put("page", template);
    values.put("title", title);
    values.put("csrf", caller.get().csrf());
    values.put("signedIn", caller.get().signedIn() && access.mode() == ConsoleAccess.Mode.TOKEN);
    values.put("openMode", access.mode() == ConsoleAccess.Mode.OPEN);
    values.put("now", time.shortTime(time.now()));
    noStore(ctx);
    ctx.html(pages.render(template, values));
  }

  /** A browser form POST: a caller, and (for browsers) the session's CSRF token. */
  void action(Context ctx, CallerHandler handler) throws Exception {
    Optional<ConsoleAccess.Caller> caller = admit(ctx);
    if (caller.isEmpty()) {
      ctx.redirect("/admin/login", HttpStatus.SEE_OTHER);
      return;
    }
    if (!access.csrfValid(caller.get(), ctx)) {
      log.warn("console form refused: missing or wrong CSRF token from {}", ctx.ip());
      ctx.status(HttpStatus.FORBIDDEN).result("表单已过期，请刷新页面后重试。");
      return;
    }
    handler.handle(caller.get());
  }

  private void api(Context ctx, CallerHandler handler) throws Exception {
    Optional<ConsoleAccess.Caller> caller = access.identify(ctx);
    noStore(ctx);
    if (caller.isEmpty()) {
      ctx.status(HttpStatus.UNAUTHORIZED).json(Map.of("error", "admin token or console session required"));
      return;
    }
    handler.handle(caller.get());
  }

  /** The caller, or empty; a console that is off answers 404 as if it were not there. */
  private Optional<ConsoleAccess.Caller> admit(Context ctx) {
    if (access.mode() == ConsoleAccess.Mode.OFF) {
      throw new NotFoundResponse();
    }
    return access.identify(ctx);
  }

  private void loginForm(Context ctx) {
    if (access.mode() == ConsoleAccess.Mode.OFF) {
      throw new NotFoundResponse();
    }
    if (access.mode() == ConsoleAccess.Mode.OPEN) {
      ctx.redirect("/admin", HttpStatus.SEE_OTHER);
      return;
    }
    noStore(ctx);
    ctx.html(pages.render("login", Map.of("title", "登录", "error", "")));
  }

  private void login(Context ctx) {
    if (access.mode() == ConsoleAccess.Mode.OFF) {
      throw new NotFoundResponse();
    }
    if (access.mode() == ConsoleAccess.Mode.TOKEN) {
      // Refusals are logged (throttled) by AdminAuth; only the page is ours.
      switch (access.checkToken(ctx, ctx.formParam("token"))) {
        case GRANTED -> { }
        case THROTTLED -> {
          refuseSignIn(ctx, HttpStatus.TOO_MANY_REQUESTS, "throttled");
          return;
        }
        default -> {
          refuseSignIn(ctx, HttpStatus.UNAUTHORIZED, "wrong");
          return;
        }
      }
    }
    access.signIn(ctx);
    log.info("console sign-in from {}", ctx.ip());
    ctx.redirect("/admin", HttpStatus.SEE_OTHER);
  }

  private void refuseSignIn(Context ctx, HttpStatus status, String error) {
    noStore(ctx);
    ctx.status(status).html(pages.render("login", Map.of("title", "登录", "error", error)));
  }

  private void asset(Context ctx) throws IOException {
    String file = ctx.pathParam("file");
    String type = ASSETS.get(file);
    if (type == null) {
      throw new NotFoundResponse();
    }
    try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + file)) {
      if (in == null) {
        throw new NotFoundResponse();
      }
      ctx.contentType(type).header("Cache-Control", "max-age=3600").result(in.readAllBytes());
    }
  }

  private static long pathId(Context ctx) {
    return ctx.pathParamAsClass("id", Long.class).get();
  }

  private static void noStore(Context ctx) {
    ctx.header("Cache-Control", "no-store");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Content-Security-Policy",
        // Group code QR images live on WeCom's image CDN (qpic.cn); nothing else loads from elsewhere.
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https://*.qpic.cn; "
            + "frame-ancestors 'none'");
  }
}
