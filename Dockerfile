# bacowr: one image for the API, the worker and the one-shot migration.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system bacowr \
    && useradd --system --gid bacowr --home-dir /app --no-create-home --shell /usr/sbin/nologin bacowr

WORKDIR /app
COPY . .
RUN pip install . \
    && mkdir -p /data \
    && chown bacowr:bacowr /data

# The migrations folder is not part of the installed package; point storage.migrations at it.
ENV BACOWR_DATA_DIR=/data \
    BACOWR_ALEMBIC_DIR=/app/alembic

USER bacowr
EXPOSE 8000
CMD ["bacowr", "serve", "--host", "0.0.0.0", "--port", "8000"]
