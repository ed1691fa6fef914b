package app.liuliang.sop;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The customer groups a group post with {@code categories} reaches: the active (never dismissed)
 * groups of those categories, by owner. The customer-groups feature answers it from its store.
 */
@FunctionalInterface
public interface GroupTargets {

  /** No group store: a post by category reaches no group. */
  GroupTargets NONE = categories -> Map.of();

  /** Chat ids by owner userid, for the active groups of these categories. */
  Map<String, List<String>> activeChatsByOwner(Collection<String> categories);
}
