/** The command line: {@code serve}, {@code validate}, {@code simulate} and the feature commands. */
package app.liuliang.cli;
