# civgrid's container image: one image for the web, worker and scheduler processes of
# compose.yaml (the command differs). Built and run as documented in docs/operations.md,
# "Several machines". python:3.11-slim, a non-root user, gunicorn through `civgrid serve`.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=civgrid.settings \
    CIVGRID_VAR_DIR=/var/lib/civgrid \
    CIVGRID_BIND=0.0.0.0:8000

# pg_dump/pg_restore for `civgrid backup` / `restore` (the translations come compiled).
RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
# Dependencies first, in a layer of their own, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN mkdir civgrid && touch civgrid/__init__.py \
    && pip install '.[rq,s3]' && pip uninstall -y civgrid && rm -rf civgrid
COPY civgrid ./civgrid
RUN pip install --no-deps '.[rq,s3]'

RUN groupadd --system civgrid && useradd --system --gid civgrid --home /app civgrid \
    && mkdir -p /var/lib/civgrid && chown civgrid:civgrid /var/lib/civgrid
USER civgrid
VOLUME /var/lib/civgrid
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/ops/health/', timeout=4).status != 200)"

# The web process; compose.yaml runs the worker and the scheduler from the same image.
CMD ["civgrid", "serve"]
