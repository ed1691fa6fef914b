package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;

import com.github.tomakehurst.wiremock.WireMockServer;

/**
 * The sandbox's 继承 API: every customer of {@code transfer_customer} (在职 or 离职) starts (errcode 0), groups
 * move, nobody is unassigned. {@code transfer_result} lists no one (the sandbox keeps nothing), so a
 * sandbox transfer stays "waiting" as a real one does for its first 24 hours.
 */
public final class TransferStubs {

  private static final String API = "/cgi-bin/externalcontact/";

  private TransferStubs() {
  }

  public static void install(WireMockServer server) {
    server.stubFor(post(urlPathMatching(API + "(resigned/)?transfer_customer")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"customer\":["
            + "{{#each (jsonPath request.body '$.external_userid') as |id|}}{{#if @index}},{{/if}}"
            + "{\"external_userid\":\"{{id}}\",\"errcode\":0}{{/each}}]}")));
    server.stubFor(post(urlPathMatching(API + "(resigned/)?transfer_result")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"customer\":[],\"next_cursor\":\"\"}")));
    server.stubFor(post(urlPathEqualTo(API + "get_unassigned_list")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"info\":[],\"is_last\":true,\"next_cursor\":\"\"}")));
    server.stubFor(post(urlPathMatching(API + "groupchat/(onjob_)?transfer")).atPriority(5)
        .willReturn(json("{\"errcode\":0,\"errmsg\":\"ok\",\"failed_chat_list\":[]}")));
  }

  private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder json(String body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8").withBody(body)
        .withTransformers("response-template");
  }
}
