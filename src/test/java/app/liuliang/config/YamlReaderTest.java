package app.liuliang.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class YamlReaderTest {

  record Item(String id, Integer count) {
  }

  record Doc(String name, List<Item> items) {
  }

  private final YamlReader reader = new YamlReader();
  private final Path file = Path.of("config/example.yaml");

  private List<String> problems(String yaml) {
    Problems problems = new Problems();
    reader.read(file, yaml, Doc.class, problems);
    return problems.sorted().stream().map(ConfigProblem::toString).toList();
  }

  @Test
  void validFileBindsWithNoProblems() {
    Problems problems = new Problems();
    YamlDocument<Doc> doc = reader.read(file, "name: a\nitems:\n  - id: x\n    count: 2\n", Doc.class, problems);

    assertThat(problems.isEmpty()).isTrue();
    assertThat(doc.value()).isEqualTo(new Doc("a", List.of(new Item("x", 2))));
  }

  @Test
  void duplicateKeyIsReportedWithItsLine() {
    assertThat(problems("name: a\nname: b\n")).singleElement().asString()
        .startsWith("config/example.yaml:2:").contains("duplicate key \"name\"");
  }

  @Test
  void everyUnknownKeyIsReportedWithLineColumnAndASuggestion() {
    assertThat(problems("nmae: a\nitems:\n  - id: x\n    cuont: 2\n"))
        .containsExactly(
            "config/example.yaml:1:1: unknown key \"nmae\"\n  did you mean \"name\"?",
            "config/example.yaml:4:5: unknown key \"cuont\"\n  did you mean \"count\"?");
  }

  @Test
  void wrongKindOfValueNamesTheField() {
    assertThat(problems("name: a\nitems:\n  - id: x\n    count: many\n")).singleElement().asString()
        .startsWith("config/example.yaml:4:").contains("items[0].count");
  }

  @Test
  void syntaxErrorPointsAtTheLine() {
    assertThat(problems("name: a\nitems: [\n")).singleElement().asString().contains("YAML syntax error");
  }

  @Test
  void ruleProblemsMapJsonPointersToLineAndColumn() {
    Problems problems = new Problems();
    YamlDocument<Doc> doc = reader.read(file, "name: a\nitems:\n  - id: x\n  - id: y\n", Doc.class, problems);

    assertThat(doc.problem("/items/1/id", "duplicate", "").toString()).startsWith("config/example.yaml:4:5: duplicate");
    assertThat(doc.problem("/items/1/missing", "absent", "").toString()).startsWith("config/example.yaml:4:");
  }

  @Test
  void missingFileIsAProblemNotACrash() {
    Problems problems = new Problems();
    reader.read(Path.of("/nonexistent/app.yaml"), Doc.class, problems);

    assertThat(problems.sorted()).singleElement().asString().contains("file not found");
  }
}
