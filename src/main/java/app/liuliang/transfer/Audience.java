package app.liuliang.transfer;

import app.liuliang.contact.ContactTransfers;
import app.liuliang.wecom.WeComApiException;
import app.liuliang.wecom.WeComClient;
import app.liuliang.wecom.WeComClient.Handover;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who and what a transfer moves. A member WeCom lists in {@code get_unassigned_list} has left: their
 * unassigned customers move (离职). Anyone else is still here: the patients Liuliang knows they follow move
 * (在职). Either way a layer or tag narrows it to known patients of that layer / tag; without one, the
 * member's customer groups move too (when transfer.yaml's move_groups allows).
 */
final class Audience {

  private static final int PAGE = 1000;

  /** The kind of transfer and what it moves. */
  record Selection(Handover kind, List<String> customers, List<String> groups) {
  }

  private final WeComClient wecom;
  private final ContactTransfers contacts;
  private final TransferSettings settings;

  Audience(WeComClient wecom, ContactTransfers contacts, TransferSettings settings) {
    this.wecom = wecom;
    this.contacts = contacts;
    this.settings = settings;
  }

  Selection select(TransferRequest request) throws WeComApiException {
    List<String> unassigned = unassignedOf(request.from());
    Handover kind = unassigned.isEmpty() ? Handover.ONJOB : Handover.RESIGNED;
    List<String> customers = kind == Handover.RESIGNED
        ? contacts.matching(unassigned, request.layer(), request.tag())
        : contacts.followedBy(request.from(), request.layer(), request.tag());
    List<String> groups = request.filtered() || !settings.moveGroups() ? List.of() : groupsOf(request.from());
    return new Selection(kind, customers, groups);
  }

  /** Every page of {@code get_unassigned_list}, grouped by departed member. */
  List<WeComClient.Unassigned> allUnassigned() throws WeComApiException {
    List<WeComClient.Unassigned> all = new ArrayList<>();
    String cursor = "";
    for (int page = 0; page < 1000; page++) {
      WeComClient.UnassignedPage answer = wecom.listUnassigned(cursor, PAGE);
      all.addAll(answer.customers());
      if (answer.last() || answer.nextCursor().isEmpty() || answer.nextCursor().equals(cursor)) {
        break;
      }
      cursor = answer.nextCursor();
    }
    return all;
  }

  /** How many of these unassigned customers each departed member left, by member id. */
  static java.util.SortedMap<String, Long> byMember(List<WeComClient.Unassigned> unassigned) {
    return unassigned.stream().collect(java.util.stream.Collectors.groupingBy(WeComClient.Unassigned::handoverUserId,
        java.util.TreeMap::new, java.util.stream.Collectors.counting()));
  }

  private List<String> unassignedOf(String userId) throws WeComApiException {
    Set<String> ids = new LinkedHashSet<>();
    allUnassigned().stream().filter(u -> userId.equals(u.handoverUserId()))
        .forEach(u -> ids.add(u.externalUserId()));
    return List.copyOf(ids);
  }

  private List<String> groupsOf(String userId) throws WeComApiException {
    Set<String> ids = new LinkedHashSet<>();
    String cursor = "";
    for (int page = 0; page < 1000; page++) {
      WeComClient.GroupChatPage answer = wecom.listGroupChats(List.of(userId), cursor, PAGE);
      ids.addAll(answer.chatIds());
      if (answer.nextCursor().isEmpty() || answer.nextCursor().equals(cursor)) {
        break;
      }
      cursor = answer.nextCursor();
    }
    return List.copyOf(ids);
  }
}
