package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.message.OptOutWords.Ask;
import java.util.List;
import org.junit.jupiter.api.Test;

class OptOutWordsTest {

  private final OptOutWords words = new OptOutWords(
      new MessageRules.OptOut(List.of("退订", "TD", "不要再发"), List.of("恢复订阅"), null, null));

  @Test
  void chineseOptOutWordAnywhereInTheMessageOptsOut() {
    assertThat(words.classify("请不要再发了，谢谢")).isEqualTo(Ask.OPT_OUT);
    assertThat(words.classify("退订")).isEqualTo(Ask.OPT_OUT);
  }

  @Test
  void shortLatinWordMustBeTheWholeMessage() {
    assertThat(words.classify(" td ")).isEqualTo(Ask.OPT_OUT);
    assertThat(words.classify("TDD 是什么")).isEqualTo(Ask.NOTHING);
  }

  @Test
  void resumeWordWins() {
    assertThat(words.classify("恢复订阅")).isEqualTo(Ask.RESUME);
  }

  @Test
  void ordinaryQuestionAsksForNothing() {
    assertThat(words.classify("洗牙多少钱")).isEqualTo(Ask.NOTHING);
  }
}
