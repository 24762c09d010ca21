"""Synthetic datasets made from fixed seeds: the bundled samples, test data, benchmarks."""
