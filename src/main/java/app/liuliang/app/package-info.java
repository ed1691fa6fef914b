/**
 * Start-up: the command line entry point, reading {@code config/app.yaml} and the environment into
 * {@link app.liuliang.app.Settings}, and {@link app.liuliang.app.Wiring}, the one place that builds
 * every service.
 */
package app.liuliang.app;
