package app.liuliang.contact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayerPolicyTest {

  private final TagCatalog tags = TagCatalog.load(Path.of("config"), new YamlReader(), new Problems());

  @Test
  void automaticMovesOnlyGoUp() {
    assertThat(LayerPolicy.isRaise("stranger", "potential")).isTrue();
    assertThat(LayerPolicy.isRaise("repeat", "super")).isTrue();
    assertThat(LayerPolicy.isRaise("intent", "intent")).isFalse();
    assertThat(LayerPolicy.isRaise("ordered", "potential")).isFalse();
  }

  @Test
  void secondVisitOrOrderMakesARepeatPatient() {
    assertThat(LayerPolicy.afterPurchase(1)).isEqualTo("ordered");
    assertThat(LayerPolicy.afterPurchase(2)).isEqualTo("repeat");
  }

  @Test
  void staffChoiceIsTheLayerTagThatIsNotTheCurrentOne() {
    assertThat(LayerPolicy.staffChoice("super", List.of("分层-超级用户", "分层-意向", "来源-美团"), tags)).contains("intent");
    assertThat(LayerPolicy.staffChoice("intent", List.of("分层-意向"), tags)).isEmpty();
    assertThat(LayerPolicy.staffChoice("stranger", List.of("分层-潜在", "分层-复购"), tags)).contains("repeat");
  }

  @Test
  void aLayerMoveRemovesEveryOtherLayerTag() {
    assertThat(LayerPolicy.otherLayerTags("ordered", tags)).hasSize(5).doesNotContain("分层-已下单");
  }

  @Test
  void unknownLayerIsRefused() {
    assertThatThrownBy(() -> LayerPolicy.rank("vip")).hasMessageContaining("unknown layer \"vip\"");
  }
}
