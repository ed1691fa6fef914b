/**
 * Callback ingress: {@code GET|POST /wecom/callback}. A request is verified (signature, freshness,
 * corp id), decrypted, parsed once with a hardened XML reader, written durably to the inbox and only
 * then acknowledged. Workers take inbox rows afterwards and hand each event to the
 * {@link app.liuliang.callback.CallbackHandler}s that accept it; the same event twice is one row.
 */
package app.liuliang.callback;
