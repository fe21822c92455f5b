package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"

	"github.com/parvis-civic/parvis/eventlog"
)

// brokerCmd runs the embedded Kafka-protocol broker as its own process, for
// development and tests where parvis roles run apart (not for production: one
// node, no replication).
func brokerCmd(ctx context.Context, args []string) error {
	fs := newFlags("broker", "parvis broker [--data DIR] [--listen HOST:PORT]\n\n"+
		"The embedded Kafka-protocol broker alone, for development and tests (one node, no replication).")
	data := fs.String("data", env("PARVIS_DATA", "./data"), "data directory (the log goes to DATA/kafka) [PARVIS_DATA]")
	listen := fs.String("listen", env("PARVIS_BROKER_LISTEN", "127.0.0.1:9092"), "address the broker listens on [PARVIS_BROKER_LISTEN]")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argument inattendu %q (les options commencent par --)", errUsage, fs.Arg(0))
	}
	if _, _, err := net.SplitHostPort(*listen); err != nil {
		return fmt.Errorf("%w: --listen : %q n'est pas une adresse HÔTE:PORT", errUsage, *listen)
	}
	b, err := eventlog.StartEmbedded(filepath.Join(*data, "kafka"), *listen)
	if err != nil {
		return err
	}
	defer b.Close()
	fmt.Fprintf(os.Stderr, "broker Kafka embarqué sur %s (données : %s) ; Ctrl-C pour l'arrêter\n", b.Addr(), filepath.Join(*data, "kafka"))
	<-ctx.Done()
	return nil
}
