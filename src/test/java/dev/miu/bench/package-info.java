/**
 * The studio benchmark harness ({@code bench/run.sh}): starts {@code miu serve} as its own process against a local
 * scripted provider and measures, side by side in one run, what miu adds (latency, streaming gaps), how many turns
 * per second it serves, how many concurrent streams it sustains, and how fast it starts. Writes Markdown tables.
 * Its load generator ({@link dev.miu.bench.HttpConnection}, {@link dev.miu.bench.WsConnection}) and provider
 * ({@link dev.miu.bench.CannedProvider}) are minimal, so the figures measure miu. Only {@code BenchClientsTest}
 * (that these speak the protocols right) runs under {@code mvn verify}; the benchmarks themselves do not.
 */
package dev.miu.bench;
