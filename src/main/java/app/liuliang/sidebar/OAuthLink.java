package app.liuliang.sidebar;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The OAuth2 link a staff member without a sidebar session is sent to: {@code snsapi_base}, so WeCom
 * answers the userid silently. Built here rather than with WxJava's {@code buildAuthorizationUrl},
 * which always points at open.weixin.qq.com (the sandbox and tests have their own) and leaves
 * {@code agentid} out for {@code snsapi_base}, while WeCom's document (96441) lists it.
 */
public final class OAuthLink {

  private final String authorizeUrl;
  private final String corpId;
  private final String agentId;

  public OAuthLink(String authorizeUrl, String corpId, String agentId) {
    this.authorizeUrl = authorizeUrl;
    this.corpId = corpId;
    this.agentId = agentId;
  }

  /** @param state a-z, A-Z, 0-9 only, at most 128 bytes (WeCom's rule), checked against CSRF on return */
  public String to(String redirectUri, String state) {
    if (!state.matches("[A-Za-z0-9]{1,128}")) {
      throw new IllegalArgumentException("OAuth2 state must be 1-128 letters and digits");
    }
    return authorizeUrl + "?appid=" + encode(corpId) + "&redirect_uri=" + encode(redirectUri)
        + "&response_type=code&scope=snsapi_base&state=" + state + "&agentid=" + encode(agentId) + "#wechat_redirect";
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
