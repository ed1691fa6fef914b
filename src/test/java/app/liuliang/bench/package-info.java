/** Benchmarks: plain mains run by {@code scripts/bench.sh}, printing numbers. Never part of the test suite. */
package app.liuliang.bench;
