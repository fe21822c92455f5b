package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/parvis-civic/parvis/loadgen"
)

// loadgenCmd runs `parvis loadgen`: citizen traffic against a running server.
func loadgenCmd(ctx context.Context, args []string) error {
	fs := newFlags("loadgen", "parvis loadgen [--url URL] [--rate N] [--duration D] [--clients N]\n\n"+
		"Realistic citizen traffic (the demo knowledge base's phrasings, several messages a conversation,\n"+
		"the three audiences) against a running server's GraphQL API; a progress bar on standard error,\n"+
		"then the figures: messages sent, errors, messages/s, p50/p95/p99 of the wait for an answer.\n"+
		"Every simulated citizen comes from this machine's address: start the server with\n"+
		"--chat-rate-limit 0 (and --token-rate-limit 0), or the limiter answers RATE_LIMITED.")
	var cfg loadgen.Config
	fs.StringVar(&cfg.URL, "url", env("PARVIS_URL", "http://127.0.0.1:8080/graphql"), "the server's GraphQL endpoint [PARVIS_URL]")
	fs.Float64Var(&cfg.Rate, "rate", 100, "messages a second, all clients together (0: as fast as the answers come)")
	fs.DurationVar(&cfg.Duration, "duration", 30*time.Second, "how long to send (0: until --messages)")
	fs.IntVar(&cfg.Messages, "messages", 0, "stop after this many messages (0: until --duration)")
	fs.IntVar(&cfg.Clients, "clients", 50, "simulated citizens talking at once")
	fs.StringVar(&cfg.Tenant, "tenant", "", "commune or intercommunalité the conversations are held with (empty: the server's default)")
	fs.BoolVar(&cfg.Noop, "noop", false, "send { __typename } instead of conversations: the ceiling of the same HTTP and GraphQL stack")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argument inattendu %q (les options commencent par --)", errUsage, fs.Arg(0))
	}
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	cfg.Progress = loadgen.ProgressBar(os.Stderr)
	res, err := loadgen.Run(ctx, cfg)
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return err
	}
	res.WriteSummary(os.Stdout)
	if res.Sent == 0 && res.Failed > 0 {
		return fmt.Errorf("aucun message n'a reçu de réponse (%s)", res.FirstError)
	}
	return nil
}
