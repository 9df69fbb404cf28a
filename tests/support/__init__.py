"""Helpers shared by the tests, the benchmarks (tests/perf) and the drills (tests/drills): plain
functions, classes and constants, no fixtures. The conftest.py files hold the fixtures and hooks,
built on these; no test module imports from a conftest.py or from another test module.
"""
