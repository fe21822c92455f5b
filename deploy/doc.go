// Package deploy holds the production deployment, not Go code: the compose
// file (docker-compose.yml: Kafka, ClickHouse, one parvis process per role,
// nginx, Prometheus, Grafana), the Prometheus configuration and alert rules
// (prometheus/), Grafana's data source and dashboard (grafana/) and nginx's
// configuration (nginx/). Its tests check them against the parvis binary: the
// flags and variables it is given exist, every data directory is a volume,
// every query names a series that parvis exposes, promtool accepts the rules.
package deploy
