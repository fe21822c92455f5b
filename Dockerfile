# Parvis for production roles (api, projector, miner) against Kafka and a
# ClickHouse server: a static binary, no chDB library needed. deploy/ runs it.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/parvis ./cmd/parvis
# The data directory (outbox, demandes' keys): a volume mounted there starts
# with this directory's owner, the nonroot user that runs Parvis.
RUN mkdir -p /out/data/demandes/keys
# The French word list that spelling correction leaves alone (Debian's wfrench, GPL-2+).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends wfrench && rm -rf /var/lib/apt/lists/*

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/parvis /parvis
COPY --from=build /usr/share/dict/french /usr/share/dict/french
COPY --from=build --chown=65532:65532 /out/data /var/lib/parvis
ENV PARVIS_DATA=/var/lib/parvis
EXPOSE 8080 9100
# No shell in the image: `parvis health` is the health check.
HEALTHCHECK --interval=10s --timeout=5s --start-period=60s CMD ["/parvis", "health", "--ready"]
ENTRYPOINT ["/parvis"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
