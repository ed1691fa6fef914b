package app.liuliang.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code simulate kf-message} writes as the patient {@code simulate add-contact} made last. */
class SandboxContactsTest {

  @Test
  void theLastRegisteredPatientIsRemembered() {
    try (SandboxWeCom sandbox = new SandboxWeCom(0)) {
      assertThat(sandbox.lastContact()).isEmpty();
      sandbox.registerContact("wmSIMfirst", "张三", "assistant-lily", "meituan");
      sandbox.registerContact("wmSIMsecond", "李四", "assistant-lily", "");
      assertThat(sandbox.lastContact()).hasValue("wmSIMsecond");
    }
  }
}
