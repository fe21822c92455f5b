# Parvis for production roles (api, projector) against Kafka and a ClickHouse
# server: a static binary, no chDB library needed.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -o /out/parvis ./cmd/parvis
# Where the api keeps the demandes' keys: a volume mounted there starts with
# this directory's owner, the nonroot user that runs Parvis.
RUN mkdir -p /out/demandes
# The French word list that spelling correction leaves alone (Debian's wfrench, GPL-2+).
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends wfrench && rm -rf /var/lib/apt/lists/*

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/parvis /parvis
COPY --from=build /usr/share/dict/french /usr/share/dict/french
COPY --from=build --chown=65532:65532 /out/demandes /tmp/parvis/demandes
EXPOSE 8080
ENTRYPOINT ["/parvis"]
CMD ["serve", "--addr", "0.0.0.0:8080"]
