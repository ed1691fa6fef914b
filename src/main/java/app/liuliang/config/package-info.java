/**
 * Reading the operator's YAML: binding to records, and reporting every problem the way a compiler
 * does ({@code file:line:column: message} plus a hint), all at once, sorted. Features build their own
 * checks on {@link app.liuliang.config.YamlDocument#problem}.
 */
package app.liuliang.config;
