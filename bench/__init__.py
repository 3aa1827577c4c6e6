"""Benchmarks run by ``make bench``: speed and, from step 3, request counts. Never timed tests."""
