package app.liuliang.sidebar;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;

/**
 * {@code config/sidebar.yaml}: optional, every key has a default.
 *
 * @param publicUrl    the server's address on the app's 可信域名 (e.g. https://scrm.clinic.cn), where WeCom's
 *                     OAuth2 sends staff back to; empty: the address the request came to
 * @param sdkUrl       the WeCom JS-SDK script the page loads (a copy on the clinic's own server works too)
 * @param authorizeUrl WeCom's OAuth2 page; tests and the sandbox point it at their fake
 * @param session      how long a sign-in lasts before OAuth2 runs again
 * @param verifyFile   the 可信域名 verification file (WW_verify_*.txt) in the config folder, served at the
 *                     root; any WW_verify_*.txt in the config folder is served without naming it here
 */
public record SidebarSettings(String publicUrl, String sdkUrl, String authorizeUrl, Duration session, String verifyFile) {

  public static final String FILE = "sidebar.yaml";
  public static final String DEFAULT_SDK = "https://wwcdn.weixin.qq.com/node/open/js/wecom-jssdk-2.0.2.js";
  public static final String DEFAULT_AUTHORIZE = "https://open.weixin.qq.com/connect/oauth2/authorize";
  /** The name WeCom gives the file it asks to be put at the domain's root. */
  public static final Pattern VERIFY_NAME = Pattern.compile("WW_verify_[A-Za-z0-9]{1,64}\\.txt");

  public SidebarSettings {
    publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    sdkUrl = sdkUrl == null ? DEFAULT_SDK : sdkUrl;
    authorizeUrl = authorizeUrl == null ? DEFAULT_AUTHORIZE : authorizeUrl;
    session = session == null ? Duration.ofMinutes(30) : session;
    verifyFile = verifyFile == null ? "" : verifyFile;
  }

  public static SidebarSettings defaults() {
    return new SidebarSettings(null, null, null, null, null);
  }

  /** The file when present, else the defaults; null when it has problems. */
  public static SidebarSettings load(Path configDir, YamlReader yaml, Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return defaults();
    }
    return yaml.load(file, SidebarSettings.class, problems, (doc, found) -> doc.value().check(doc, configDir, found));
  }

  private void check(YamlDocument<SidebarSettings> doc, Path configDir, Problems problems) {
    if (!publicUrl.isEmpty() && !webAddress(publicUrl)) {
      problems.add(doc.problem("/public_url", "public_url must be an http(s) address, was \"" + publicUrl + "\"",
          "e.g. https://scrm.clinic.cn (the app's 可信域名)"));
    }
    if (!webAddress(sdkUrl)) {
      problems.add(doc.problem("/sdk_url", "sdk_url must be an http(s) address, was \"" + sdkUrl + "\"", "default " + DEFAULT_SDK));
    }
    if (!webAddress(authorizeUrl)) {
      problems.add(doc.problem("/authorize_url", "authorize_url must be an http(s) address, was \"" + authorizeUrl + "\"",
          "default " + DEFAULT_AUTHORIZE));
    }
    if (session.compareTo(Duration.ofMinutes(1)) < 0 || session.compareTo(Duration.ofHours(12)) > 0) {
      problems.add(doc.problem("/session", "session must be between PT1M and PT12H, was " + session, "e.g. PT30M"));
    }
    if (!verifyFile.isEmpty()) {
      if (!VERIFY_NAME.matcher(verifyFile).matches()) {
        problems.add(doc.problem("/verify_file", "verify_file must be named WW_verify_<letters and digits>.txt, was \""
            + verifyFile + "\"", "the file name WeCom's 可信域名 page gives"));
      } else if (!Files.isRegularFile(configDir.resolve(verifyFile))) {
        problems.add(doc.problem("/verify_file", "no file " + verifyFile + " in the config folder",
            "download it from 应用管理 → 网页授权及JS-SDK → 可信域名 and put it next to sidebar.yaml"));
      }
    }
  }

  /** The origin of the SDK script, for the page's Content-Security-Policy. */
  public String sdkOrigin() {
    URI uri = URI.create(sdkUrl);
    return uri.getScheme() + "://" + uri.getRawAuthority();
  }

  private static boolean webAddress(String url) {
    try {
      URI uri = URI.create(url);
      return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
