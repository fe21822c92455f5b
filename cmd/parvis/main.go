// Command parvis is the Parvis binary: the citizen chatbot and conversation
// analytics of a French local authority. It only parses flags and wires the
// packages together; each subcommand lives in its own file.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// errUsage marks bad input from the command line: exit status 2.
var errUsage = errors.New("usage")

const usage = `parvis — assistant citoyen et analyse des conversations

Usage:
  parvis serve   [--data DIR] [--addr HOST:PORT] [--demo] [--kafka BROKERS --clickhouse DSN] [--role api,projector,miner]
  parvis eval    --kb SRC [--kb SRC...] (--cases FILE.jsonl | --cv K) [--json] [--report FILE]
  parvis kb import FILE... | parvis kb export
  parvis replay
  parvis broker  [--data DIR] [--listen HOST:PORT]   the embedded broker alone (development, tests)
  parvis account create --login L --role R          a dashboards account (password asked)
  parvis token create --role R --name N             an API token, printed once
  parvis health  [--addr HOST:PORT] [--ready]       exit 0 when the serve at --addr is alive (ready)
  parvis loadgen [--url URL] [--rate N] [--duration D] [--clients N]   citizen traffic against a running server

'parvis COMMAND -h' shows the options of a command.
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:]))
}

func run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(os.Stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:])
	case "eval":
		err = evalCmd(args[1:])
	case "kb":
		err = kbCmd(ctx, args[1:])
	case "replay":
		err = replayCmd(ctx, args[1:])
	case "broker":
		err = brokerCmd(ctx, args[1:])
	case "account":
		err = accountCmd(ctx, args[1:])
	case "token":
		err = tokenCmd(ctx, args[1:])
	case "health":
		err = healthCmd(ctx, args[1:])
	case "loadgen":
		err = loadgenCmd(ctx, args[1:])
	case "-h", "--help", "help":
		fmt.Print(usage)
		return 0
	default:
		fmt.Fprintf(os.Stderr, "parvis : commande inconnue %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil, errors.Is(err, errHelp):
		return 0
	case errors.Is(err, errUsage):
		// What is wrong, without the marker; then where the options are told.
		msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": ")
		fmt.Fprintf(os.Stderr, "parvis %s : %s\n(parvis %[1]s -h : toutes les options)\n", args[0], msg)
		return 2
	default:
		fmt.Fprintf(os.Stderr, "parvis %s: %v\n", args[0], err)
		return 1
	}
}

func nilLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
