package integration

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
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

const dashboardQuery = `query($f: Time!, $t: Time!, $pf: Time!) {
	cur: overview(from: $f, to: $t) { conversations served messages answered unanswered answerRate helpfulRate }
	prev: overview(from: $pf, to: $f) { conversations served }
	day: usage(from: $f, to: $t, bucket: DAY) { start messages answered unanswered conversations }
	week: usage(from: $f, to: $t, bucket: WEEK) { start messages }
	themes: needs(from: $f, to: $t, by: THEME) { name messages answered }
	services: needs(from: $f, to: $t, by: SERVICE) { name messages }
	unansweredClusters(from: $f, to: $t, limit: 10) { label size growth }
	audienceSplit(from: $f, to: $t) { audience conversations }
	activity(from: $f, to: $t) { weekday hour messages }
}`

// TestDashboardQueries runs the dashboard's queries on the embedded ClickHouse
// and, when given, on a ClickHouse server.
func TestDashboardQueries(t *testing.T) {
	dashboardQueries(t)
}

func TestDashboardQueriesClickHouseServer(t *testing.T) {
	dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE")
	if dsn == "" {
		t.Skip("SKIP: PARVIS_TEST_CLICKHOUSE is not set (a ClickHouse server DSN); .ci/run starts one")
	}
	dashboardQueries(t, "--clickhouse", dsn[:strings.LastIndex(dsn, "/")+1]+fmt.Sprintf("parvis_dash_%d", time.Now().UnixNano()))
}

func dashboardQueries(t *testing.T, extra ...string) {
	s := parvistest.Start(t, t.TempDir(), extra...)
	for _, q := range []string{"passeport perdu", "horaires de la piscine", "qui a gagné le match", "inscrire mon fils à la cantine"} {
		if _, errs := s.Send(s.StartConversation(), q); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	s.WaitMessages(4, 10*time.Second)
	now := time.Now().UTC()
	var out struct {
		Cur    struct{ Conversations, Served, Messages, Answered int }
		Day    []struct{ Messages, Answered int }
		Week   []struct{ Messages int }
		Themes []struct {
			Name     string
			Messages int
		}
		Services      []struct{ Name string }
		Activity      []struct{ Weekday, Hour, Messages int }
		AudienceSplit []struct {
			Audience      string
			Conversations int
		}
	}
	sum := func(xs []struct{ Weekday, Hour, Messages int }) (n int) {
		for _, x := range xs {
			n += x.Messages
		}
		return
	}
	complete := func() bool {
		return out.Cur.Messages == 4 && out.Cur.Served >= 3 && len(out.Day) > 0 && out.Day[len(out.Day)-1].Messages == 4 &&
			len(out.Week) > 0 && len(out.Themes) >= 3 && len(out.Services) >= 3 && sum(out.Activity) == 4 && len(out.AudienceSplit) == 1
	}
	// The rollup follows the projection within its batch, and the query's fields
	// are resolved concurrently, so one answer may read the rollup before and
	// after it lands: poll until one answer is whole.
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		if errs := s.GQL(parvistest.AdminToken, dashboardQuery, map[string]any{
			"f": now.Add(-7 * 24 * time.Hour).Format(time.RFC3339), "t": now.Add(time.Hour).Format(time.RFC3339),
			"pf": now.Add(-14 * 24 * time.Hour).Format(time.RFC3339)}, &out); len(errs) > 0 {
			t.Fatal(errs)
		}
		if complete() || time.Now().After(deadline) {
			break
		}
	}
	if !complete() {
		t.Errorf("dashboard figures %+v", out)
	}
}

// TestSessions signs in to the dashboards with an account: a wrong password is
// refused, and so is a login that is not JSON; the session cookie is HttpOnly
// and SameSite, API calls need the CSRF token, a disabled account is signed out.
func TestSessions(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	s.CreateAccount("dominique", "Dominique Petit", "ANALYST", "correct horse battery")
	if errs := s.GQL(parvistest.AdminToken, `mutation { createAccount(login: "x", name: "x", role: ELECTED, password: "court") { id } }`, nil, nil); len(errs) == 0 ||
		errs[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("a short password: %v", errs)
	}
	post := func(path, body string, cookie *http.Cookie, csrf string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, "http://"+s.Addr+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if cookie != nil {
			req.AddCookie(cookie)
		}
		if csrf != "" {
			req.Header.Set("X-CSRF-Token", csrf)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}
	if resp := post("/auth/login", `{"login":"dominique","password":"wrong password!!"}`, nil, ""); resp.StatusCode != 401 {
		t.Errorf("wrong password: %d", resp.StatusCode)
	}
	// A cross-site form can post text/plain without asking: login CSRF.
	resp, err := http.Post("http://"+s.Addr+"/auth/login", "text/plain", strings.NewReader(`{"login":"dominique","password":"correct horse battery"}`))
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusUnsupportedMediaType || len(resp.Cookies()) > 0 {
		t.Errorf("login posted as text/plain: %d %v", resp.StatusCode, resp.Cookies())
	}
	resp = post("/auth/login", `{"login":"Dominique","password":"correct horse battery"}`, nil, "")
	if resp.StatusCode != 200 {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	var info struct{ Role, CSRF string }
	json.NewDecoder(resp.Body).Decode(&info)
	var cookie *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "parvis_session" {
			cookie = c
		}
	}
	if cookie == nil || !cookie.HttpOnly || cookie.SameSite != http.SameSiteStrictMode || info.Role != "ANALYST" || info.CSRF == "" {
		t.Fatalf("session cookie %+v, info %+v", cookie, info)
	}
	query := `{"query":"{ me { name role } }"}`
	body := func(r *http.Response) string { b, _ := io.ReadAll(r.Body); return string(b) }
	if got := body(post("/graphql", query, cookie, info.CSRF)); !strings.Contains(got, `"role":"ANALYST"`) {
		t.Errorf("with cookie and CSRF: %s", got)
	}
	if got := body(post("/graphql", query, cookie, "")); !strings.Contains(got, `"me":null`) {
		t.Errorf("without the CSRF token the cookie must not count: %s", got)
	}
	var accounts struct{ Accounts []struct{ ID, Login string } }
	s.GQL(parvistest.AdminToken, `{ accounts { id login } }`, nil, &accounts)
	var dominique string
	for _, a := range accounts.Accounts {
		if a.Login == "dominique" {
			dominique = a.ID
		}
	}
	if dominique == "" {
		t.Fatalf("accounts %+v", accounts)
	}
	s.GQL(parvistest.AdminToken, `mutation($id: ID!) { disableAccount(id: $id) }`, map[string]any{"id": dominique}, nil)
	if got := body(post("/graphql", query, cookie, info.CSRF)); !strings.Contains(got, `"me":null`) {
		t.Errorf("a disabled account's session still works: %s", got)
	}
	if resp := post("/auth/login", `{"login":"dominique","password":"correct horse battery"}`, nil, ""); resp.StatusCode != 401 {
		t.Errorf("a disabled account signs in: %d", resp.StatusCode)
	}
}

func TestIntrospectionAndTokenRate(t *testing.T) {
	s := parvistest.Start(t, t.TempDir(), "--token-rate-limit", "20")
	if errs := s.GQL("", `{ __schema { types { name } } }`, nil, nil); len(errs) == 0 {
		t.Error("introspection answers without --graphql-introspection")
	}
	limited := 0
	for range 40 {
		if errs := s.GQL(parvistest.AdminToken, overviewQuery, nil, nil); len(errs) > 0 && errs[0].Extensions["code"] == "RATE_LIMITED" {
			limited++
		}
	}
	if limited < 20 {
		t.Errorf("%d of 40 requests limited, want at least 20", limited)
	}
	on := parvistest.Start(t, t.TempDir(), "--graphql-introspection")
	if errs := on.GQL("", `{ __schema { types { name } } }`, nil, nil); len(errs) > 0 {
		t.Errorf("introspection with --graphql-introspection: %v", errs)
	}
}

// TestAccountAndTokenCommands creates an account and a token with the command
// line against a running serve: the account signs in, the token reads figures.
func TestAccountAndTokenCommands(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	cmd := exec.Command(parvistest.Binary(), "account", "create", "--login", "maire", "--role", "elected", "--name", "Mme la Maire", "--kafka", s.Broker)
	cmd.Stdin = strings.NewReader("un mot de passe solide\n")
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Compte « maire » créé") {
		t.Fatalf("account create: %v\n%s", err, out)
	}
	cmd = exec.Command(parvistest.Binary(), "token", "create", "--role", "ANALYST", "--name", "Service communication", "--kafka", s.Broker)
	out, err := cmd.Output()
	token := strings.TrimSpace(string(out))
	if err != nil || !strings.HasPrefix(token, "pvs_") {
		t.Fatalf("token create: %v %q", err, out)
	}
	deadline := time.Now().Add(20 * time.Second)
	for {
		var me struct{ Me *struct{ Name, Role string } }
		s.GQL(token, `{ me { name role } }`, nil, &me)
		body := strings.NewReader(`{"login": "maire", "password": "un mot de passe solide"}`)
		resp, err := http.Post("http://"+s.Addr+"/auth/login", "application/json", body)
		if err == nil {
			resp.Body.Close()
		}
		if me.Me != nil && me.Me.Role == "ANALYST" && err == nil && resp.StatusCode == 200 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the running serve does not know the new token (%+v) or account (%v)", me.Me, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	// A login that is taken is refused, with the reason.
	cmd = exec.Command(parvistest.Binary(), "account", "create", "--login", "MAIRE", "--role", "ADMIN", "--kafka", s.Broker)
	cmd.Stdin = strings.NewReader("un autre mot de passe\n")
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "déjà pris") {
		t.Errorf("a taken login: %v\n%s", err, out)
	}
}
