package app.liuliang.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code simulate add-contact --channel meituan [--store 城东分院]} posts the state of that channel code. */
class SimulateChannelTest {

  @Test
  void theStateIsTheDeclaredCodesByStoreIdOrName() {
    assertThat(SimulateCommand.codeState("meituan", "城东分院")).isEqualTo("lc.meituan.east");
    assertThat(SimulateCommand.codeState("meituan", "main")).isEqualTo("lc.meituan.main");
    assertThat(SimulateCommand.codeState("douyin", null)).isEqualTo("lc.douyin");
    assertThatThrownBy(() -> SimulateCommand.codeState("douyin", "城东分院"))
        .hasMessageContaining("no code for channel douyin and store 城东分院");
  }
}
