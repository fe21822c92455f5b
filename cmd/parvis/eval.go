package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/kb"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

func evalCmd(args []string) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	var sources stringList
	fs.Var(&sources, "kb", "knowledge base: 'demo' or a KB file (.yaml, .csv, .jsonl); repeatable")
	casesPath := fs.String("cases", "", "test cases, one JSON object a line: {\"text\": ..., \"expected\": <entry id or \"none\">}")
	asJSON := fs.Bool("json", false, "print one JSON object with the figures")
	fs.SetOutput(io.Discard)
	if err := fs.Parse(args); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	if len(sources) == 0 || *casesPath == "" {
		return fmt.Errorf("%w: --kb and --cases are required", errUsage)
	}
	entries, err := loadSources(sources)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	engine, err := bot.New(bot.DefaultConfig(), entries, "eval", bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions()))
	if err != nil {
		return err
	}
	f, err := os.Open(*casesPath)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	defer f.Close()
	cases, err := bot.ReadCases(f, func(id string) bool { _, ok := engine.Index().Entry(id); return ok })
	if err != nil {
		return fmt.Errorf("%w: %s: %v", errUsage, *casesPath, err)
	}
	report := bot.Evaluate(engine, cases)
	if *asJSON {
		return json.NewEncoder(os.Stdout).Encode(report)
	}
	report.WriteText(os.Stdout)
	return nil
}

// loadSources loads knowledge base sources: "demo" (the demo town's own entries),
// "service-public" (the service-public.fr fiches) or a file. Ids must be unique
// across sources.
func loadSources(sources []string) ([]kb.Entry, error) {
	var all []kb.Entry
	seen := map[string]string{}
	for _, src := range sources {
		var (
			entries []kb.Entry
			err     error
		)
		switch src {
		case "demo":
			entries = kb.Demo()
		case "service-public":
			entries = kb.ServicePublic()
		default:
			entries, err = kb.LoadFile(src)
		}
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			if prev, ok := seen[e.ID]; ok {
				return nil, fmt.Errorf("kb: id %q is in both %s and %s", e.ID, prev, src)
			}
			seen[e.ID] = src
		}
		all = append(all, entries...)
	}
	return all, nil
}
