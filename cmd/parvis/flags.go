package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"
)

// errHelp reports that -h printed a command's flags: exit status 0.
var errHelp = errors.New("help printed")

// envTag is how a flag's help names its variable: [PARVIS_NAME]. The help is
// where the variable is declared: parseFlags reads the variables it names.
var envTag = regexp.MustCompile(`\[(PARVIS_[A-Z0-9_]+)\]`)

// newFlags returns the flag set of a command; what the command says of itself
// and its synopsis head the help that -h prints.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() { printFlags(os.Stdout, fs, synopsis) }
	return fs
}

// printFlags writes a command's help: every flag with its variable, if it has
// one, and its default, even an empty one: an operator reads what runs when the
// flag is left out.
func printFlags(w io.Writer, fs *flag.FlagSet, synopsis string) {
	fmt.Fprintf(w, "Usage: %s\n\nOptions (a flag wins over its PARVIS_* variable):\n", synopsis)
	fs.VisitAll(func(f *flag.Flag) {
		name, usage := flag.UnquoteUsage(f)
		def := f.DefValue
		if def == "" {
			def = `""`
		}
		fmt.Fprintf(w, "  --%s\n        %s (default %s)\n", strings.TrimSpace(f.Name+" "+name), usage, def)
	})
}

// flagEnv returns the variable a flag reads, or "".
func flagEnv(f *flag.Flag) string {
	if m := envTag.FindStringSubmatch(f.Usage); m != nil {
		return m[1]
	}
	return ""
}

// parseFlags parses a command's arguments, then sets each flag left out of
// them from its variable: a flag wins over its variable. -h prints every flag
// with its variable and default; a bad flag or variable is a usage error, in
// French, that names it and says what it accepts.
func parseFlags(fs *flag.FlagSet, args []string) error {
	// The flag package prints the help on any error; only -h asks for it.
	usage := fs.Usage
	fs.Usage = func() {}
	err := fs.Parse(args)
	fs.Usage = usage
	switch {
	case errors.Is(err, flag.ErrHelp):
		usage()
		return errHelp
	case err != nil:
		return fmt.Errorf("%w: %s", errUsage, flagError(fs, err))
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	var errs []error
	fs.VisitAll(func(f *flag.Flag) {
		name := flagEnv(f)
		v := strings.TrimSpace(os.Getenv(name))
		if name == "" || given[f.Name] || v == "" {
			return
		}
		if isBool(f) {
			v = yesNo(v)
		}
		if err := f.Value.Set(v); err != nil {
			errs = append(errs, fmt.Errorf("%s : valeur invalide %q ; attendu : %s", name, os.Getenv(name), expected(f)))
		}
	})
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// namingVariables names, in a usage error about flags' values, the variable
// each was set from when it was: someone who wrote PARVIS_CHAT_RATE_LIMIT=-5 in
// a compose file looks for that name, not the flag's.
func namingVariables(fs *flag.FlagSet, err error) error {
	if err == nil {
		return nil
	}
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	msg := strings.TrimPrefix(err.Error(), errUsage.Error()+": ")
	fs.VisitAll(func(f *flag.Flag) {
		if name := flagEnv(f); name != "" && !given[f.Name] && strings.TrimSpace(os.Getenv(name)) != "" {
			msg = strings.ReplaceAll(msg, "--"+f.Name+" : ", name+" (--"+f.Name+") : ")
		}
	})
	return fmt.Errorf("%w: %s", errUsage, msg)
}

func isBool(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// yesNo reads a yes/no variable as people write it: 1, true, yes, on, oui
// (any case) is yes; 0, false, no, off, non is no.
func yesNo(v string) string {
	switch strings.ToLower(v) {
	case "1", "true", "yes", "on", "oui":
		return "true"
	case "0", "false", "no", "off", "non":
		return "false"
	}
	return v
}

// expected says, in French, what a flag's value must look like.
func expected(f *flag.Flag) string {
	if isBool(f) {
		return "true ou false (oui ou non pour une variable)"
	}
	switch name, _ := flag.UnquoteUsage(f); name {
	case "int":
		return "un nombre entier"
	case "float":
		return "un nombre, comme 0.5"
	case "duration":
		return "une durée, comme 90s, 10m ou 12h"
	}
	return "une valeur"
}

// flagErrors are the messages of the flag package, to be said in French.
var (
	flagUnknown  = regexp.MustCompile(`^flag provided but not defined: -+(.+)$`)
	flagInvalid  = regexp.MustCompile(`^invalid (?:boolean )?value (".*") for (?:flag )?-+([^:]+): `)
	flagArgument = regexp.MustCompile(`^flag needs an argument: -+(.+)$`)
)

// flagError says in French what is wrong on the command line, naming the flag.
func flagError(fs *flag.FlagSet, err error) string {
	msg := err.Error()
	if m := flagUnknown.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("--%s : option inconnue (parvis %s -h les liste toutes)", m[1], fs.Name())
	}
	if m := flagInvalid.FindStringSubmatch(msg); m != nil {
		if f := fs.Lookup(m[2]); f != nil {
			return fmt.Sprintf("--%s : valeur invalide %s ; attendu : %s", m[2], m[1], expected(f))
		}
	}
	if m := flagArgument.FindStringSubmatch(msg); m != nil {
		return fmt.Sprintf("--%s : valeur manquante", m[1])
	}
	return msg
}
