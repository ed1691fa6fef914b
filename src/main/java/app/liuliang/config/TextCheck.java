package app.liuliang.config;

/**
 * A check every text the bot sends must pass when its file is read, whichever file holds it (the
 * clinic's medical-advertising word list is one). The reader hands it to every document it reads, so a
 * file's own rules need not know which checks the clinic configured.
 */
@FunctionalInterface
public interface TextCheck {

  TextCheck NONE = (doc, pointer, text, problems) -> { };

  /** Reports what is wrong with {@code text}, the value at {@code pointer} in {@code doc}. */
  void check(YamlDocument<?> doc, String pointer, String text, Problems problems);
}
