package app.liuliang.handoff;

import app.liuliang.callback.CallbackEvent;
import app.liuliang.callback.CallbackHandler;

/** {@code template_card_event}: a doctor clicked 接手 or 转给助理 on a hand-off card. */
final class CardClickHandler implements CallbackHandler {

  private final Handoffs handoffs;

  CardClickHandler(Handoffs handoffs) {
    this.handoffs = handoffs;
  }

  @Override
  public boolean accepts(CallbackEvent event) {
    return "event".equals(event.msgType()) && "template_card_event".equals(event.event());
  }

  @Override
  public void handle(CallbackEvent event) {
    String user = event.field("FromUserName", "");
    String task = event.field("TaskId", "");
    String key = event.field("EventKey", "");
    if (user.isEmpty() || task.isEmpty() || key.isEmpty()) {
      throw new PermanentFailure("template_card_event without FromUserName, TaskId or EventKey");
    }
    handoffs.onCardClick(user, task, key, event.field("ResponseCode", ""), event.eventKey());
  }
}
