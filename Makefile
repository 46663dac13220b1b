# newswire: `make run` (one ingestion cycle on the demo site), `make test` (lint + every test)
# and `make test-fast` (the unit and db layers, no lint: docs/development.md).
# Both bootstrap .venv from requirements.lock on a machine that has only Python 3.11.

PYTHON ?= $(shell command -v python3.11 2>/dev/null || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
UV_VERSION := 0.13.8
PYTEST_ARGS ?=
BENCH_ARGS ?=

.PHONY: help venv lock run test test-fast lint format pytest airflow airflow-stop cluster cluster-stop \
	cluster-status demo db-stop clean \
	bench bench-warc bench-politeness bench-quality bench-dedup bench-query bench-language

help:
	@echo "make run          one full ingestion cycle on the bundled demo site (embedded PostgreSQL)"
	@echo "make test         lint + every test (what CI runs)"
	@echo "make test-fast    the unit and db tests only, no lint (-m 'unit or db'; PYTEST_ARGS=...)"
	@echo "make lint         ruff check, ruff format --check, mypy"
	@echo "make lock         re-resolve requirements.lock and requirements-runtime.lock"
	@echo "make airflow      Airflow standalone with newswire_ingest unpaused (make airflow-stop)"
	@echo "make cluster      CeleryExecutor topology: Redis, api-server, scheduler, dag-processor,"
	@echo "                  triggerer, 2 Celery workers on http://127.0.0.1:8081 (make cluster-stop,"
	@echo "                  make cluster-status; needs redis-server)"
	@echo "make demo         serve the demo site on 127.0.0.1:8765 until Ctrl-C"
	@echo "make db-stop      stop the embedded PostgreSQL under .data/"
	@echo "make bench-warc   WARC discovery rate and record read-back on 5,000 demo pages"
	@echo "make bench-politeness  cost of the shared per-host rate limit in PostgreSQL"
	@echo "make bench-quality extraction quality vs plain trafilatura on ../shared/corpus, per corpus"
	@echo "                  and host-split half (BENCH_ARGS='--corpus news-pages --half tuning --dump F')"
	@echo "make bench-language  language detection accuracy and its CPU cost on ../shared/corpus/news-pages"
	@echo "make bench-dedup  story quality (P/R/F1, ARI) on a generated corpus + dedup cost at scale"
	@echo "make bench-query  search/view latency on 1M synthetic articles (BENCH_ARGS=--articles N)"
	@echo "make bench        pages/s of trafilatura, the library, the DAG (LocalExecutor) and Celery"
	@echo "                  (BENCH_ARGS='--pages 4000 --skip c,d'; about 10 min on 2 cores)"

venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check uv==$(UV_VERSION)
	$(BIN)/uv pip sync -q -p $(BIN)/python requirements.lock
	$(BIN)/uv pip install -q -p $(BIN)/python --no-deps -e .
	@touch $@

run: $(STAMP)
	$(BIN)/newswire run --demo

test: lint pytest

pytest: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# The unit and db layers (no Airflow, no cluster, no bench tests): the quick loop while working.
test-fast: $(STAMP)
	$(BIN)/python -m pytest -m "unit or db" $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check plugins dags tests bench
	$(BIN)/ruff format --check plugins dags tests bench
	$(BIN)/mypy

# Re-resolve both lock files after editing pyproject.toml (the runtime lock keeps the dev lock's pins).
lock:
	$(BIN)/uv pip compile -q pyproject.toml --extra dev -p 3.11 --generate-hashes -o requirements.lock
	$(BIN)/uv pip compile -q pyproject.toml -p 3.11 --generate-hashes -c requirements.lock \
		-o requirements-runtime.lock
	$(MAKE) venv

format: $(STAMP)
	$(BIN)/ruff check --fix plugins dags tests bench
	$(BIN)/ruff format plugins dags tests bench

airflow: $(STAMP)
	bash scripts/airflow-standalone.sh

airflow-stop:
	bash scripts/airflow-stop.sh

cluster: $(STAMP)
	bash scripts/cluster.sh start

cluster-stop:
	bash scripts/cluster.sh stop

cluster-status:
	bash scripts/cluster.sh status

demo: $(STAMP)
	$(BIN)/python -m newswire.demo.site --port 8765

# One seeded window of article pages through (a) trafilatura, (b) the library, (c) the DAG on
# LocalExecutor, (d) the Celery topology of scripts/cluster.sh (skipped when absent).
bench: $(STAMP)
	PYTHONPATH=plugins $(BIN)/python bench/throughput_bench.py $(BENCH_ARGS)

bench-politeness: $(STAMP)
	PYTHONPATH=plugins $(BIN)/python bench/politeness_bench.py

bench-warc: $(STAMP)
	PYTHONPATH=plugins $(BIN)/python bench/warc_bench.py

bench-quality: $(STAMP)
	PYTHONPATH=plugins $(BIN)/python -m bench.quality_bench $(BENCH_ARGS)

bench-language: $(STAMP)
	PYTHONPATH=plugins $(BIN)/python bench/language_bench.py $(BENCH_ARGS)

# Sizes of the scale run (articles already stored); 1M takes a while to bulk-build.
BENCH_SIZES ?= 10000,100000,1000000

bench-dedup: $(STAMP)
	PYTHONPATH=plugins $(BIN)/python bench/dedup_bench.py quality
	PYTHONPATH=plugins $(BIN)/python bench/dedup_bench.py scale --sizes $(BENCH_SIZES)
# Builds database newswire_bench (embedded server, or NEWSWIRE_BENCH_DATABASE_URL's server).
bench-query: $(STAMP)
	$(BIN)/python bench/query_bench.py $(BENCH_ARGS)

db-stop: $(STAMP)
	$(BIN)/newswire db stop

clean:
	-$(BIN)/newswire db stop
	rm -rf .data .pytest_cache .mypy_cache .ruff_cache
