package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

// errHelp reports that -h printed a command's flags: exit status 0.
var errHelp = errors.New("help printed")

// newFlags returns the flag set of a command; what the command says of itself
// and its synopsis head the help that -h prints.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		fmt.Fprintf(os.Stdout, "Usage: %s\n\nOptions (a flag wins over its PARVIS_* variable):\n", synopsis)
		// Every flag with its default, even an empty one: an operator reads
		// what runs when the flag is left out.
		fs.VisitAll(func(f *flag.Flag) {
			name, usage := flag.UnquoteUsage(f)
			def := f.DefValue
			if def == "" {
				def = `""`
			}
			fmt.Fprintf(os.Stdout, "  --%s\n        %s (default %s)\n", strings.TrimSpace(f.Name+" "+name), usage, def)
		})
	}
	return fs
}

// parseFlags parses a command's arguments: -h prints every flag with its
// variable and default; a bad flag is a usage error that says which.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		return errHelp
	case err != nil:
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}
