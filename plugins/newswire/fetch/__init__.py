"""Fetching: HTTP with timeouts, retries, robots and SSRF guard; politeness; charsets; URLs."""
