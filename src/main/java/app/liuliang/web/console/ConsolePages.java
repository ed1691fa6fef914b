package app.liuliang.web.console;

import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.loader.ClasspathLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;

/** Renders the console's Pebble templates ({@code src/main/resources/templates/*.peb}), HTML-escaped. */
public final class ConsolePages {

  private final PebbleEngine engine;

  public ConsolePages() {
    ClasspathLoader loader = new ClasspathLoader(ConsolePages.class.getClassLoader());
    loader.setPrefix("templates");
    loader.setSuffix(".peb");
    this.engine = new PebbleEngine.Builder().loader(loader).autoEscaping(true).strictVariables(true).build();
  }

  public String render(String template, Map<String, Object> model) {
    StringWriter out = new StringWriter();
    try {
      engine.getTemplate(template).evaluate(out, new HashMap<>(model));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot render console page " + template, e);
    }
    return out.toString();
  }
}
