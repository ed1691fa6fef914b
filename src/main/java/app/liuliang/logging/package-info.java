/**
 * Logging that stays bounded when the same thing goes wrong many times: a flood of malformed
 * requests or a long WeCom outage is summarised per interval instead of one line each.
 */
package app.liuliang.logging;
