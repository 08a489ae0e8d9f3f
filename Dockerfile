# Production image: gunicorn serves the web; the same image runs the worker and beat.
# .dockerignore keeps secrets (.env), data (var/) and local tools (.venv, .git) out of it.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 UV_COMPILE_BYTECODE=1 \
    DJANGO_SETTINGS_MODULE=carshare.settings
RUN apt-get update && apt-get install -y --no-install-recommends \
      gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core curl \
    && rm -rf /var/lib/apt/lists/* && pip install --no-cache-dir uv
# An unprivileged user runs every process; it owns only its data folder (media, the beat
# schedule, static files collected at build time), never the code.
RUN groupadd --system carshare && useradd --system --gid carshare --home-dir /data \
      --no-create-home carshare \
    && mkdir -p /data/media && chown -R carshare:carshare /data
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
ENV CARSHARE_VAR_DIR=/data PATH="/app/.venv/bin:$PATH"
RUN DEBUG=1 python manage.py compilemessages --ignore=.venv -v 0 \
    && DEBUG=1 python manage.py collectstatic --noinput -v 0 \
    && chown -R carshare:carshare /data
USER carshare
EXPOSE 8000
CMD ["gunicorn", "carshare.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "4", "--access-logfile", "-"]
