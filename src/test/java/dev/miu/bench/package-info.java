/**
 * The studio benchmark harness ({@code bench/run.sh}): starts {@code miu serve} as its own process against a local
 * scripted provider and measures, side by side in one run, what miu adds (latency, streaming gaps), how many turns
 * per second it serves, how many concurrent streams it sustains, and how fast it starts. Writes Markdown tables.
 * Not a test: nothing here runs under {@code mvn verify}.
 */
package dev.miu.bench;
