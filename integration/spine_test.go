// Package integration holds the end-to-end tests: the parvis binary built and run
// as a user would, with its real parts.
package integration

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/eventlog"
	"github.com/parvis-civic/parvis/eventlog/eventlogtest"
	"github.com/parvis-civic/parvis/integration/parvistest"
)

var questions = []string{
	"bjr c koi les horaires d la mairie svp",
	"ma fille a 16 ans elle doit se faire recenser ou ?",
	"jai perdu ma carte didentite",
	"comment inscrire mon fils a la cantine",
	"mon adresse mail est jean.dupont@example.org et mon tel 06 12 34 56 78, passeport perdu",
	"qui a gagné le match hier soir",
	"un lampadaire est en panne dans ma rue",
	"merci",
}

// TestSpine sends 200 messages through GraphQL, checks that overview counts them
// exactly, kills the process, restarts it on the same data, replays, and reads the
// log with kcat.
func TestSpine(t *testing.T) {
	spine(t)
}

// TestSpineClickHouseServer is the same pipeline with clickhouse-go against a
// ClickHouse server.
func TestSpineClickHouseServer(t *testing.T) {
	dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE")
	if dsn == "" {
		t.Skip("SKIP: PARVIS_TEST_CLICKHOUSE is not set (a ClickHouse server DSN, e.g. clickhouse://default:@127.0.0.1:9000/parvis_test); .ci/run starts one")
	}
	db := fmt.Sprintf("parvis_it_%d", time.Now().UnixNano())
	spine(t, "--clickhouse", dsn[:strings.LastIndex(dsn, "/")+1]+db)
}

func spine(t *testing.T, extra ...string) {
	data := t.TempDir()
	s := parvistest.Start(t, data, extra...)

	const convs, perConv = 100, 2
	var wg sync.WaitGroup
	errs := make(chan string, convs)
	for c := range convs {
		wg.Go(func() {
			id := s.StartConversation()
			for i := range perConv {
				q := questions[(c*perConv+i)%len(questions)]
				r, gerrs := s.Send(id, q)
				if len(gerrs) > 0 || r.Text == "" || r.Outcome == "" {
					errs <- fmt.Sprintf("send %q: %v %+v", q, gerrs, r)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Fatal(e)
	}
	before := s.WaitMessages(convs*perConv, 10*time.Second)
	if before.Conversations != convs || before.Answered == 0 || before.Unanswered == 0 {
		t.Errorf("overview = %+v", before)
	}

	s.Kill()
	s.Restart()
	if after := s.Overview(); after != before {
		t.Errorf("after kill -9 and restart: %+v, want %+v", after, before)
	}

	if !strings.Contains(s.Run("replay", "--addr", s.Addr), "événements rejoués") {
		t.Error("replay said nothing")
	}
	if after := s.Overview(); after != before {
		t.Errorf("after replay: %+v, want %+v", after, before)
	}

	kcat, err := exec.LookPath("kcat")
	if err != nil {
		t.Log("SKIP kcat check: kcat is not installed (apt-get install kcat)")
		return
	}
	out, err := exec.Command(kcat, "-C", "-b", s.Broker, "-t", "parvis.conversations", "-e", "-q", "-f", "%s\n").CombinedOutput()
	if err != nil {
		t.Fatalf("kcat: %v\n%s", err, out)
	}
	log := string(out)
	if n := strings.Count(log, `"type":"utterance.received"`); n != convs*perConv {
		t.Errorf("kcat read %d utterance.received, want %d", n, convs*perConv)
	}
	if n := strings.Count(log, `"type":"bot.decision"`); n != convs*perConv {
		t.Errorf("kcat read %d bot.decision, want %d", n, convs*perConv)
	}
	for _, pii := range []string{"jean.dupont@example.org", "06 12 34 56 78"} {
		if strings.Contains(log, pii) {
			t.Errorf("%q is on the log", pii)
		}
	}
	audit, err := exec.Command(kcat, "-C", "-b", s.Broker, "-t", "parvis.audit", "-e", "-q").CombinedOutput()
	if err != nil || !strings.Contains(string(audit), `"type":"admin.replay.requested"`) {
		t.Errorf("the replay is not on the audit log: %v\n%s", err, audit)
	}
}

func TestBadInputKeepsServing(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	id := s.StartConversation()
	tests := []struct {
		name, conv, text, code string
	}{
		{"empty", id, "   ", "BAD_USER_INPUT"},
		{"too long", id, strings.Repeat("a", 3000), "BAD_USER_INPUT"},
		{"unknown conversation", "01ABCDEF", "bonjour", "BAD_USER_INPUT"},
	}
	for _, tt := range tests {
		_, errs := s.Send(tt.conv, tt.text)
		if len(errs) == 0 || errs[0].Extensions["code"] != tt.code {
			t.Errorf("%s: errors %v, want %s", tt.name, errs, tt.code)
		}
	}
	if errs := s.GQL("", `{ overview(from: "2026-01-01T00:00:00Z" to: "x") { messages } }`, nil, nil); len(errs) == 0 || errs[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("malformed time: %v", errs)
	}
	if errs := s.GQL("", `{ overview(`, nil, nil); len(errs) == 0 || errs[0].Extensions["code"] != "BAD_USER_INPUT" {
		t.Errorf("malformed query: %v", errs)
	}
	if errs := s.GQL("", `{ conversation(id: "x") { id } }`, nil, nil); len(errs) == 0 || errs[0].Extensions["code"] != "UNAUTHENTICATED" {
		t.Errorf("no token: %v", errs)
	}
	if r, errs := s.Send(id, "passeport perdu"); len(errs) > 0 || r.Outcome != "ANSWERED" {
		t.Errorf("after bad input: %+v %v", r, errs)
	}
}

func TestRateLimit(t *testing.T) {
	s := parvistest.Start(t, t.TempDir(), "--chat-rate-limit", "120")
	// A burst from one client over many conversations: the per-address budget,
	// which starting a conversation and sending a message both draw on. The
	// budget is 80 at once, then 2 a second: what passes is bounded by the time
	// the burst took, however slow the machine.
	allowed, refused := 0, 0
	count := func(errs []parvistest.GQLError) bool {
		if len(errs) == 0 {
			allowed++
			return true
		}
		if errs[0].Extensions["code"] != "RATE_LIMITED" {
			t.Fatalf("error %v, want RATE_LIMITED", errs)
		}
		refused++
		return false
	}
	start := time.Now()
	for i := range 100 {
		var out struct{ StartConversation struct{ ID string } }
		if !count(s.GQL("", `mutation { startConversation { id } }`, nil, &out)) {
			continue
		}
		_, errs := s.Send(out.StartConversation.ID, fmt.Sprintf("horaires de la mairie %d", i))
		count(errs)
	}
	if most := 80 + int(2*time.Since(start).Seconds()) + 2; refused == 0 || allowed > most {
		t.Errorf("%d operations allowed and %d refused in %s, want at most %d allowed", allowed, refused, time.Since(start).Round(time.Millisecond), most)
	}
	// A burst on one conversation, from a fresh server: the per-conversation limit.
	s = parvistest.Start(t, t.TempDir(), "--chat-rate-limit", "120")
	id := s.StartConversation()
	allowed, refused, start = 0, 0, time.Now()
	for range 30 {
		_, errs := s.Send(id, "horaires de la mairie")
		count(errs)
	}
	// 10 at once, then one every 2 seconds.
	if most := 10 + int(time.Since(start).Seconds()/2) + 1; refused == 0 || allowed > most {
		t.Errorf("one conversation: %d messages allowed and %d refused in %s, want at most %d allowed", allowed, refused, time.Since(start).Round(time.Millisecond), most)
	}
	resp, err := http.Get("http://" + s.Addr + "/readyz")
	if err != nil || resp.StatusCode != 200 {
		t.Errorf("not ready after the burst: %v %v", resp, err)
	}
}

func TestMain(m *testing.M) { parvistest.Main(m, "../cmd/parvis") }

// TestKBImportIsLive imports a new entry into a running server: the next messages
// use it, without restart.
func TestKBImportIsLive(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	file := t.TempDir() + "/noel.yaml"
	os.WriteFile(file, []byte(`entries:
- id: marche_noel
  question: Quand a lieu le marché de Noël ?
  alternatives: [horaires du marché de noël, chalets de noël place du Parvis, marché de noël de Montclar]
  answer: Le marché de Noël se tient place du Parvis du 1er au 24 décembre, de 10 h à 20 h.
  audiences: [particulier]
`), 0o644)
	id := s.StartConversation()
	if r, _ := s.Send(id, "c quand le marché de noel"); r.Entry != nil && r.Entry.ID == "marche_noel" {
		t.Fatal("answered with the entry before it was imported")
	}
	if out := s.Run("kb", "import", "--kafka", s.Broker, file); !strings.Contains(out, "1 entrées publiées") {
		t.Fatalf("kb import said %q", out)
	}
	// Each tenant's engine is indexed again on a new KB version: seconds, more on
	// a loaded machine.
	deadline := time.Now().Add(45 * time.Second)
	for {
		r, errs := s.Send(id, "c quand le marché de noel")
		if len(errs) == 0 && r.Entry != nil && r.Entry.ID == "marche_noel" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the imported entry is not used after 45 s: %+v %v", r, errs)
		}
		time.Sleep(100 * time.Millisecond)
	}
	if out := s.Run("kb", "export", "--kafka", s.Broker); !strings.Contains(out, "marche_noel") || !strings.Contains(out, "horaires_mairie") {
		t.Errorf("kb export lacks entries:\n%.300s", out)
	}
}

// TestKBImportTenantColumn: a spreadsheet's tenant column. A tenant the
// deployment does not declare is told at its line, and nothing is published; a
// declared one is the entry's.
func TestKBImportTenantColumn(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	sheet := t.TempDir() + "/communes.csv"
	os.WriteFile(sheet, []byte("id,question,answer,tenant\n"+
		"city_stade_sal,Où est le city-stade ?,Derrière la salle des fêtes de Saint-Aubin.,saint-aubin-sur-leze\n"+
		"piscine_atl,Où est la piscine ?,Au fond de l'océan.,atlantide\n"), 0o644)
	cmd := exec.Command(parvistest.Binary(), "kb", "import", "--kafka", s.Broker, sheet)
	if out, err := cmd.CombinedOutput(); err == nil || !strings.Contains(string(out), "communes.csv:3: tenant: collectivité « atlantide » non déclarée") {
		t.Errorf("kb import of an undeclared tenant: %v\n%s", err, out)
	}
	os.WriteFile(sheet, []byte("id,question,answer,tenant\n"+
		"city_stade_sal,Où est le city-stade ?,Derrière la salle des fêtes de Saint-Aubin.,saint-aubin-sur-leze\n"), 0o644)
	if out := s.Run("kb", "import", "--kafka", s.Broker, sheet); !strings.Contains(out, "1 entrées publiées") {
		t.Fatalf("kb import of a commune's sheet said %q", out)
	}
	if out := s.Run("kb", "export", "--kafka", s.Broker); !strings.Contains(out, "city_stade_sal") || strings.Contains(out, "piscine_atl") ||
		!regexp.MustCompile(`(?s)id: city_stade_sal.*?tenant: saint-aubin-sur-leze`).MatchString(out) {
		t.Errorf("kb export after the commune's sheet:\n%s", out)
	}
}

func TestAnswersAdaptToTheAudience(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	ask := func(audience string) parvistest.Reply {
		var out struct{ StartConversation struct{ ID string } }
		s.GQL("", `mutation($a: Audience) { startConversation(audience: $a) { id } }`, map[string]any{"a": audience}, &out)
		r, errs := s.Send(out.StartConversation.ID, "horaires de la déchetterie")
		if len(errs) > 0 || r.Entry == nil || r.Entry.ID != "decheterie" {
			t.Fatalf("%s: %+v %v", audience, r, errs)
		}
		return r
	}
	if pro := ask("ENTREPRISE"); !strings.Contains(pro.Text, "professionnels") || !strings.Contains(pro.Text, "Kbis") {
		t.Errorf("entreprise got the general answer: %s", pro.Text)
	}
	if part := ask("PARTICULIER"); strings.Contains(part.Text, "Kbis") {
		t.Errorf("particulier got the professional answer: %s", part.Text)
	}
}

// TestKBRetire retires an entry by importing it with status retired: the bot no
// longer answers with it.
func TestKBRetire(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	id := s.StartConversation()
	if r, _ := s.Send(id, "horaires de la piscine municipale"); r.Entry == nil || r.Entry.ID != "piscine" {
		t.Fatalf("before: %+v", r)
	}
	file := t.TempDir() + "/retire.yaml"
	os.WriteFile(file, []byte("- id: piscine\n  question: Piscine\n  answer: Fermée.\n  status: retired\n"), 0o644)
	s.Run("kb", "import", "--kafka", s.Broker, file)
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, _ := s.Send(id, "horaires de la piscine municipale")
		if r.Entry == nil || r.Entry.ID != "piscine" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the retired entry still answers after 10 s")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestBrokerOutage runs parvis against a broker that goes away for thirty seconds:
// citizens still get answers, the events wait in the outbox, and once the broker
// is back the outbox drains and every event reaches the log and ClickHouse,
// counted once.
func TestBrokerOutage(t *testing.T) {
	t.Parallel() // thirty seconds of waiting for the broker to come back
	dir := t.TempDir()
	brokerAddr, broker := eventlogtest.StartBroker(t, dir+"/external-kafka")
	s := parvistest.Start(t, dir+"/data", "--kafka", brokerAddr)
	id := s.StartConversation()
	for range 5 {
		if _, errs := s.Send(id, "passeport perdu"); len(errs) > 0 {
			t.Fatal(errs)
		}
	}
	s.WaitMessages(5, 30*time.Second)

	// Thirty seconds without a broker, a citizen chatting all along.
	broker.Close()
	sent := 0
	for end := time.Now().Add(30 * time.Second); time.Now().Before(end); sent++ {
		r, errs := s.Send(id, fmt.Sprintf("horaires de la mairie %d", sent))
		if len(errs) > 0 || r.Outcome == "" {
			t.Fatalf("no answer while the broker is down: %v", errs)
		}
		time.Sleep(300 * time.Millisecond)
	}
	broker, err := eventlog.StartEmbedded(dir+"/external-kafka", brokerAddr)
	if err != nil {
		t.Fatal(err)
	}
	defer broker.Close()
	o := s.WaitMessages(5+sent, 60*time.Second)
	if o.Conversations != 1 {
		t.Errorf("overview = %+v", o)
	}
	// Nothing counted twice, a while later.
	time.Sleep(time.Second)
	if o := s.Overview(); o.Messages != 5+sent {
		t.Errorf("overview.messages = %d, want %d", o.Messages, 5+sent)
	}
}

func TestMetricsAndHealth(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	id := s.StartConversation()
	s.Send(id, "horaires de la mairie")
	s.WaitMessages(1, 10*time.Second)
	for path, want := range map[string][]string{
		"/healthz": {"ok"},
		"/readyz":  {"prêt"},
		"/metrics": {"parvis_events_published_total", "parvis_events_publish_duration_seconds", "parvis_events_outbox_depth",
			"parvis_projector_batch_events", "parvis_projector_insert_duration_seconds", "parvis_projector_lag_seconds",
			"parvis_bot_decision_duration_seconds", `parvis_chat_messages_total{outcome="ANSWERED"} 1`},
	} {
		resp, err := http.Get("http://" + s.Addr + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("%s: %d", path, resp.StatusCode)
		}
		for _, w := range want {
			if !strings.Contains(string(body), w) {
				t.Errorf("%s lacks %q", path, w)
			}
		}
	}
}

// TestPersonalDataNeverLogged sends an e-mail address, a phone number, a NIR and
// an IBAN: none reaches ClickHouse or the log; the placeholders do.
func TestPersonalDataNeverLogged(t *testing.T) {
	s := parvistest.Start(t, t.TempDir())
	id := s.StartConversation()
	secrets := []string{"marie.curie@example.org", "06 12 34 56 78", "1 85 05 78 006 084 91", "FR76 3000 6000 0112 3456 7890 189"}
	msg := "Bonjour, je suis " + secrets[0] + ", tel " + secrets[1] + ", sécu " + secrets[2] + ", IBAN " + secrets[3] + ", mon passeport est perdu"
	if r, errs := s.Send(id, msg); len(errs) > 0 || r.Entry == nil || r.Entry.ID != "perte_vol_papiers" {
		t.Fatalf("reply %+v %v", r, errs)
	}
	s.WaitMessages(1, 10*time.Second)
	var out struct {
		Conversation struct{ Messages []struct{ Role, Text string } }
	}
	if errs := s.GQL(parvistest.AdminToken, `query($id: ID!) { conversation(id: $id) { messages { role text } } }`, map[string]any{"id": id}, &out); len(errs) > 0 {
		t.Fatal(errs)
	}
	stored := out.Conversation.Messages[0].Text
	for _, p := range []string{"[EMAIL]", "[TELEPHONE]", "[NIR]", "[IBAN]"} {
		if !strings.Contains(stored, p) {
			t.Errorf("stored text %q lacks %s", stored, p)
		}
	}
	var log string
	if kcat, err := exec.LookPath("kcat"); err == nil {
		b, err := exec.Command(kcat, "-C", "-b", s.Broker, "-t", "parvis.conversations", "-e", "-q").CombinedOutput()
		if err != nil {
			t.Fatalf("kcat: %v\n%s", err, b)
		}
		log = string(b)
	} else {
		t.Log("SKIP log check: kcat is not installed")
	}
	for _, secret := range secrets {
		if strings.Contains(stored, secret) || strings.Contains(log, secret) {
			t.Errorf("%q was logged", secret)
		}
	}
}
