# One image with every binary of the workspace; docker-compose.yml picks the command.
# syntax=docker/dockerfile:1
FROM rust:1.94-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --release --workspace --bins \
    && mkdir -p /out \
    && find target/release -maxdepth 1 -type f -executable -exec cp {} /out/ \;

FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --home-dir /app dompet \
    && mkdir -p /app && chown dompet /app
COPY --from=build /out/ /usr/local/bin/
COPY schema/ /app/schema/
USER dompet
WORKDIR /app
ENV HOST=0.0.0.0 \
    APP_ENV=production \
    LOG_FORMAT=json
