# syntax=docker/dockerfile:1
# One image for every Wattboard role: `wattboard web | consume | worker | scheduler | migrate | alertmanager sync`.
# Build stage: wheels of Wattboard and its pinned dependencies (requirements/constraints.txt, written by scripts/lock).
# Runtime stage: no compilers, no build tools, a non-root user.
ARG PYTHON_IMAGE=python:3.11.7-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY requirements/constraints.txt requirements/constraints.txt
COPY config config
COPY data data
COPY pipeline pipeline
COPY caching caching
COPY warming warming
COPY security security
COPY detection detection
COPY exports exports
COPY i18n i18n
COPY context context
COPY auth auth
COPY analytics analytics
COPY forecasting forecasting
COPY pricing pricing
COPY advice advice
COPY alerts alerts
COPY review review
COPY sso sso
COPY registries registries
COPY partners partners
COPY workers workers
COPY dashboard dashboard
COPY web web
COPY pages pages
COPY callbacks callbacks
COPY demo demo
COPY weather weather
COPY telegram telegram
COPY reports reports
COPY manual manual
COPY onboarding onboarding
COPY runtime runtime
RUN pip wheel --wheel-dir /wheels --constraint requirements/constraints.txt .

FROM ${PYTHON_IMAGE}
ARG VERSION=0.2.0
LABEL org.opencontainers.image.title="Wattboard" \
      org.opencontainers.image.description="Electricity-consumption analytics portal" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://git.example.ru/wattboard/wattboard" \
      org.opencontainers.image.licenses="Proprietary"
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1 \
    WATTBOARD_MODE=production WATTBOARD_HOME=/var/lib/wattboard WATTBOARD_HOST=0.0.0.0 \
    WATTBOARD_METRICS_ADDRESS=0.0.0.0:9108
RUN groupadd --system --gid 10001 wattboard \
    && useradd --system --uid 10001 --gid wattboard --home-dir /var/lib/wattboard --create-home wattboard
RUN --mount=type=bind,from=build,source=/wheels,target=/wheels \
    pip install --no-index --find-links=/wheels "wattboard==${VERSION}"
USER 10001:10001
WORKDIR /var/lib/wattboard
EXPOSE 8050 9108
# Every role serves its metrics on 9108: the one check that fits them all.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9108/metrics', timeout=4)"]
ENTRYPOINT ["wattboard"]
CMD ["web"]
