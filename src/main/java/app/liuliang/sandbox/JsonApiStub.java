package app.liuliang.sandbox;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;

/**
 * A sandbox WeCom API that answers from what it computes or remembers rather than from a fixed stub: the
 * request's path below {@link #API} and its JSON body in, WeCom's JSON answer out (errcode 47001 for a body
 * that is not JSON, as WeCom). Stubs name it with {@code withTransformers(name)}; one request at a time, so
 * a stub's state needs no locking of its own.
 */
abstract class JsonApiStub implements ResponseDefinitionTransformerV2 {

  static final String API = "/cgi-bin/externalcontact/";
  static final ObjectMapper JSON = new ObjectMapper();

  private final String name;

  JsonApiStub(String name) {
    this.name = name;
  }

  /** WeCom's answer to {@code path} (below {@link #API}) with this body. */
  abstract ObjectNode answer(String path, JsonNode body);

  @Override
  public final String getName() {
    return name;
  }

  @Override
  public final boolean applyGlobally() {
    return false;
  }

  @Override
  public final synchronized ResponseDefinition transform(ServeEvent event) {
    String path = event.getRequest().getUrl().replaceAll("\\?.*", "").substring(API.length());
    ObjectNode answer;
    try {
      String text = event.getRequest().getBodyAsString();
      answer = answer(path, text == null || text.isBlank() ? JSON.createObjectNode() : JSON.readTree(text));
    } catch (java.io.IOException e) {
      answer = error(47001, "data format error");
    }
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json; charset=utf-8")
        .withBody(answer.toString()).build();
  }

  static ObjectNode ok() {
    return JSON.createObjectNode().put("errcode", 0).put("errmsg", "ok");
  }

  static ObjectNode error(int errcode, String errmsg) {
    return JSON.createObjectNode().put("errcode", errcode).put("errmsg", errmsg);
  }
}
