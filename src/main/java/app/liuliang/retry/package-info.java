/** How failed work is tried again: one backoff for the inbox and the outbox alike. */
package app.liuliang.retry;
