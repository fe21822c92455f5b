package integration

import (
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

const overviewQuery = `{ overview(from: "2026-01-01T00:00:00Z", to: "2030-01-01T00:00:00Z") { messages } }`

// TestTokensAndRoles: an admin creates a token per role; each reads what its role
// allows and gets FORBIDDEN otherwise; without a token, UNAUTHENTICATED; a
// revoked token is refused; runaway queries are refused at once.
func TestTokensAndRoles(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	tokens := map[string]string{}
	for _, role := range []string{"ELECTED", "ANALYST", "EXPERT", "AGENT"} {
		var out struct{ CreateAPIToken string }
		if errs := s.GQL(parvistest.AdminToken, `mutation($r: Role!) { createApiToken(role: $r, name: "test") }`, map[string]any{"r": role}, &out); len(errs) > 0 {
			t.Fatal(errs)
		}
		if !strings.HasPrefix(out.CreateAPIToken, "pvs_") {
			t.Fatalf("token %q", out.CreateAPIToken)
		}
		tokens[role] = out.CreateAPIToken
	}
	code := func(token, query string) string {
		errs := s.GQL(token, query, nil, nil)
		if len(errs) == 0 {
			return ""
		}
		c, _ := errs[0].Extensions["code"].(string)
		return c
	}
	cases := []struct {
		token, query, want string
	}{
		{tokens["ELECTED"], overviewQuery, ""},
		{tokens["ELECTED"], `{ conversation(id: "x") { id } }`, "FORBIDDEN"},
		{tokens["ANALYST"], `{ conversation(id: "x") { id } }`, ""},
		{tokens["EXPERT"], `{ kbQueue { id } }`, ""},
		{tokens["EXPERT"], overviewQuery, "FORBIDDEN"},
		{tokens["AGENT"], `{ apiTokens { id } }`, "FORBIDDEN"},
		{"", overviewQuery, "UNAUTHENTICATED"},
		{"pvs_forged", overviewQuery, "UNAUTHENTICATED"},
	}
	for _, c := range cases {
		if got := code(c.token, c.query); got != c.want {
			t.Errorf("%.12s… %s: %q, want %q", c.token, c.query, got, c.want)
		}
	}
	var me struct{ Me struct{ Role string } }
	s.GQL(tokens["ANALYST"], `{ me { role } }`, nil, &me)
	if me.Me.Role != "ANALYST" {
		t.Errorf("me = %+v", me)
	}

	var list struct {
		APITokens []struct {
			ID, Role   string
			LastUsedAt *time.Time
			Revoked    bool
		}
	}
	if errs := s.GQL(parvistest.AdminToken, `{ apiTokens { id role lastUsedAt revoked } }`, nil, &list); len(errs) > 0 || len(list.APITokens) != 4 {
		t.Fatalf("apiTokens %+v %v", list, errs)
	}
	var elected string
	for _, tok := range list.APITokens {
		if tok.Role == "ELECTED" {
			elected = tok.ID
			if tok.LastUsedAt == nil {
				t.Error("the elected token's last use is not recorded")
			}
		}
	}
	if errs := s.GQL(parvistest.AdminToken, `mutation($id: ID!) { revokeApiToken(id: $id) }`, map[string]any{"id": elected}, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	if got := code(tokens["ELECTED"], overviewQuery); got != "UNAUTHENTICATED" {
		t.Errorf("revoked token: %q", got)
	}
	// Tokens survive a restart: they are events on the audit topic.
	s.Kill()
	s.Restart()
	deadline := time.Now().Add(10 * time.Second)
	for code(tokens["ANALYST"], `{ conversation(id: "x") { id } }`) != "" {
		if time.Now().After(deadline) {
			t.Fatal("the analyst token is not known after a restart")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := code(tokens["ELECTED"], overviewQuery); got != "UNAUTHENTICATED" {
		t.Errorf("revoked token after restart: %q", got)
	}

	// Runaway queries.
	deep := "{ kbEntries " + strings.Repeat("{ links ", 20) + "{ url }" + strings.Repeat(" }", 20) + " }"
	if got := code("", deep); got != "BAD_USER_INPUT" {
		t.Errorf("a query nested 20 levels deep: %q, want BAD_USER_INPUT", got)
	}
	nested := `fragment F on KbEntry { links { label url } }
		{ kbEntries { ...F links { label } } }`
	if got := code("", nested); got != "" {
		t.Errorf("a legitimate query refused: %q", got)
	}
	var huge strings.Builder
	huge.WriteString("{")
	for i := range 60 {
		huge.WriteString(" a" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + `: kbEntries(first: 500) { id question links { url } }`)
	}
	huge.WriteString(" }")
	if got := code("", huge.String()); got == "" {
		t.Error("a query of huge complexity was not refused")
	}
}
