package app.liuliang.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The JS-SDK signature the sidebar's page registers with, against WeCom's published example. */
class JsapiSignatureTest {

  @Test
  void theSignatureOfWeComsPublishedExampleMatches() {
    String signature = WxJavaWeComClient.signature(
        "sM4AOVdWfPE4DxkXGEs8VMCPGGVi4C3VM0P37wVUCFvkVAy_90u5h9nbSlYy3-Sl-HhTdfl2fzFy1AOcHKP7qg",
        "Wm3WZYTPz0wzccnW", 1414587457L, "http://mp.weixin.qq.com?params=value");

    assertThat(signature).isEqualTo("0f9de62fce790f9a083d5c99e95740ceb90c27ed");
  }
}
