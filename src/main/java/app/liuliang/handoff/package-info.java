/**
 * Hand-offs of patient conversations to doctors: {@link app.liuliang.handoff.HandoffRouter} chooses
 * the doctor (own doctor, specialty, on-duty roster), {@link app.liuliang.handoff.Handoffs} notifies
 * them with a template card, moves the kf session, tells the patient who answers and when, waits for
 * the doctor's opening hours, escalates unclaimed hand-offs and reacts to card clicks. State machine:
 * open → notified → claimed → closed, or escalated (to the assistant).
 */
package app.liuliang.handoff;
