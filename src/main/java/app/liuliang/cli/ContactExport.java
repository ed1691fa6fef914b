package app.liuliang.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.Query;

/**
 * Streams contacts with their tags out of the store: one ordered join, rows grouped per contact as
 * they come, so a hundred thousand contacts never sit in memory at once.
 */
final class ContactExport {

  static final List<String> COLUMNS = List.of("external_userid", "name", "channel", "layer", "tags", "status", "added_at",
      "referral_code", "store", "own_doctor", "opted_out");
  /** Excel reads a CSV as the local code page (GBK in China) unless it starts with a UTF-8 byte order mark. */
  static final String BOM = "\uFEFF";

  /** One exported contact; {@code ownDoctors} are the following staff who are doctors in accounts.yaml. */
  record Row(String externalUserId, String name, String channel, String layer, List<String> tags, String status,
      String addedAt, String referralCode, String store, List<String> ownDoctors, boolean optedOut) {
  }

  private final Jdbi jdbi;
  private final ZoneId zone;
  private final java.util.Set<String> doctorIds;

  /** @param doctorIds the doctors' userids (accounts.yaml), for the own_doctor column */
  ContactExport(Jdbi jdbi, ZoneId zone, java.util.Set<String> doctorIds) {
    this.jdbi = jdbi;
    this.zone = zone;
    this.doctorIds = doctorIds;
  }

  long count(String layer, String status) {
    return jdbi.withHandle(h -> bindFilters(h.createQuery("SELECT COUNT(*) FROM contacts c" + where(layer, status)),
        layer, status).mapTo(Long.class).one());
  }

  long csv(String layer, String status, OutputStream out, Runnable step) throws IOException {
    Writer w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
    w.write(BOM);
    w.write(String.join(",", COLUMNS));
    w.write("\r\n");
    long n = each(layer, status, row -> {
      try {
        w.write(String.join(",", cell(row.externalUserId()), cell(row.name()), cell(row.channel()), cell(row.layer()),
            cell(String.join(";", row.tags())), cell(row.status()), cell(row.addedAt()), cell(row.referralCode()),
            cell(row.store()), cell(String.join(";", row.ownDoctors())), row.optedOut() ? "1" : "0"));
        w.write("\r\n");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      step.run();
    });
    w.flush();
    return n;
  }

  long json(String layer, String status, OutputStream out, Runnable step) throws IOException {
    JsonGenerator g = new JsonFactory().createGenerator(out, JsonEncoding.UTF8);
    g.writeStartArray();
    long n = each(layer, status, row -> {
      try {
        g.writeStartObject();
        g.writeStringField("external_userid", row.externalUserId());
        g.writeStringField("name", row.name());
        g.writeStringField("channel", row.channel());
        g.writeStringField("layer", row.layer());
        g.writeArrayFieldStart("tags");
        for (String tag : row.tags()) {
          g.writeString(tag);
        }
        g.writeEndArray();
        g.writeStringField("status", row.status());
        g.writeStringField("added_at", row.addedAt());
        g.writeStringField("referral_code", row.referralCode());
        g.writeStringField("store", row.store());
        g.writeArrayFieldStart("own_doctor");
        for (String doctor : row.ownDoctors()) {
          g.writeString(doctor);
        }
        g.writeEndArray();
        g.writeBooleanField("opted_out", row.optedOut());
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      step.run();
    });
    g.writeEndArray();
    g.writeRaw('\n');
    g.flush();
    return n;
  }

  /** Calls {@code sink} once per contact, in the order they were added. */
  private long each(String layer, String status, Consumer<Row> sink) {
    long[] count = {0};
    jdbi.useHandle(h -> {
      Query query = bindFilters(h.createQuery("SELECT c.external_userid, c.name, c.channel, c.layer, c.status, c.added_at, "
          + "t.tag_name, c.referral_code, c.store, c.opted_out, (SELECT group_concat(f.userid, ';') FROM contact_follows f "
          + "WHERE f.external_userid = c.external_userid AND f.status = 'active') "
          + "FROM contacts c LEFT JOIN contact_tags t ON t.external_userid = c.external_userid"
          + where(layer, status) + " ORDER BY c.added_at, c.external_userid, t.tag_name"), layer, status);
      Row[] current = {null};
      query.map((rs, ctx) -> new Object[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getLong(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getInt(10),
              rs.getString(11)})
          .useStream(rows -> rows.forEach(r -> {
            if (current[0] == null || !current[0].externalUserId().equals(r[0])) {
              if (current[0] != null) {
                sink.accept(current[0]);
                count[0]++;
              }
              current[0] = new Row((String) r[0], (String) r[1], (String) r[2], (String) r[3], new ArrayList<>(),
                  (String) r[4], OffsetDateTime.ofInstant(Instant.ofEpochMilli((Long) r[5]), zone)
                      .truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME),
                  r[7] == null ? "" : (String) r[7], (String) r[8], doctors((String) r[10]), (Integer) r[9] == 1);
            }
            if (r[6] != null) {
              current[0].tags().add((String) r[6]);
            }
          }));
      if (current[0] != null) {
        sink.accept(current[0]);
        count[0]++;
      }
    });
    return count[0];
  }

  private List<String> doctors(String followers) {
    if (followers == null) {
      return List.of();
    }
    return java.util.Arrays.stream(followers.split(";")).filter(doctorIds::contains).sorted().toList();
  }

  private static String where(String layer, String status) {
    List<String> conditions = new ArrayList<>();
    if (layer != null) {
      conditions.add("c.layer = :layer");
    }
    if (status != null) {
      conditions.add("c.status = :status");
    }
    return conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
  }

  private static Query bindFilters(Query query, String layer, String status) {
    if (layer != null) {
      query.bind("layer", layer);
    }
    if (status != null) {
      query.bind("status", status);
    }
    return query;
  }

  /**
   * RFC 4180 quoting, and a leading apostrophe on text a spreadsheet would run as a formula (a
   * patient's name is whatever they typed into WeChat).
   */
  static String cell(String value) {
    if (value == null) {
      return "";
    }
    String v = !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0 ? "'" + value : value;
    if (v.contains(",") || v.contains("\"") || v.contains("\n") || v.contains("\r")) {
      return "\"" + v.replace("\"", "\"\"") + "\"";
    }
    return v;
  }
}
