# AgentDash under gunicorn. `docker compose up` builds and runs it with PostgreSQL (compose.yaml).
# The static files are collected at build time; the server runs as an unprivileged user and writes
# only to /var/lib/agentdash (the default SQLite file and a key file, when those are used, and
# the checkouts of git sources).
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app

# git: sources added by URL are cloned and updated with the git command (by the tasks worker).
RUN apt-get update \
    && apt-get install -y --no-install-recommends git \
    && rm -rf /var/lib/apt/lists/*

# The dependencies alone first, read from pyproject.toml, so a code change does not reinstall them.
# The app itself runs from /app, where manage.py, templates/ and static/ sit beside it.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY manage.py ./
COPY agentdash ./agentdash
COPY catalog ./catalog
COPY templates ./templates
COPY static ./static
COPY deploy ./deploy

ENV AGENTDASH_COLLECTED_STATIC=1 \
    AGENTDASH_STATIC_ROOT=/app/staticfiles \
    AGENTDASH_VAR_DIR=/var/lib/agentdash

# Hashed, compressed copies of every static file, owned by root and only read at run time.
RUN python manage.py collectstatic --noinput \
    && useradd --system --uid 10001 --user-group --home-dir /var/lib/agentdash --shell /usr/sbin/nologin agentdash \
    && mkdir -p /var/lib/agentdash \
    && chown agentdash:agentdash /var/lib/agentdash

USER agentdash
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 CMD ["python", "deploy/healthcheck.py"]
CMD ["gunicorn", "-c", "deploy/gunicorn.conf.py"]
