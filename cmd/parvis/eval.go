package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/parvis-civic/parvis/bot"
	"github.com/parvis-civic/parvis/kb"
)

// stringList is a repeatable string flag.
type stringList []string

func (s *stringList) String() string     { return strings.Join(*s, ",") }
func (s *stringList) Set(v string) error { *s = append(*s, v); return nil }

const evalSynopsis = `parvis eval --kb SRC [--kb SRC...] (--cases FILE.jsonl | --cv K) [--json] [--report FILE] [--semantic-model DIR]

Offline comprehension test of the understanding engine: decides every case (or,
with --cv, every alternative held out of its entry) and prints the figures.
`

func evalCmd(args []string) error {
	fs := newFlags("eval", strings.TrimSpace(evalSynopsis))
	var sources stringList
	fs.Var(&sources, "kb", "knowledge base `SRC`: 'demo' (the town's own entries), 'demo-served' (what serve --demo answers Montclar's citizens from: the town's, its communauté de communes' and the national fiches), 'service-public' or a KB file (.yaml, .csv, .jsonl); repeatable")
	casesPath := fs.String("cases", "", "test cases `FILE`, one JSON object a line: {\"text\": ..., \"expected\": <entry id or \"none\">}")
	folds := fs.Int("cv", 0, "`K`-fold cross-validation over the KB's alternatives: each k-th is held out of its entry and asked (0: off)")
	asJSON := fs.Bool("json", false, "print one JSON object with the figures (with --cases and --cv: the cases' figures, and the cross-validation's under \"cv\")")
	semanticModel := fs.String("semantic-model", env("PARVIS_SEMANTIC_MODEL", ""), semanticUsage)
	reportPath := fs.String("report", "", "write to `FILE` every failed case with its candidates and scores, the confusions and the recall per entry (JSON if it ends in .json, text otherwise)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argument inattendu %q (les options commencent par --)", errUsage, fs.Arg(0))
	}
	if len(sources) == 0 || *casesPath == "" && *folds == 0 {
		return fmt.Errorf("%w: --kb et --cases (ou --cv) : obligatoires", errUsage)
	}
	if *folds < 0 || *folds == 1 || *folds > 50 {
		return fmt.Errorf("%w: --cv : %d ; attendu : de 2 à 50 (0 : sans validation croisée)", errUsage, *folds)
	}
	entries, err := loadSources(sources)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	opts, closeModel, err := openSemantic(*semanticModel)
	if err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	defer closeModel()
	lang := bot.NewLanguage(kb.FrenchWords(), kb.BackgroundQuestions())
	var report, cv *bot.Report
	start := time.Now()
	defer func() {
		fmt.Fprintf(os.Stderr, "Évaluation faite en %.1f s (%d entrées).\n", time.Since(start).Seconds(), len(entries))
	}()
	if *casesPath != "" {
		engine, err := bot.New(bot.DefaultConfig(), entries, "eval", lang, opts...)
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
		r := bot.Evaluate(engine, cases)
		report = &r
	}
	if *folds > 0 {
		// Progress on standard error: standard output stays the figures (--json).
		r, err := bot.CrossValidateWith(bot.DefaultConfig(), entries, lang, *folds, func(done, k int) {
			fmt.Fprintf(os.Stderr, "\rValidation croisée : pli %d/%d…", done, k)
		}, opts...)
		fmt.Fprintln(os.Stderr)
		if err != nil {
			return fmt.Errorf("%w: %v", errUsage, err)
		}
		cv = &r
	}
	if *reportPath != "" {
		// With both, the report covers the cases; the cross-validation's failures
		// are the cases' of `--cv` alone.
		if err := writeReport(*reportPath, cmp.Or(report, cv).Details()); err != nil {
			return err
		}
	}
	if *asJSON {
		if report == nil {
			return json.NewEncoder(os.Stdout).Encode(cv)
		}
		if cv == nil {
			return json.NewEncoder(os.Stdout).Encode(report)
		}
		return json.NewEncoder(os.Stdout).Encode(struct {
			*bot.Report
			CV *bot.Report `json:"cv"`
		}{report, cv})
	}
	if report != nil {
		report.WriteText(os.Stdout)
	}
	if cv != nil {
		fmt.Printf("\nValidation croisée à %d plis sur les alternatives de la base :\n", *folds)
		cv.WriteText(os.Stdout)
	}
	return nil
}

// writeReport writes an evaluation's details to path: JSON when it ends in
// .json, text otherwise.
func writeReport(path string, d bot.Details) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("%w: --report: %v", errUsage, err)
	}
	write := d.WriteText
	if strings.EqualFold(filepath.Ext(path), ".json") {
		write = d.WriteJSON
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("eval: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("eval: write %s: %w", path, err)
	}
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
		case "demo-served":
			entries = kb.DemoServed()
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
