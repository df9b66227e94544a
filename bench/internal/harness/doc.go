// Package harness holds what the HTTP benchmarks share: building and
// starting the real observatory binary, reading a process's memory and CPU
// from /proc, latency percentiles, and writing dated sections to
// bench/RESULTS.md.
package harness
