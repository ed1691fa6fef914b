package app.liuliang.callback;

/**
 * An accepted callback on its way into the inbox. {@code payload} is the decrypted XML; {@code orderingKey}
 * the person it is about ({@link CallbackEvent#orderingKey()}).
 */
record InboxEntry(String eventKey, String kind, String payload, long receivedAt, String orderingKey) {
}
