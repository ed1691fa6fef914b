package app.liuliang.compliance;

import app.liuliang.config.Problems;
import app.liuliang.config.TextCheck;
import app.liuliang.config.YamlDocument;
import app.liuliang.config.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The words medical and aesthetic advertising must not use (absolute claims, guaranteed results), from
 * {@code config/compliance.yaml}: each rule has words or patterns, phrases that are fine although they
 * contain a word ({@code 第一次}, {@code 第一时间}), a reason and a suggested wording. A hit is a warning
 * at the word's line and column; with {@code strict: true} it is a problem, so the file does not load.
 *
 * @param strict hits are problems, not warnings
 * @param rules  the word rules
 * @param intercept how the words are synced to WeCom as intercept rules (null: not synced)
 */
public record AdvertisingWords(Boolean strict, List<Rule> rules, InterceptSettings intercept) implements TextCheck {

  public static final String FILE = "compliance.yaml";

  /** WeCom's limit for one intercept word; longer words could never be synced as one. */
  static final int MAX_WORD_CHARS = 32;

  /** Compiled once: every sent text of every file is scanned with every pattern at each load. */
  private static final java.util.Map<String, Pattern> COMPILED = new java.util.concurrent.ConcurrentHashMap<>();

  public AdvertisingWords {
    strict = strict != null && strict;
    rules = rules == null ? List.of() : List.copyOf(rules);
    intercept = intercept == null ? InterceptSettings.OFF : intercept;
  }

  public AdvertisingWords(Boolean strict, List<Rule> rules) {
    this(strict, rules, null);
  }

  /**
   * @param words      literal words
   * @param patterns   Java regular expressions, e.g. {@code \d+\s*%\s*(有效|成功)}
   * @param except     phrases that contain a word and are fine
   * @param reason     why the words are not allowed
   * @param suggestion what to write instead
   */
  public record Rule(String id, List<String> words, List<String> patterns, List<String> except, String reason,
      String suggestion) {
    public Rule {
      words = words == null ? List.of() : List.copyOf(words);
      patterns = patterns == null ? List.of() : List.copyOf(patterns);
      except = except == null ? List.of() : List.copyOf(except);
    }
  }

  /** A word found in a text, where it starts, and the rule it breaks. */
  public record Hit(String word, int offset, Rule rule) {
  }

  /**
   * Reads {@code config/compliance.yaml} (no file: no word list) and has {@code yaml} check every text
   * it reads from now on. Returns the words, or null when the file has problems.
   */
  public static AdvertisingWords install(Path configDir, YamlReader yaml, Problems problems) {
    AdvertisingWords words = read(configDir, yaml, problems);
    yaml.checkSentTexts(words);
    return words;
  }

  /** Reads the file without installing its check (the intercept sync rereads it each round); null: no file. */
  public static AdvertisingWords read(Path configDir, YamlReader yaml, Problems problems) {
    Path file = configDir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    return yaml.load(file, AdvertisingWords.class, problems, AdvertisingWords::validate);
  }

  private static void validate(YamlDocument<AdvertisingWords> doc, Problems problems) {
    List<Rule> rules = doc.value().rules();
    for (int r = 0; r < rules.size(); r++) {
      Rule rule = rules.get(r);
      String at = "/rules/" + r;
      if (rule.words().isEmpty() && rule.patterns().isEmpty()) {
        problems.add(doc.problem(at, "rule without words or patterns", "e.g. words: [最好, 最佳]"));
      }
      if (rule.reason() == null || rule.reason().isBlank() || rule.suggestion() == null || rule.suggestion().isBlank()) {
        problems.add(doc.problem(at, "a rule needs a reason and a suggestion", "the operator reads both in each warning"));
      }
      for (int w = 0; w < rule.words().size(); w++) {
        String word = rule.words().get(w);
        if (word == null || word.isBlank() || word.length() > MAX_WORD_CHARS) {
          problems.add(doc.problem(at + "/words/" + w, "a word has 1 to " + MAX_WORD_CHARS + " characters",
              "WeCom's intercept words have the same limit"));
        }
      }
      for (int p = 0; p < rule.patterns().size(); p++) {
        try {
          Pattern.compile(rule.patterns().get(p));
        } catch (PatternSyntaxException e) {
          problems.add(doc.problem(at + "/patterns/" + p, "invalid pattern: " + e.getDescription(),
              "a Java regular expression, e.g. \"\\\\d+\\\\s*%\\\\s*有效\""));
        }
      }
    }
    InterceptSettings.validate(doc, problems);
  }

  /** Every forbidden word in {@code text}, in order, except inside an allowed phrase. */
  public List<Hit> scan(String text) {
    List<Hit> hits = new ArrayList<>();
    for (Rule rule : rules) {
      for (String word : rule.words()) {
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
          if (!excused(text, at, word.length(), rule)) {
            hits.add(new Hit(word, at, rule));
          }
        }
      }
      for (String pattern : rule.patterns()) {
        Matcher m = COMPILED.computeIfAbsent(pattern, Pattern::compile).matcher(text);
        while (m.find()) {
          if (!excused(text, m.start(), m.end() - m.start(), rule)) {
            hits.add(new Hit(m.group(), m.start(), rule));
          }
        }
      }
    }
    hits.sort(java.util.Comparator.comparingInt(Hit::offset));
    return hits;
  }

  /** True when an allowed phrase of the rule covers the word at {@code start}. */
  private static boolean excused(String text, int start, int length, Rule rule) {
    for (String phrase : rule.except()) {
      for (int at = text.indexOf(phrase); at >= 0 && at <= start; at = text.indexOf(phrase, at + 1)) {
        if (at + phrase.length() >= start + length) {
          return true;
        }
      }
    }
    return false;
  }

  @Override
  public void check(YamlDocument<?> doc, String pointer, String text, Problems problems) {
    for (Hit hit : scan(text)) {
      var found = doc.problemAt(pointer, hit.word(), "advertising word 「" + hit.word() + "」: " + hit.rule().reason(),
          "instead: " + hit.rule().suggestion());
      if (strict) {
        problems.add(found);
      } else {
        problems.warn(found);
      }
    }
  }
}
