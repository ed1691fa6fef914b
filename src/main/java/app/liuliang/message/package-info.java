/**
 * Patient messages through WeChat Customer Service (微信客服, kf): pulling them with
 * {@code kf/sync_msg} (cursor per kf account, each msgid handled once), customers' nicknames from
 * {@code kf/customer/batchget} for contacts without a name, intent rules that tag the
 * contact and raise its layer, opt-out and resume words, instant FAQ answers in the assistant's
 * voice, and the decision to hand a conversation to a doctor (carried out by
 * {@link app.liuliang.handoff}). Config: {@code config/intents.yaml}, {@code config/faq.yaml}.
 */
package app.liuliang.message;
