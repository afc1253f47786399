# winiswin in a container: built on Debian 12 with the project's own set-up script, the same
# one `make` runs. Build: docker build -t winiswin .
# Run (testnet first; keys from the environment, never baked into the image):
#   docker run -d --name winiswin --restart on-failure \
#     -e BINANCE_API_KEY -e BINANCE_API_SECRET -v winiswin-data:/var/lib/winiswin winiswin
# `docker stop` sends SIGTERM: winiswin stops opening, flushes its journal, and leaves every
# stop at the exchange. A crash restarts it; start-up reconciliation puts stops back first.
FROM debian:12 AS build
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends make git ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN tools/setup.sh && make build && strip build/winiswin

FROM debian:12-slim
# The shared libraries the binary links (Debian 12 names).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends \
      ca-certificates libssl3 libsqlite3-0 libxgboost0 libfmt9 libspdlog1.10 libzip4 zlib1g libbz2-1.0 libsimdjson14 libtomlplusplus3 \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/winiswin --create-home winiswin
COPY --from=build /src/build/winiswin /usr/local/bin/winiswin
COPY --from=build /src/config/winiswin.example.toml /etc/winiswin/winiswin.toml
USER winiswin
WORKDIR /var/lib/winiswin
VOLUME /var/lib/winiswin
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/local/bin/winiswin", "--config", "/etc/winiswin/winiswin.toml"]
CMD ["run", "--mode", "live", "--testnet", "--journal", "/var/lib/winiswin/journal.sqlite"]
