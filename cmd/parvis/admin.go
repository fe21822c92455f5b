package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/kb"
	"github.com/parvis-civic/parvis/projections"
	"github.com/parvis-civic/parvis/tenant"
)

const kbUsage = `parvis kb import|export [--kafka BROKERS] [--tenant T]

  parvis kb import [--kafka BROKERS] [--dry-run] FILE...
        publish the entries of KB files (.yaml, .jsonl, .csv with id,question,answer columns, and spreadsheets .xlsx, .ods, .csv);
        --dry-run says what would be added, changed and retired, and publishes nothing
  parvis kb export [--kafka BROKERS] [--format xlsx|ods|csv --out FILE]
        print the published knowledge base as YAML, or write every entry as a spreadsheet

BROKERS defaults to PARVIS_KAFKA, else the embedded broker of a running
'parvis serve' (127.0.0.1:9092).`

func kbCmd(ctx context.Context, args []string) error {
	fs := newFlags("kb", kbUsage)
	brokers, scope := logFlags(fs)
	dryRun := fs.Bool("dry-run", false, "kb import: say what would change, publish nothing")
	format := fs.String("format", "", "kb export: xlsx, ods or csv; empty: YAML on standard output")
	out := fs.String("out", "", "kb export: the spreadsheet file to write")
	if len(args) == 0 {
		return fmt.Errorf("%w: attendu : import ou export\nUsage: %s", errUsage, kbUsage)
	}
	if args[0] == "-h" || args[0] == "--help" {
		fs.Usage()
		return errHelp
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	switch args[0] {
	case "import":
		if fs.NArg() == 0 {
			return fmt.Errorf("%w: nommez au moins un fichier de connaissances", errUsage)
		}
		// The files first, so that a bad file is told without a broker; then
		// again with the deployment's tenants, so that an entry naming an
		// undeclared one is told at its line.
		for _, f := range fs.Args() {
			// The flag package stops at the first file: an option after it
			// would be read as a file named « --kafka ».
			if strings.HasPrefix(f, "-") {
				return fmt.Errorf("%w: %s : les options se placent avant les fichiers (parvis kb import %[2]s … FICHIER…)", errUsage, f)
			}
			if _, err := os.Stat(f); errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("%w: %s : fichier introuvable", errUsage, f)
			}
			if _, err := loadKBFile(f, nil); err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
		}
		log, err := dialLog(ctx, *brokers)
		if err != nil {
			return err
		}
		tenants := tenant.NewRegistry(nil)
		if err := log.read(ctx, events.TopicAudit, tenants.Apply); err != nil {
			return err
		}
		known := func(id string) bool { _, ok := tenants.Get(id); return ok }
		state := kb.NewState()
		if err := log.read(ctx, events.TopicKB, state.Apply); err != nil {
			return err
		}
		var all, changes []kb.Entry
		for _, f := range fs.Args() {
			entries, sheet, err := readKBFile(f, known)
			if err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			fmt.Fprintf(os.Stderr, "%s : %d entrées lues\n", f, len(entries))
			all = append(all, entries...)
			if sheet {
				// A spreadsheet does not say everything of an entry: its rows
				// change what their cells say, as the studio's import does.
				entries = kb.SheetChanges(state.Entries(), entries)
			}
			changes = append(changes, entries...)
		}
		if *dryRun {
			printPlan(kb.PlanImport(state.Entries(), all))
			return nil
		}
		start := time.Now()
		if err := log.publish(ctx, func(pub *eventlog.Publisher) error {
			// By batches, saying how far it got: a large base takes a while.
			for done := 0; done < len(changes); {
				n := min(len(changes)-done, 200)
				if err := kb.PublishEntries(ctx, pub, *scope, changes[done:done+n], "parvis kb import"); err != nil {
					return err
				}
				done += n
				fmt.Fprintf(os.Stderr, "\r%d/%d entrées publiées…", done, len(changes))
			}
			fmt.Fprintln(os.Stderr)
			return nil
		}); err != nil {
			return err
		}
		fmt.Printf("%d entrées publiées depuis %d fichier(s) en %.1f s", len(changes), fs.NArg(), time.Since(start).Seconds())
		if same := len(all) - len(changes); same > 0 {
			fmt.Printf(" ; %d lignes de tableur ne changeaient rien", same)
		}
		fmt.Println(".")
		return nil
	case "export":
		log, err := dialLog(ctx, *brokers)
		if err != nil {
			return err
		}
		state := kb.NewState()
		if err := log.read(ctx, events.TopicKB, state.Apply); err != nil {
			return err
		}
		if *format != "" {
			if *out == "" {
				return fmt.Errorf("%w: --format : demande --out FICHIER", errUsage)
			}
			data, err := kb.WriteSheet(*format, state.Entries())
			if err != nil {
				return fmt.Errorf("%w: %v", errUsage, err)
			}
			return os.WriteFile(*out, data, 0o644)
		}
		entries, _ := state.Published()
		return yaml.NewEncoder(os.Stdout).Encode(map[string]any{"entries": entries})
	}
	return fmt.Errorf("%w: commande kb inconnue %q ; attendu : import ou export\nUsage: %s", errUsage, args[0], kbUsage)
}

// replayCmd rebuilds the projections: through a running 'parvis serve' (which
// holds the embedded ClickHouse), or directly against --kafka and --clickhouse.
func replayCmd(ctx context.Context, args []string) error {
	fs := newFlags("replay", "parvis replay [--addr HOST:PORT] | parvis replay --kafka BROKERS --clickhouse DSN\n\n"+
		"Rebuilds every ClickHouse projection from the event log: through the running serve\n"+
		"(which holds the embedded ClickHouse; needs PARVIS_ADMIN_TOKEN), or directly against a server.")
	addr := fs.String("addr", env("PARVIS_ADDR", "127.0.0.1:8080"), "address of the running parvis serve [PARVIS_ADDR]")
	brokers := fs.String("kafka", env("PARVIS_KAFKA", ""), "Kafka brokers (with --clickhouse: replay without a running serve) [PARVIS_KAFKA]")
	dsn := fs.String("clickhouse", env("PARVIS_CLICKHOUSE", ""), "ClickHouse DSN [PARVIS_CLICKHOUSE]")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	explicit := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { explicit[f.Name] = true })
	var errs []error
	switch {
	case fs.NArg() > 0:
		errs = append(errs, fmt.Errorf("argument en trop : %q", fs.Arg(0)))
	case (*brokers == "") != (*dsn == "") && (explicit["kafka"] || explicit["clickhouse"]):
		// One of the pair given here, the other missing (PARVIS_KAFKA alone,
		// as a serve on Kafka with its ClickHouse embedded has it, replays
		// through that serve).
		errs = append(errs, errors.New("--kafka et --clickhouse vont ensemble (rejouer sans serve en marche), ou aucun des deux (par le serve de --addr)"))
	case *dsn != "" && *brokers != "":
		if err := checkDSN(*dsn); err != nil {
			errs = append(errs, err)
		}
		errs = append(errs, checkBrokers(*brokers)...)
	}
	if len(errs) > 0 {
		return fmt.Errorf("%w: %w", errUsage, errors.Join(errs...))
	}
	if *brokers != "" && *dsn != "" {
		store, err := projections.OpenServer(ctx, *dsn)
		if err != nil {
			return err
		}
		defer store.Close()
		if err := projections.Migrate(ctx, store); err != nil {
			return err
		}
		rep, err := projections.Replay(ctx, store, strings.Split(*brokers, ","), nil, nilLogger(), func(r projections.ReplayReport) {
			fmt.Fprintf(os.Stderr, "\r%d événements rejoués…", r.Events)
		})
		if err != nil {
			return err
		}
		fmt.Fprintln(os.Stderr)
		fmt.Printf("%d événements rejoués (%d invalides, %d effacés) en %.1f s.\n", rep.Events, rep.Invalid, rep.Erased, rep.Duration.Seconds())
		return nil
	}
	token := os.Getenv("PARVIS_ADMIN_TOKEN")
	if token == "" {
		return fmt.Errorf("%w: PARVIS_ADMIN_TOKEN : donnez le jeton administrateur du serve en marche", errUsage)
	}
	// The serve replays in the background: start it (or join the one running),
	// then follow its progress.
	const fields = "running events invalid erased seconds error"
	var status struct {
		Running                 bool
		Events, Invalid, Erased int
		Seconds                 float64
		Error                   *string
	}
	var started struct{ ReplayProjections json.RawMessage }
	if err := gqlCall(ctx, *addr, token, "mutation { replayProjections { "+fields+" } }", &started); err != nil {
		return err
	}
	for {
		var polled struct{ ReplayStatus json.RawMessage }
		if err := gqlCall(ctx, *addr, token, "{ replayStatus { "+fields+" } }", &polled); err != nil {
			return err
		}
		if err := json.Unmarshal(polled.ReplayStatus, &status); err != nil {
			return fmt.Errorf("unexpected answer from %s: %v", *addr, err)
		}
		if !status.Running {
			break
		}
		fmt.Fprintf(os.Stderr, "\r%d événements rejoués…", status.Events)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	fmt.Fprintln(os.Stderr)
	if status.Error != nil {
		return errors.New(*status.Error)
	}
	fmt.Printf("%d événements rejoués (%d invalides, %d effacés) en %.1f s.\n", status.Events, status.Invalid, status.Erased, status.Seconds)
	return nil
}

// gqlCall runs a GraphQL request on the running serve at addr and decodes its
// data into out.
func gqlCall(ctx context.Context, addr, token, query string, out any) error {
	body, _ := json.Marshal(map[string]string{"query": query})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+addr+"/graphql", bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		if errors.Is(err, syscall.ECONNREFUSED) {
			return fmt.Errorf("no parvis serve at %s: start it (the embedded ClickHouse belongs to it), or give --kafka and --clickhouse", addr)
		}
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		Data   json.RawMessage
		Errors []struct{ Message string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return fmt.Errorf("unexpected answer from %s: %v", addr, err)
	}
	if len(answer.Errors) > 0 {
		return errors.New(answer.Errors[0].Message)
	}
	return json.Unmarshal(answer.Data, out)
}

// loadKBFile reads a KB file: a spreadsheet (.xlsx, .ods, and a .csv saved
// by a spreadsheet or by kb export) through the sheet reader, with its
// problems by cell; any other through kb.LoadFile.
func loadKBFile(name string, declared func(id string) bool) ([]kb.Entry, error) {
	entries, _, err := readKBFile(name, declared)
	return entries, err
}

// readKBFile is loadKBFile, and whether the file was a spreadsheet.
func readKBFile(name string, declared func(id string) bool) (entries []kb.Entry, sheet bool, err error) {
	switch ext := strings.ToLower(filepath.Ext(name)); ext {
	case ".xlsx", ".ods", ".csv":
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, false, err
		}
		if ext != ".csv" || !kb.KBCSV(data) {
			entries, err := loadSheet(name, data)
			return entries, true, err
		}
	}
	if declared == nil {
		entries, err = kb.LoadFile(name)
	} else {
		entries, err = kb.LoadFileFor(name, declared)
	}
	return entries, false, err
}

// loadSheet reads a spreadsheet's entries, with its problems by cell.
func loadSheet(name string, data []byte) ([]kb.Entry, error) {
	rows, err := kb.ReadSheet(name, data)
	if err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	entries, errs := kb.SheetEntries(rows)
	if errs != nil {
		return nil, fmt.Errorf("%s, rien n'est importé :\n%v", name, errs)
	}
	return entries, nil
}

// printPlan says what an import would do.
func printPlan(p kb.ImportPlan) {
	for _, part := range []struct {
		what string
		ids  []string
	}{{"ajoutées", p.Added}, {"modifiées", p.Changed}, {"retirées", p.Retired}} {
		fmt.Printf("%d entrées %s", len(part.ids), part.what)
		if len(part.ids) > 0 {
			fmt.Printf(" : %s", strings.Join(part.ids, ", "))
		}
		fmt.Println()
	}
	fmt.Printf("%d entrées inchangées. Essai à blanc : rien n'est publié.\n", len(p.Unchanged))
}
