package app.liuliang.message;

import static org.assertj.core.api.Assertions.assertThat;

import app.liuliang.message.FaqLibrary.FaqEntry;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaqMatcherTest {

  private final FaqLibrary library = new FaqLibrary("assistant-lily", 1, 1, null, List.of(
      new FaqEntry("hours", List.of("几点", "营业", "开门"), List.of(), "营业时间 09:00-21:00"),
      new FaqEntry("booking", List.of("预约", "约个时间"), List.of(), "帮您预约"),
      new FaqEntry("after_cleaning", List.of("洗牙后"), List.of("洗完牙.*(注意|能不能)"), "洗牙后注意")));

  @Test
  void singleKeywordIsConfidentWhenNoOtherEntryScores() {
    FaqMatcher.Match match = new FaqMatcher(library).match("你们几点下班");

    assertThat(match.confident()).isTrue();
    assertThat(match.best()).get().extracting(FaqEntry::id).isEqualTo("hours");
    assertThat(match.score()).isEqualTo(1);
  }

  @Test
  void tieBetweenTwoEntriesIsNotConfident() {
    FaqMatcher.Match match = new FaqMatcher(library).match("想预约，几点可以");

    assertThat(match.score()).isEqualTo(1);
    assertThat(match.runnerUp()).isEqualTo(1);
    assertThat(match.confident()).isFalse();
  }

  @Test
  void moreKeywordsWinOverOne() {
    FaqMatcher.Match match = new FaqMatcher(library).match("营业到几点，想预约");

    assertThat(match.best()).get().extracting(FaqEntry::id).isEqualTo("hours");
    assertThat(match.confident()).isTrue();
  }

  @Test
  void patternScoresTwo() {
    FaqMatcher.Match match = new FaqMatcher(library).match("洗完牙能不能喝咖啡，几点能吃饭");

    assertThat(match.best()).get().extracting(FaqEntry::id).isEqualTo("after_cleaning");
    assertThat(match.score()).isEqualTo(2);
    assertThat(match.confident()).isTrue();
  }

  @Test
  void nothingMatchingIsNotConfident() {
    assertThat(new FaqMatcher(library).match("上次那个还要来吗").confident()).isFalse();
  }

  @Test
  void higherMinScoreTurnsAWeakMatchIntoAHandoff() {
    FaqLibrary strict = new FaqLibrary("assistant-lily", 2, 1, null, library.entries());

    assertThat(new FaqMatcher(strict).match("几点").confident()).isFalse();
    assertThat(new FaqMatcher(strict).match("几点开门").confident()).isTrue();
  }
}
