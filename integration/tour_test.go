package integration

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// dashboardSession is a browser's session of the dashboards: its cookie and
// CSRF token, as the pages send them.
type dashboardSession struct {
	t      *testing.T
	addr   string
	cookie *http.Cookie
	csrf   string
}

// signInAs signs in to the dashboards as /auth/login does for the pages.
func signInAs(t *testing.T, s *parvistest.Server, login, password string) dashboardSession {
	t.Helper()
	body, _ := json.Marshal(map[string]string{"login": login, "password": password})
	resp, err := http.Post("http://"+s.Addr+"/auth/login", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("sign-in as %s: %d", login, resp.StatusCode)
	}
	var info struct{ CSRF string }
	json.NewDecoder(resp.Body).Decode(&info)
	sess := dashboardSession{t: t, addr: s.Addr, csrf: info.CSRF}
	for _, c := range resp.Cookies() {
		if c.Name == "parvis_session" {
			sess.cookie = c
		}
	}
	return sess
}

// gql runs a GraphQL request with the session; errors fail the test.
func (d dashboardSession) gql(query string, vars map[string]any, out any) {
	d.t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "variables": vars})
	req, _ := http.NewRequest(http.MethodPost, "http://"+d.addr+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-CSRF-Token", d.csrf)
	req.AddCookie(d.cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		d.t.Fatal(err)
	}
	defer resp.Body.Close()
	var r struct {
		Data   json.RawMessage
		Errors []parvistest.GQLError
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil || len(r.Errors) > 0 {
		d.t.Fatalf("%s: %v %v", query, err, r.Errors)
	}
	if out != nil {
		json.Unmarshal(r.Data, out)
	}
}

// TestFiveMinuteTour walks the README's « Tour en 5 minutes » through the API,
// with the demo's accounts: a question the assistant cannot answer, seen by the
// analyst in the groups of unanswered questions, drafted into an entry, which
// the expert validates and publishes; asked again, it is answered.
func TestFiveMinuteTour(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	passwords := s.DemoPasswords()
	const question = "Où trouver un défibrillateur ?"
	for _, q := range []string{question, "y a t il un defibrillateur en ville", "défibrillateur le plus proche"} {
		conv := s.StartConversation()
		if r, errs := s.Send(conv, q); len(errs) > 0 || r.Outcome == "ANSWERED" {
			t.Fatalf("%q answered before the tour: %+v %v", q, r, errs)
		}
	}

	analyst := signInAs(t, s, "analyste", passwords["analyste"])
	period := map[string]any{"from": time.Now().Add(-24 * time.Hour).Format(time.RFC3339), "to": time.Now().Add(time.Hour).Format(time.RFC3339)}
	var cluster struct{ ID, Label string }
	parvistest.Poll(t, "the question among the groups of the workbench", 60*time.Second, func() error {
		var out struct {
			UnansweredClusters []struct {
				ID, Label string
				Examples  []string
			}
		}
		analyst.gql(`query($from: Time!, $to: Time!) { unansweredClusters(from: $from, to: $to) { id label examples } }`, period, &out)
		for _, c := range out.UnansweredClusters {
			if strings.Contains(strings.ToLower(c.Label+strings.Join(c.Examples, " ")), "fibrillateur") {
				cluster.ID, cluster.Label = c.ID, c.Label
				return nil
			}
		}
		return errors.New("not among the groups yet")
	})

	var draft struct{ DraftKbEntry struct{ ID, Status string } }
	analyst.gql(`mutation($c: ID!) { draftKbEntry(input: {question: "Où trouver un défibrillateur à Montclar ?",
		answer: "Un défibrillateur est accessible jour et nuit devant la mairie, place du Parvis, et un autre au gymnase.", clusterId: $c}) { id status } }`,
		map[string]any{"c": cluster.ID}, &draft)
	id := draft.DraftKbEntry.ID

	expert := signInAs(t, s, "expert", passwords["expert"])
	var queue struct{ KbQueue []struct{ ID string } }
	expert.gql(`{ kbQueue { id } }`, nil, &queue)
	if !strings.Contains(func() string { b, _ := json.Marshal(queue); return string(b) }(), id) {
		t.Fatalf("the draft %s is not in the expert's queue: %+v", id, queue)
	}
	expert.gql(`mutation($id: ID!) { validateKbEntry(id: $id) { id } }`, map[string]any{"id": id}, nil)
	expert.gql(`mutation($id: ID!) { publishKbEntry(id: $id) { id } }`, map[string]any{"id": id}, nil)

	parvistest.Poll(t, "the published answer", 2*time.Minute, func() error {
		if r, _ := s.Send(s.StartConversation(), question); r.Outcome != "ANSWERED" || !strings.Contains(r.Text, "place du Parvis") {
			return fmt.Errorf("%s: %.60q", r.Outcome, r.Text)
		}
		return nil
	})
}
