package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * What the chat sidebar needs of WeCom: the OAuth2 page (open.weixin.qq.com's authorize, which sends the
 * browser back to the sidebar with a code and the state), {@code auth/getuserinfo} for that code, and the
 * corp's and the app's JS-SDK tickets. {@link #signInAs} makes the next sign-in come back as that staff
 * member; the sandbox signs in as its assistant.
 */
public final class SidebarStubs {

  public static final String AUTHORIZE_PATH = "/connect/oauth2/authorize";
  public static final String CORP_TICKET = "sandbox-corp-jsapi-ticket";
  public static final String AGENT_TICKET = "sandbox-agent-jsapi-ticket";

  private SidebarStubs() {
  }

  public static void install(WireMockServer server) {
    server.stubFor(get(urlPathEqualTo("/cgi-bin/get_jsapi_ticket")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"ticket\":\"" + CORP_TICKET + "\",\"expires_in\":7200}")));
    server.stubFor(get(urlPathEqualTo("/cgi-bin/ticket/get")).withQueryParam("type", equalTo("agent_config")).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"ticket\":\"" + AGENT_TICKET + "\",\"expires_in\":7200}")));
    signInAs(server, GroupStubs.OWNER);
  }

  /** The authorize page hands out a code for {@code userId}, and {@code auth/getuserinfo} answers it. */
  public static void signInAs(WireMockServer server, String userId) {
    String code = "code-" + userId;
    server.stubFor(get(urlPathEqualTo(AUTHORIZE_PATH)).atPriority(5)
        .willReturn(aResponse().withStatus(302)
            .withHeader("Location", "{{request.query.redirect_uri}}?code=" + code + "&state={{request.query.state}}")
            .withTransformers("response-template")));
    server.stubFor(get(urlPathEqualTo("/cgi-bin/auth/getuserinfo")).withQueryParam("code", equalTo(code)).atPriority(5)
        .willReturn(okJson("{\"errcode\":0,\"errmsg\":\"ok\",\"userid\":\"" + userId + "\"}")));
  }
}
