"""Fetching: HTTP with timeouts, retries, robots and SSRF guard; politeness; charsets; URLs."""

from newswire.settings import limit_blas_threads

# trafilatura (charset detection here, extraction later) imports py3langid and so numpy, whose
# OpenBLAS thread pool starts at import: cap it before any module of the stage imports them.
limit_blas_threads()
