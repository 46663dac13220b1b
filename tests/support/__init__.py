"""Helpers shared by the tests (and the benchmarks): HTTP servers, WARC data, Airflow processes."""
