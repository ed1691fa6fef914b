package app.liuliang.sop;

import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/** Corp tag names → WeCom tag ids (Moments' tag_list), from corp_tags, else read from WeCom. */
final class TagIds {

  private final Jdbi jdbi;
  private final WeComClient wecom;

  TagIds(Jdbi jdbi, WeComClient wecom) {
    this.jdbi = jdbi;
    this.wecom = wecom;
  }

  List<String> idsOf(List<String> names) throws WeComApiException {
    if (names.isEmpty()) {
      return List.of();
    }
    Map<String, String> known = jdbi.withHandle(h -> h.createQuery("SELECT tag_name, tag_id FROM corp_tags WHERE tag_name IN (<names>)")
        .bindList("names", names)
        .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2))).list())
        .stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a));
    if (!known.keySet().containsAll(names)) {
      for (WeComClient.CorpTagGroup group : wecom.listCorpTags()) {
        group.tags().forEach(t -> known.putIfAbsent(t.name(), t.id()));
      }
    }
    List<String> ids = new ArrayList<>();
    for (String name : names) {
      String id = known.get(name);
      if (id == null) {
        throw new IllegalStateException("corp tag \"" + name + "\" does not exist in WeCom yet");
      }
      ids.add(id);
    }
    return ids;
  }
}
