package main

import (
	"errors"
	"os"
	"regexp"
	"strings"
	"testing"
)

// commands are every command with the arguments that print its help.
var commands = [][]string{
	{"serve", "-h"}, {"eval", "-h"}, {"kb", "import", "-h"}, {"kb", "export", "-h"}, {"replay", "-h"},
	{"broker", "-h"}, {"account", "create", "-h"}, {"token", "create", "-h"},
}

// helpFlag is one flag of a command's help: its name and what follows.
var helpFlag = regexp.MustCompile(`(?m)^  --([a-z0-9-]+)[^\n]*\n        ([^\n]*)$`)

// flagsOf runs a command's -h and returns its flags: name → help line.
func flagsOf(t *testing.T, args []string) map[string]string {
	t.Helper()
	code, out := capture(t, args...)
	if code != 0 {
		t.Fatalf("parvis %s: exit %d, want 0", strings.Join(args, " "), code)
	}
	flags := map[string]string{}
	for _, m := range helpFlag.FindAllStringSubmatch(out, -1) {
		flags[m[1]] = m[2]
	}
	if len(flags) == 0 {
		t.Fatalf("parvis %s lists no flag:\n%s", strings.Join(args, " "), out)
	}
	return flags
}

// TestHelpListsEveryFlag: parvis -h prints the usage and exits 0; each
// command's -h lists every flag with its default, and every flag of serve
// with its variable, which parseFlags reads.
func TestHelpListsEveryFlag(t *testing.T) {
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		if code := run(t.Context(), args); code != 0 {
			t.Errorf("parvis %s: exit %d, want 0", args[0], code)
		}
	}
	for _, args := range commands {
		for name, help := range flagsOf(t, args) {
			if !strings.Contains(help, "(default ") {
				t.Errorf("parvis %s: --%s has no default: %s", args[0], name, help)
			}
			if args[0] == "serve" && !envTag.MatchString(help) {
				t.Errorf("parvis serve: --%s names no PARVIS_* variable: %s", name, help)
			}
		}
	}
	t.Setenv("PARVIS_CHAT_RATE_LIMIT", "7")
	t.Setenv("PARVIS_KB_FOUR_EYES", "oui")
	if c, err := parseServe(nil); err != nil || c.ChatRate != 7 || !c.KBFourEyes {
		t.Errorf("variables not read: chat rate %d, four eyes %v, %v", c.ChatRate, c.KBFourEyes, err)
	}
	if c, err := parseServe([]string{"--chat-rate-limit", "9"}); err != nil || c.ChatRate != 9 {
		t.Errorf("the flag must win over its variable: %d %v", c.ChatRate, err)
	}
	// A value the flag reads but the configuration refuses: the error names the
	// variable that set it, and the flag's name when the flag did.
	t.Setenv("PARVIS_CHAT_RATE_LIMIT", "-5")
	if _, err := parseServe(nil); err == nil || !strings.Contains(err.Error(), "PARVIS_CHAT_RATE_LIMIT (--chat-rate-limit) : -5") || !errors.Is(err, errUsage) {
		t.Errorf("a refused variable: %v", err)
	}
	if _, err := parseServe([]string{"--chat-rate-limit", "-6"}); err == nil || !strings.Contains(err.Error(), "--chat-rate-limit : -6") || strings.Contains(err.Error(), "PARVIS_CHAT_RATE_LIMIT") {
		t.Errorf("a refused flag: %v", err)
	}
	t.Setenv("PARVIS_CHAT_RATE_LIMIT", "beaucoup")
	if _, err := parseServe(nil); err == nil || !strings.Contains(err.Error(), `PARVIS_CHAT_RATE_LIMIT : valeur invalide "beaucoup"`) {
		t.Errorf("a bad variable: %v", err)
	}
}

// TestREADMEFlagTables: every flag of every command is in the README's
// tables of options, serve's with its variable, and the tables name no flag
// that does not exist.
func TestREADMEFlagTables(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]string{} // "serve --addr" → its rows
	section := ""
	for _, line := range strings.Split(string(raw), "\n") {
		if strings.HasPrefix(line, "### Configuration de `parvis serve`") {
			section = "serve"
			continue
		}
		if strings.HasPrefix(line, "### Options des autres commandes") {
			section = "other"
			continue
		}
		if strings.HasPrefix(line, "#") {
			section = ""
		}
		if section == "" || !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(line, "|")
		cmd := "serve"
		if section == "other" {
			if len(cells) < 3 {
				continue
			}
			cmd = strings.Trim(strings.TrimSpace(cells[1]), "`")
			cells = cells[1:]
		}
		for _, f := range regexp.MustCompile("`--([a-z0-9-]+)`").FindAllStringSubmatch(cells[1], -1) {
			rows[cmd+" --"+f[1]] = append(rows[cmd+" --"+f[1]], line)
		}
	}
	seen := map[string]bool{}
	for _, args := range commands {
		cmd := args[0] // kb import and kb export share their flags
		for name, help := range flagsOf(t, args) {
			key := cmd + " --" + name
			seen[key] = true
			lines, ok := rows[key]
			if !ok {
				t.Errorf("README: --%s of parvis %s is in no table of options", name, cmd)
				continue
			}
			if m := envTag.FindStringSubmatch(help); m != nil && !strings.Contains(strings.Join(lines, "\n"), m[1]) {
				t.Errorf("README: --%s of parvis %s without its variable %s", name, cmd, m[1])
			}
		}
	}
	for key := range rows {
		if !seen[key] {
			t.Errorf("README: %s is in a table of options but no such flag exists", key)
		}
	}
}
