# HoiBot in a container. The install steps are those of `make`: the hashed lock first
# (pip install --require-hashes -r requirements.lock), then the project itself without
# dependencies. The database, backups and the knowledge base are volumes.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    HOIBOT_CONFIG=/etc/hoibot/config.yaml

RUN useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin hoibot

WORKDIR /src
COPY requirements.lock ./
RUN python -m venv /opt/hoibot \
    && /opt/hoibot/bin/python -m pip install --require-hashes -r requirements.lock
COPY pyproject.toml README.md config.yaml ./
COPY bot ./bot
COPY handlers ./handlers
# The offline console (no token configured) runs the Bot API emulator.
COPY emulator ./emulator
COPY hoibot ./hoibot
COPY knowledge ./knowledge
RUN /opt/hoibot/bin/python -m pip install --no-deps . \
    && rm -rf /src/build

# The configuration the image uses; mount your own over it, or set values by environment
# (TELEGRAM_BOT_TOKEN, HOIBOT_ADMINS, TELEGRAM_API_BASE_URL).
COPY deploy/config.docker.yaml /etc/hoibot/config.yaml
# A new named volume starts as a copy of these folders: the shipped knowledge base.
RUN mkdir -p /data /knowledge \
    && cp -r /src/knowledge/. /knowledge/ \
    && chown -R hoibot:hoibot /data /knowledge
VOLUME ["/data", "/knowledge"]

USER hoibot
WORKDIR /data
# Webhook mode only (telegram.webhook.*): the webhook server, with GET /healthz.
EXPOSE 8443
ENTRYPOINT ["/opt/hoibot/bin/hoibot"]
CMD ["run"]
