# Parvis — make demo, make test. See README.md.
SHELL := /bin/bash
GO ?= go
PARVIS_CACHE ?= $(HOME)/.cache/parvis
export PARVIS_CACHE
export CHDB_LIB_PATH ?= $(PARVIS_CACHE)/chdb-26.5.3/libchdb.so
DATA ?= ./data
ADDR ?= 127.0.0.1:8080

.PHONY: deps build demo test test-short fuzz bench bench-short generate vet clean screenshots

deps: ## fetch Go modules and the embedded ClickHouse library (once, checksum verified)
	@scripts/deps.sh >/dev/null

build: deps ## bin/parvis (fetches the embedded ClickHouse library first, once)
	$(GO) build -trimpath -o bin/parvis ./cmd/parvis

demo: deps build ## start the demo town on the embedded default
	@echo "Parvis (démo Ville de Montclar) :"
	@echo "  Site et widget      http://$(ADDR)/"
	@echo "  Tableaux de bord    http://$(ADDR)/dashboards/  (comptes et mots de passe : affichés au démarrage)"
	@echo "  API GraphQL         http://$(ADDR)/graphql"
	@echo "  Métriques           http://$(ADDR)/metrics"
	@echo "  Santé               http://$(ADDR)/healthz  http://$(ADDR)/readyz"
	bin/parvis serve --data $(DATA) --addr $(ADDR) --demo

test: deps build ## the whole suite; server-backed tests run when PARVIS_TEST_CLICKHOUSE is set
	$(GO) vet ./...
	@if [ -d .git ]; then $(GO) generate ./graphql/ && git diff --exit-code --stat -- graphql/ \
		|| { echo "graphql: generated code is not current: run make generate and commit"; exit 1; }; fi
	$(GO) test -count=1 -parallel 3 -timeout 25m ./...
	@FUZZTIME=$${FUZZTIME:-5s} scripts/fuzz.sh

fuzz: deps ## every fuzz target for FUZZTIME each (default 10s; make test runs them 5s each)
	@scripts/fuzz.sh

bench: deps build ## benchmarks with figures and ratios against the machine's limits; writes bench/results.json
	$(GO) test -run '^$$' -bench . -benchtime 1x -count 1 -timeout 30m ./bench/... ./bot/... ./mining/...

bench-short: deps build ## the spine's benchmarks only (sendMessage, publish, projection), under 3 minutes; writes bench/results.json
	$(GO) test -run '^$$' -bench 'SendMessage|PublishVsKcat|ProjectionVsBulkInsert' -benchtime 1x -count 1 -timeout 10m ./bench/

screenshots: deps build ## the README's pictures (docs/images/) from the demo, with Chromium
	$(GO) test -tags screenshots -run TestScreenshots -count=1 -timeout 10m -v ./integration/ | grep -E 'KB|^(ok|FAIL|---)'

generate: ## regenerate the GraphQL code from the schema
	$(GO) generate ./...

clean:
	rm -rf bin
