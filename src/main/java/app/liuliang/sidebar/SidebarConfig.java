package app.liuliang.sidebar;

import app.liuliang.config.Problems;
import app.liuliang.config.YamlReader;
import java.nio.file.Path;

/** The sidebar's two files, loaded with the rest of the config so {@code validate} reports them too. */
public record SidebarConfig(SidebarSettings settings, ScriptLibrary scripts) {

  /** Either part is null when its file has problems (they are in {@code problems}). */
  public static SidebarConfig load(Path configDir, YamlReader yaml, Problems problems) {
    return new SidebarConfig(SidebarSettings.load(configDir, yaml, problems), ScriptLibrary.load(configDir, yaml, problems));
  }
}
