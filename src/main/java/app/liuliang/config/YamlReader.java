package app.liuliang.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Binds operator YAML (snake_case keys) to records. Unknown keys, duplicate keys and type errors are
 * all reported as {@link ConfigProblem}s with line and column; unknown keys get a "did you mean".
 */
public final class YamlReader {

  private final YAMLFactory factory = YAMLFactory.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  private final ObjectMapper mapper = JsonMapper.builder(factory)
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
      .addModule(new JavaTimeModule())
      .build();

  private volatile TextCheck texts = TextCheck.NONE;

  /**
   * The check every text the bot sends must pass, in every file this reader reads from now on (the
   * clinic's advertising word list, read before the files that hold texts).
   */
  public void checkSentTexts(TextCheck check) {
    this.texts = check == null ? TextCheck.NONE : check;
  }

  /**
   * Reads {@code file} into {@code type}. Problems go to {@code problems}; the returned document's
   * value is null when the file could not be bound at all.
   */
  public <T> YamlDocument<T> read(Path file, Class<T> type, Problems problems) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      problems.add(file, 1, 1, "file not found", "create it, or point LIULIANG_CONFIG_DIR at the config folder");
      return new YamlDocument<>(file, null, Map.of(), "", texts);
    } catch (IOException e) {
      problems.add(file, 1, 1, "cannot read file: " + e.getMessage(), "");
      return new YamlDocument<>(file, null, Map.of(), "", texts);
    }
    return read(file, text, type, problems);
  }

  /** As {@link #read(Path, Class, Problems)}, for text already in hand (tests, API uploads). */
  public <T> YamlDocument<T> read(Path file, String text, Class<T> type, Problems problems) {
    Map<String, JsonLocation> locations;
    try {
      locations = locate(text);
    } catch (JsonParseException e) {
      problems.add(at(file, e.getLocation(), syntaxMessage(e), "check the indentation and quoting around this line"));
      return new YamlDocument<>(file, null, Map.of(), text, texts);
    } catch (IOException e) {
      problems.add(file, 1, 1, "cannot parse YAML: " + e.getMessage(), "");
      return new YamlDocument<>(file, null, Map.of(), text, texts);
    }
    if (text.isBlank()) {
      problems.add(file, 1, 1, "the file is empty", "see the example in config/ for what belongs here");
      return new YamlDocument<>(file, null, locations, text, texts);
    }
    Problems unknownKeys = new Problems();
    try {
      T value = mapper.reader()
          .withHandler(new UnknownKeyCollector(file, unknownKeys, locations))
          .forType(type)
          .readValue(text);
      problems.addAll(unknownKeys);
      return new YamlDocument<>(file, unknownKeys.isEmpty() ? value : null, locations, text, texts);
    } catch (JsonMappingException e) {
      problems.addAll(unknownKeys);
      problems.add(at(file, e.getLocation(), mappingMessage(e), ""));
    } catch (IOException e) {
      problems.addAll(unknownKeys);
      problems.add(file, 1, 1, "cannot read YAML: " + e.getMessage(), "");
    }
    return new YamlDocument<>(file, null, locations, text, texts);
  }

  /** A file's own rules, run once it bound: report with {@link YamlDocument#problem}. */
  @FunctionalInterface
  public interface Rules<T> {
    void check(YamlDocument<T> doc, Problems problems);
  }

  /**
   * Reads {@code file} and checks it with {@code rules}: the value when everything is right, or
   * null with every problem (binding and rules) in {@code problems}.
   */
  public <T> T load(Path file, Class<T> type, Problems problems, Rules<T> rules) {
    YamlDocument<T> doc = read(file, type, problems);
    if (!doc.isValid()) {
      return null;
    }
    Problems found = new Problems();
    rules.check(doc, found);
    problems.addAll(found);
    return found.isEmpty() ? doc.value() : null;
  }

  /** The mapper, for features that convert sub-trees the same way. */
  public ObjectMapper mapper() {
    return mapper;
  }

  private Map<String, JsonLocation> locate(String text) throws IOException {
    Map<String, JsonLocation> locations = new HashMap<>();
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken token;
      while ((token = parser.nextToken()) != null) {
        String pointer = parser.getParsingContext().pathAsPointer().toString();
        if (token == JsonToken.FIELD_NAME) {
          // The key's own position: where "unknown key" and "missing value" should point.
          locations.putIfAbsent(pointer, parser.currentTokenLocation());
        } else if (token != JsonToken.END_ARRAY && token != JsonToken.END_OBJECT) {
          locations.putIfAbsent(pointer, parser.currentTokenLocation());
        }
      }
    }
    return locations;
  }

  private static ConfigProblem at(Path file, JsonLocation location, String message, String hint) {
    int line = location == null ? 1 : location.getLineNr();
    int column = location == null ? 1 : location.getColumnNr();
    return new ConfigProblem(file, line, column, message, hint);
  }

  private static String syntaxMessage(JsonParseException e) {
    String message = e.getOriginalMessage();
    if (message.startsWith("Duplicate field")) {
      return "duplicate key " + message.substring(message.indexOf('\'')).replace('\'', '"');
    }
    return "YAML syntax error: " + message.lines().findFirst().orElse(message);
  }

  private static String mappingMessage(JsonMappingException e) {
    String field = e.getPath().isEmpty() ? "" : describePath(e.getPath()) + ": ";
    String message = e.getOriginalMessage();
    if (message.startsWith("Cannot deserialize value of type")) {
      return field + "wrong kind of value (" + message.lines().findFirst().orElse(message) + ")";
    }
    if (message.startsWith("Cannot construct instance")) {
      String reason = e.getCause() != null && e.getCause().getMessage() != null
          ? e.getCause().getMessage() : message.lines().findFirst().orElse(message);
      return field + reason;
    }
    return field + message.lines().findFirst().orElse(message);
  }

  private static String describePath(List<JsonMappingException.Reference> path) {
    StringBuilder out = new StringBuilder();
    for (JsonMappingException.Reference ref : path) {
      if (ref.getFieldName() != null) {
        out.append(out.length() == 0 ? "" : ".").append(ref.getFieldName());
      } else if (ref.getIndex() >= 0) {
        out.append('[').append(ref.getIndex()).append(']');
      }
    }
    return out.toString();
  }

  /** Reports each unknown key with its position and the nearest known key, then keeps reading. */
  private static final class UnknownKeyCollector extends DeserializationProblemHandler {
    private final Path file;
    private final Problems problems;
    private final List<Map.Entry<String, JsonLocation>> keyLocations;
    private final java.util.Set<String> reported = new java.util.HashSet<>();

    UnknownKeyCollector(Path file, Problems problems, Map<String, JsonLocation> locations) {
      this.file = file;
      this.problems = problems;
      this.keyLocations = locations.entrySet().stream()
          .sorted(java.util.Comparator.comparingLong((Map.Entry<String, JsonLocation> e) -> e.getValue().getCharOffset()))
          .toList();
    }

    /**
     * Records are bound from a token buffer that has no source positions; find the key's first
     * not-yet-reported occurrence in the located tree instead.
     */
    private JsonLocation locate(JsonParser p, String propertyName) {
      JsonLocation direct = p.currentTokenLocation();
      if (direct != null && direct.getLineNr() > 0 && direct != JsonLocation.NA) {
        return direct;
      }
      for (Map.Entry<String, JsonLocation> e : keyLocations) {
        if (e.getKey().endsWith("/" + propertyName.replace("~", "~0").replace("/", "~1")) && reported.add(e.getKey())) {
          return e.getValue();
        }
      }
      return null;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
        JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
      Collection<Object> known = deserializer.getKnownPropertyNames();
      String hint = closest(propertyName, known)
          .map(k -> "did you mean \"" + k + "\"?")
          .orElse(known.isEmpty() ? "" : "known keys: " + known);
      problems.add(at(file, locate(p, propertyName), "unknown key \"" + propertyName + "\"", hint));
      p.skipChildren();
      return true;
    }
  }

  static Optional<String> closest(String word, Collection<Object> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (Object candidate : candidates) {
      int d = Levenshtein.distance(word, candidate.toString());
      if (d < bestDistance) {
        bestDistance = d;
        best = candidate.toString();
      }
    }
    return best != null && bestDistance <= Math.max(2, word.length() / 3) ? Optional.of(best) : Optional.empty();
  }
}
