# Newswire Airflow image: the official Airflow 3.3.2 image (Python 3.11) plus this project's
# locked dependencies, the newswire package, the DAGs and the SQL migrations.
#
#   docker compose build            # as used by docker-compose.yml
#   docker build -t newswire-airflow .
#
# The base image already ships Airflow 3.3.2 and a set of providers in its virtualenv
# (/home/airflow/.local). requirements-runtime.lock (the pins of requirements.lock without the
# dev tools: pytest, ruff, mypy, ...) is installed on top of it so that every package the
# project depends on runs at the exact version tested in the development venv. The lock
# pins apache-airflow==3.3.2 itself (tests/test_compose.py checks it matches the tag below),
# so this never up- or downgrades Airflow.
FROM apache/airflow:3.3.2-python3.11

# pip must run as the image's own "airflow" user (uid 50000, the base image's default user).
USER 50000

# 1. Locked dependencies first: this layer is rebuilt only when the lock changes.
#    The lock carries --hash lines, so pip runs in hash-checking mode: every download must
#    match its hash and every dependency must be pinned in the lock. A dependency missing
#    from the lock (for example on another CPU architecture) fails the build instead of
#    being fetched unpinned; dependencies are resolved (no --no-deps) so the pinned set is
#    also checked for consistency.
#    pip then lists conflicts with providers that the base image preinstalls and newswire
#    does not use (amazon, google, snowflake, ...): the lock wins over their pins. The one
#    in use, FAB (the UI's auth manager), declares python-dateutil<3; the lock's
#    python-dateutil 4 was checked to work with it (login and API calls).
COPY --chown=airflow:0 requirements-runtime.lock /opt/newswire/requirements-runtime.lock
RUN pip install --no-cache-dir -r /opt/newswire/requirements-runtime.lock

# 2. The newswire package itself, without dependencies: all of them came from the lock.
#    (README.md is the readme named in pyproject.toml.)
#    The migrations are package data: plugins/newswire/db/migrations links to sql/.
COPY --chown=airflow:0 pyproject.toml README.md /opt/newswire/
COPY --chown=airflow:0 sql/ /opt/newswire/sql/
COPY --chown=airflow:0 plugins/ /opt/newswire/plugins/
RUN pip install --no-cache-dir --no-deps /opt/newswire \
    && newswire --help > /dev/null

# 3. DAGs. docker-compose.yml bind-mounts ./dags over /opt/airflow/dags for development; the
#    copy makes the image usable on its own.
COPY --chown=airflow:0 dags/ /opt/airflow/dags/
