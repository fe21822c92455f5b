package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"github.com/parvis-civic/parvis/auth"
	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/events"
	"github.com/parvis-civic/parvis/tenant"
)

// accountCmd creates a local account of the dashboards on a running deployment,
// without curl: `parvis account create --login L --role R`.
func accountCmd(ctx context.Context, args []string) error {
	fs := newFlags("account", "parvis account create --login LOGIN --role ROLE [--name NAME] [--tenant T] [--kafka BROKERS]\n\n"+
		"Creates a local account of the dashboards. The password is asked for (or read from the\n"+
		"first line of standard input when it is not a terminal), 12 characters at least.\n"+
		"With --tenant, the account sees that commune, or that intercommunalité and its communes, only.")
	login := fs.String("login", "", "login of the account")
	role := fs.String("role", "", "ADMIN, ANALYST, EXPERT, ELECTED or AGENT")
	name := fs.String("name", "", "name shown in the dashboards; empty: the login")
	services := fs.String("services", "", servicesUsage)
	brokers, scope := logFlags(fs)
	if err := subcommand(fs, args, "create"); err != nil {
		return err
	}
	r, err := roleFlag(*role)
	if err != nil {
		return err
	}
	if *login == "" {
		return fmt.Errorf("%w: --login : obligatoire (l'identifiant du compte)", errUsage)
	}
	if *name == "" {
		*name = *login
	}
	password, err := readPassword(os.Stdin)
	if err != nil {
		return err
	}
	log, err := dialLog(ctx, *brokers)
	if err != nil {
		return err
	}
	var acc auth.Account
	err = log.publish(ctx, func(pub *eventlog.Publisher) error {
		accounts, tenants := auth.NewAccounts(pub, ""), tenant.NewRegistry(nil)
		if err := log.read(ctx, events.TopicAudit, func(env events.Envelope, p events.Payload) {
			accounts.Apply(env, p) // the logins taken so far
			tenants.Apply(env, p)
		}); err != nil {
			return err
		}
		if err := declared(tenants, *scope); err != nil {
			return err
		}
		acc, err = accounts.CreateFor(ctx, *login, *name, r, *scope, password, "parvis account create", splitList(*services))
		return err
	})
	if errors.Is(err, auth.ErrAccount) {
		return fmt.Errorf("%w: %v", errUsage, err)
	} else if err != nil {
		return err
	}
	fmt.Printf("Compte « %s » créé (rôle %s, %s). Connexion : /dashboards/\n", acc.Login, acc.Role, territory(acc.Tenant))
	return nil
}

// tokenCmd creates an API token on a running deployment and prints it once:
// `parvis token create --role R --name N`.
func tokenCmd(ctx context.Context, args []string) error {
	fs := newFlags("token", "parvis token create --role ROLE --name NAME [--tenant T] [--kafka BROKERS]\n\n"+
		"Creates an API token for a program or a person and prints it once: keep it now, only its\n"+
		"hash is kept. Send it as Authorization: Bearer TOKEN. With --tenant, the token sees that\n"+
		"commune, or that intercommunalité and its communes, only.")
	role := fs.String("role", "", "ADMIN, ANALYST, EXPERT, ELECTED or AGENT")
	name := fs.String("name", "", "who or what uses the token (a person, a service)")
	services := fs.String("services", "", servicesUsage)
	brokers, scope := logFlags(fs)
	if err := subcommand(fs, args, "create"); err != nil {
		return err
	}
	r, err := roleFlag(*role)
	if err != nil {
		return err
	}
	if *name = strings.TrimSpace(*name); *name == "" || len(*name) > 100 {
		return fmt.Errorf("%w: --name : obligatoire, de 1 à 100 caractères (qui ou quel service utilise le jeton)", errUsage)
	}
	log, err := dialLog(ctx, *brokers)
	if err != nil {
		return err
	}
	var token string
	if err := log.publish(ctx, func(pub *eventlog.Publisher) error {
		tenants := tenant.NewRegistry(nil)
		if err := log.read(ctx, events.TopicAudit, tenants.Apply); err != nil {
			return err
		}
		if err := declared(tenants, *scope); err != nil {
			return err
		}
		token, _, err = auth.NewTokens(pub, "").CreateFor(ctx, r, *scope, *name, "parvis token create", splitList(*services))
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "Jeton %s « %s » créé (%s) ; il ne sera plus affiché :\n", r, *name, territory(*scope))
	fmt.Println(token)
	return nil
}

// roleFlag reads --role, saying which roles exist when it names none of them.
func roleFlag(v string) (auth.Role, error) {
	r, ok := auth.ParseRole(v)
	if ok {
		return r, nil
	}
	names := make([]string, len(auth.Roles))
	for i, r := range auth.Roles {
		names[i] = string(r)
	}
	if v == "" {
		return "", fmt.Errorf("%w: --role : obligatoire ; valeurs acceptées : %s", errUsage, strings.Join(names, ", "))
	}
	return "", fmt.Errorf("%w: --role : valeur inconnue %q ; valeurs acceptées : %s", errUsage, v, strings.Join(names, ", "))
}

// logFlags adds the flags of the commands that create a token or an account
// on a deployment's log: the brokers, and the tenant it is scoped to.
func logFlags(fs *flag.FlagSet) (brokers, scope *string) {
	brokers = fs.String("kafka", env("PARVIS_KAFKA", "127.0.0.1:9092"), "Kafka brokers; default: the embedded broker of a running 'parvis serve' [PARVIS_KAFKA]")
	scope = fs.String("tenant", "", "the commune or intercommunalité whose territory it sees (its id); empty: the whole platform")
	return brokers, scope
}

// declared refuses a scope that names no declared tenant.
func declared(tenants *tenant.Registry, scope string) error {
	if scope == "" {
		return nil
	}
	if _, ok := tenants.Get(scope); !ok {
		return fmt.Errorf("%w: --tenant : aucune collectivité déclarée n'a l'identifiant %q (voir celles de parvis serve --tenants)", errUsage, scope)
	}
	return nil
}

// territory says what a scope sees, for the person who made it.
func territory(scope string) string {
	if scope == "" {
		return "toute la plateforme"
	}
	return "territoire : " + scope
}

// subcommand checks that args start with the command's one verb and parses the
// flags after it.
func subcommand(fs *flag.FlagSet, args []string, verb string) error {
	switch {
	case len(args) > 0 && (args[0] == "-h" || args[0] == "--help"):
		fs.Usage()
		return errHelp
	case len(args) == 0 || args[0] != verb:
		return fmt.Errorf("%w: attendu : « parvis %s %s »", errUsage, fs.Name(), verb)
	}
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: argument inattendu %q (les options commencent par --)", errUsage, fs.Arg(0))
	}
	return nil
}

// readPassword asks for a password twice on a terminal, or reads the first line
// of a pipe.
func readPassword(in *os.File) (string, error) {
	if !term.IsTerminal(int(in.Fd())) {
		line, err := bufio.NewReader(io.LimitReader(in, 4096)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fmt.Fprint(os.Stderr, "Mot de passe : ")
	first, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	fmt.Fprint(os.Stderr, "Encore une fois : ")
	second, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(os.Stderr)
	if err != nil {
		return "", err
	}
	if string(first) != string(second) {
		return "", fmt.Errorf("%w: les deux mots de passe diffèrent", errUsage)
	}
	return string(first), nil
}

const servicesUsage = "knowledge base services an expert is limited to, comma-separated (e.g. \"déchets,voirie\"); empty: all"

// splitList reads a comma-separated list; empty items are dropped.
func splitList(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

// printFirstAccount prints, when nobody can sign in to the deployment (no
// administrator account, no PARVIS_ADMIN_TOKEN, no identity provider, no
// demo), the command that creates the first account: without it, an
// operator's first start shows a sign-in page no login opens.
func printFirstAccount(w io.Writer, cfg config, base string, brokers []string, accounts []auth.Account) {
	if !cfg.has("api") || cfg.Demo || cfg.AdminToken != "" || cfg.OIDC.Issuer != "" {
		return
	}
	for _, a := range accounts {
		if a.Role == auth.Admin && !a.Disabled {
			return
		}
	}
	rule := strings.Repeat("─", 72)
	fmt.Fprintf(w, "\n%s\n Aucun compte administrateur : créez le premier, serveur en marche,\n", rule)
	fmt.Fprintf(w, " depuis une autre fenêtre (le mot de passe est demandé, 12 caractères au moins) :\n\n")
	fmt.Fprintf(w, "   parvis account create --login IDENTIFIANT --role ADMIN --kafka %s\n\n", strings.Join(brokers, ","))
	fmt.Fprintf(w, " Puis connectez-vous aux tableaux de bord : %s/dashboards/\n%s\n\n", base, rule)
}
