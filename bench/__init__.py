"""Benchmarks: each prints measurements and ratios side by side; none asserts timings."""
