"""Benchmarks (`make bench-*`) and the seeded corpus generators they share with the tests."""
