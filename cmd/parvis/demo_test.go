package main

import (
	"strings"
	"testing"

	"github.com/parvis-civic/parvis/auth"
)

// TestDemoAccountsOnlyWithDemo: without --demo no account is made (the
// accounts are not even looked at) and nothing is printed.
func TestDemoAccountsOnlyWithDemo(t *testing.T) {
	s := &server{cfg: config{Demo: false}}
	if err := s.startDemoAccounts(t.Context()); err != nil || s.demoAccounts != nil {
		t.Errorf("without --demo: %v %v", s.demoAccounts, err)
	}
}

// TestPrintDemoAccounts: the block names each account, its password and
// role in French, and the logins left alone.
func TestPrintDemoAccounts(t *testing.T) {
	var b strings.Builder
	printDemoAccounts(&b, "http://127.0.0.1:8080", []auth.DemoAccount{{Login: "elu", Password: "abcde-fghjk-mnpqr", Role: auth.Elected}}, []string{"agent"})
	out := b.String()
	for _, want := range []string{"http://127.0.0.1:8080/dashboards/", "elu          abcde-fghjk-mnpqr  élu", "agent", "inchangé", "ceux d'avant ne servent plus"} {
		if !strings.Contains(out, want) {
			t.Errorf("the block lacks %q:\n%s", want, out)
		}
	}
}
