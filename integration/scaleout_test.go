package integration

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// TestAnyAPIProcessContinuesAnyConversation: two API processes behind one load
// balancer, on one broker and one ClickHouse server. Each conversation starts on
// the first and its first message goes to the second at once, before ClickHouse
// can have projected it; then they alternate, feedback included. Measured before:
// 99 of 150 messages refused with « Cette conversation n'existe pas ».
func TestAnyAPIProcessContinuesAnyConversation(t *testing.T) {
	a, b := twoAPIProcesses(t, "peers")
	procs := []*parvistest.Server{a, b}

	const convs, perConv = 30, 4
	var wg sync.WaitGroup
	errs := make(chan string, convs*(perConv+1))
	// The last message of each conversation is named, as the widget names
	// them: sent again later on the other process, it is answered, not logged.
	type last struct{ conv, text, reply string }
	lasts := make([]last, convs)
	for c := range convs {
		wg.Go(func() {
			id := a.StartConversation()
			answers := 0
			for i := range perConv {
				s := procs[(i+1)%2] // b first, at once
				q := questions[(c*perConv+i)%len(questions)]
				var r parvistest.Reply
				var gerrs []parvistest.GQLError
				if i == perConv-1 {
					r, gerrs = sendNamed(s, id, "dernier", q)
					lasts[c] = last{id, q, r.Text}
				} else {
					r, gerrs = s.Send(id, q)
				}
				if len(gerrs) > 0 || r.Text == "" {
					errs <- fmt.Sprintf("conversation %d, message %d on process %d: %v", c, i, (i+1)%2, gerrs)
					return
				}
				if r.Outcome == "ANSWERED" {
					answers++ // what a citizen rates: answers, not greetings
				}
			}
			// One rating per answer, whichever process takes it: the answers are
			// rated alternately on both, and one more rating is refused.
			rate := func(s *parvistest.Server) []parvistest.GQLError {
				return s.GQL("", `mutation($c: ID!) { giveFeedback(conversationId: $c, helpful: true) }`, map[string]any{"c": id}, nil)
			}
			for i := range answers {
				if gerrs := rate(procs[i%2]); len(gerrs) > 0 {
					errs <- fmt.Sprintf("conversation %d, rating %d of %d: %v", c, i+1, answers, gerrs)
				}
			}
			if gerrs := rate(procs[answers%2]); len(gerrs) == 0 {
				errs <- fmt.Sprintf("conversation %d: %d answers rated %d times", c, answers, answers+1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	got := a.WaitMessages(convs*perConv, 20*time.Second)
	if got.Conversations != convs || got.Messages != convs*perConv {
		t.Errorf("overview = %+v, want %d conversations and %d messages, each once", got, convs, convs*perConv)
	}

	// Each last message again, on the process that did not answer it; then
	// one new message, counted once the retries would have been.
	other := procs[(perConv+1)%2] // the last went to procs[perConv%2]
	for c, l := range lasts {
		if r, gerrs := sendNamed(other, l.conv, "dernier", l.text); len(gerrs) > 0 || r.Text != l.reply {
			t.Errorf("conversation %d, its last message sent again: %q %v, want its reply %q", c, r.Text, gerrs, l.reply)
		}
	}
	if _, gerrs := a.Send(a.StartConversation(), questions[0]); len(gerrs) > 0 {
		t.Fatal(gerrs)
	}
	parvistest.Poll(t, "the new conversation counted", 20*time.Second, func() error {
		if got = a.Overview(); got.Conversations != convs+1 || got.Messages < convs*perConv+1 {
			return fmt.Errorf("overview = %+v", got)
		}
		return nil
	})
	// The messages sent again went to the log before the new one, on other
	// partitions: a moment more for the projector to have read them, had they
	// been logged.
	time.Sleep(time.Second)
	if got = a.Overview(); got.Messages != convs*perConv+1 {
		t.Errorf("after %d messages sent again and one new: overview = %+v, want %d messages", convs, got, convs*perConv+1)
	}
}

// sendNamed sends a message under the client's id for it (messageId).
func sendNamed(s *parvistest.Server, conv, messageID, text string) (parvistest.Reply, []parvistest.GQLError) {
	var out struct{ SendMessage parvistest.Reply }
	errs := s.GQL("", `mutation($c: ID!, $t: String!, $m: ID) { sendMessage(conversationId: $c, text: $t, messageId: $m) { text outcome confidence entry { id source } } }`,
		map[string]any{"c": conv, "t": text, "m": messageID}, &out)
	return out.SendMessage, errs
}

// twoAPIProcesses starts a server with every role and a second api process on
// its broker, both on a fresh database of the ClickHouse server the tests run
// against (skipped without one).
func twoAPIProcesses(t *testing.T, name string) (*parvistest.Server, *parvistest.Server) {
	t.Helper()
	dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE")
	if dsn == "" {
		t.Skip("SKIP: PARVIS_TEST_CLICKHOUSE is not set (a ClickHouse server DSN); .ci/run starts one")
	}
	db := dsn[:strings.LastIndex(dsn, "/")+1] + fmt.Sprintf("parvis_%s_%d", name, time.Now().UnixNano())
	a := parvistest.Start(t, t.TempDir(), "--clickhouse", db)
	return a, parvistest.StartRole(t, t.TempDir(), "--role", "api", "--kafka", a.Broker, "--clickhouse", db)
}

// TestAnyAPIProcessKnowsEverySession: a person signed in through one api
// process is signed in on the other (a load balancer sends their next request
// anywhere), and an administrator signed in on the other sees that session and
// revokes it: the first process refuses it from then on. Before, sessions lived
// in the memory of the process that opened them.
func TestAnyAPIProcessKnowsEverySession(t *testing.T) {
	t.Parallel() // its processes wait on each other more than they work
	a, b := twoAPIProcesses(t, "sessions")
	a.CreateAccount("elue", "Mme la Maire", "ELECTED", "un mot de passe long")
	a.CreateAccount("chef", "Cheffe de projet", "ADMIN", "un autre mot de passe")

	parvistest.Poll(t, "the account made on the first process signs in on the second", 10*time.Second, func() error {
		resp, err := http.Post("http://"+b.Addr+"/auth/login", "application/json", strings.NewReader(`{"login":"chef","password":"un autre mot de passe"}`))
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("sign-in: %d", resp.StatusCode)
		}
		return nil
	})
	elue := signInAs(t, a, "elue", "un mot de passe long")
	admin := signInAs(t, b, "chef", "un autre mot de passe")

	// The first process's session on the second, and the other way round:
	// each process learns the other's sessions from the log, a moment later.
	parvistest.Poll(t, "a session of the first process is refused on the second", 5*time.Second, func() error {
		return sessionOn(b, elue)
	})
	parvistest.Poll(t, "a session of the second process is refused on the first", 5*time.Second, func() error {
		return sessionOn(a, admin)
	})

	var list struct{ Sessions []struct{ ID, Name string } }
	admin.gql(`{ sessions { id name } }`, nil, &list)
	id := ""
	for _, s := range list.Sessions {
		if s.Name == "Mme la Maire" {
			id = s.ID
		}
	}
	if id == "" {
		t.Fatalf("the administrator on the second process does not see the session opened on the first: %+v", list.Sessions)
	}
	admin.gql(`mutation($id: ID!) { revokeSession(id: $id) }`, map[string]any{"id": id}, nil)
	parvistest.Poll(t, "the revoked session still signs in on the process that opened it", 5*time.Second, func() error {
		if sessionOn(a, elue) == nil {
			return fmt.Errorf("still signed in")
		}
		return nil
	})
}

// sessionOn asks a process who the session's holder is: nil when it knows the
// session.
func sessionOn(s *parvistest.Server, d dashboardSession) error {
	req, _ := http.NewRequest(http.MethodGet, "http://"+s.Addr+"/auth/session", nil)
	req.AddCookie(d.cookie)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var info struct{ CSRF string }
	json.NewDecoder(resp.Body).Decode(&info)
	if resp.StatusCode != http.StatusOK || info.CSRF != d.csrf {
		return fmt.Errorf("/auth/session: %d, CSRF token %q (want the sign-in's)", resp.StatusCode, info.CSRF)
	}
	return nil
}
