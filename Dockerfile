# One image for every Wattboard process; the command picks the role (web, consume, worker, scheduler).
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WATTBOARD_HOME=/var/lib/wattboard
WORKDIR /app
COPY pyproject.toml README.md ./
COPY config config
COPY data data
COPY auth auth
COPY analytics analytics
COPY workers workers
COPY dashboard dashboard
COPY pages pages
COPY callbacks callbacks
COPY demo demo
COPY partners partners
COPY runtime runtime
COPY assets assets
RUN pip install --no-cache-dir . && useradd --system --home /var/lib/wattboard wattboard \
    && mkdir -p /var/lib/wattboard && chown wattboard /var/lib/wattboard
USER wattboard
EXPOSE 8050
ENTRYPOINT ["wattboard"]
CMD ["web"]
