/**
 * HTTP beyond the callback: health and readiness, Prometheus metrics, the admin API and console,
 * and the sandbox's inspection endpoints. Routes do HTTP I/O only and call feature services.
 */
package app.liuliang.web;
