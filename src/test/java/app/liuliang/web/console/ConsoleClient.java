package app.liuliang.web.console;

import app.liuliang.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A browser in miniature: keeps the session cookie, reads the CSRF token from pages, posts forms. */
public final class ConsoleClient {

  private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

  private final TestServer server;
  private String cookie;

  public ConsoleClient(TestServer server) {
    this.server = server;
  }

  public HttpResponse<String> login(String token) throws Exception {
    HttpResponse<String> reply = server.post("/admin/login", "token=" + URLEncoder.encode(token, StandardCharsets.UTF_8),
        "Content-Type", "application/x-www-form-urlencoded");
    reply.headers().firstValue("Set-Cookie").ifPresent(this::keep);
    return reply;
  }

  public HttpResponse<String> get(String path) throws Exception {
    HttpResponse<String> reply = cookie == null ? server.get(path) : server.get(path, "Cookie", cookie);
    reply.headers().firstValue("Set-Cookie").ifPresent(this::keep);
    return reply;
  }

  public HttpResponse<String> postForm(String path, String form) throws Exception {
    return cookie == null
        ? server.post(path, form, "Content-Type", "application/x-www-form-urlencoded")
        : server.post(path, form, "Content-Type", "application/x-www-form-urlencoded", "Cookie", cookie);
  }

  /** The CSRF token the page at {@code path} carries in its forms. */
  public String csrfFrom(String path) throws Exception {
    Matcher m = CSRF.matcher(get(path).body());
    if (!m.find()) {
      throw new AssertionError("no CSRF field on " + path);
    }
    return m.group(1);
  }

  public String cookie() {
    return cookie;
  }

  private void keep(String setCookie) {
    String pair = setCookie.split(";", 2)[0];
    cookie = pair.endsWith("=") ? null : pair;
  }
}
