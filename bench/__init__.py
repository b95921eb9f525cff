"""Benchmarks (`make bench`): each bench_*.py module has run() -> markdown section."""
