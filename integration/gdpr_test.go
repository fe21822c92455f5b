package integration

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/integration/parvistest"
)

// A citizen's question with a name in it, and another citizen's on the same
// subject: mining groups them.
const (
	erasedQuestion = "ou acheter un permis de peche pour l etang communal pour madame durand"
	keptQuestion   = "permis de peche pour l etang communal"
)

// TestEraseAndExport exports a conversation for a citizen's access request, then
// erases it as an administrator: it leaves the overview, the conversation query
// and the groups of unanswered questions, stays out after a kill -9 and restart
// (the log is delivered again) and after a replay from the start of the log, and
// an export then finds nothing.
func TestEraseAndExport(t *testing.T) { eraseAndExport(t) }

// TestEraseClickHouseServer is the same against a ClickHouse server, where the
// deletions are asynchronous mutations.
func TestEraseClickHouseServer(t *testing.T) {
	dsn := os.Getenv("PARVIS_TEST_CLICKHOUSE")
	if dsn == "" {
		t.Skip("SKIP: PARVIS_TEST_CLICKHOUSE is not set (a ClickHouse server DSN); .ci/run starts one")
	}
	eraseAndExport(t, "--clickhouse", dsn[:strings.LastIndex(dsn, "/")+1]+fmt.Sprintf("parvis_erase_%d", time.Now().UnixNano()))
}

func eraseAndExport(t *testing.T, extra ...string) {
	s := parvistest.Start(t, t.TempDir(), extra...)
	erased, kept := s.StartConversation(), s.StartConversation()
	for conv, texts := range map[string][]string{erased: {erasedQuestion, "horaires de la mairie"}, kept: {keptQuestion}} {
		for _, text := range texts {
			if _, errs := s.Send(conv, text); len(errs) > 0 {
				t.Fatalf("send %q: %v", text, errs)
			}
		}
	}
	if errs := s.GQL("", `mutation($c: ID!) { giveFeedback(conversationId: $c, helpful: false, comment: "pas de réponse") }`,
		map[string]any{"c": erased}, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	s.WaitMessages(3, 10*time.Second)
	parvistest.Poll(t, "the two questions grouped", 30*time.Second, func() error {
		if texts := clusterTexts(t, s); !strings.Contains(texts, "durand") || !strings.Contains(texts, keptQuestion) {
			return fmt.Errorf("groups show %q", texts)
		}
		return nil
	})

	// Access: everything held, in one JSON document. The feedback is its own
	// event, projected on its own: the export is read until it holds it.
	var exp struct{ ExportConversation string }
	var doc struct {
		ConversationID string `json:"conversation_id"`
		Started        *struct{ Audience string }
		Messages       []struct{ Role, Text, Outcome string }
		Decisions      []struct {
			Outcome    string
			Candidates []struct {
				EntryID string `json:"entry_id"`
			}
		}
		Feedback []struct {
			Helpful bool
			Comment string
		}
		Mining []struct {
			Text    string
			GroupID string `json:"group_id"`
		} `json:"mining_signals"`
		RetentionDays int `json:"retention_days"`
	}
	parvistest.Poll(t, "the export of everything held", 30*time.Second, func() error {
		if errs := s.GQL(parvistest.AdminToken, `query($id: ID!) { exportConversation(id: $id) }`, map[string]any{"id": erased}, &exp); len(errs) > 0 {
			t.Fatalf("export: %v", errs)
		}
		if err := json.Unmarshal([]byte(exp.ExportConversation), &doc); err != nil {
			t.Fatalf("export is not JSON: %v\n%s", err, exp.ExportConversation)
		}
		if doc.ConversationID != erased || doc.Started == nil || doc.Started.Audience != "particulier" || len(doc.Messages) != 4 ||
			doc.Messages[0].Text != erasedQuestion || len(doc.Decisions) != 2 || len(doc.Decisions[0].Candidates) == 0 ||
			len(doc.Feedback) != 1 || doc.Feedback[0].Comment != "pas de réponse" || len(doc.Mining) == 0 || doc.Mining[0].GroupID == "" ||
			doc.RetentionDays != 365 {
			return fmt.Errorf("export lacks what is held:\n%s", exp.ExportConversation)
		}
		return nil
	})

	// Erasure: an unknown id is refused, in French; the erasure is recorded.
	errs := s.GQL(parvistest.AdminToken, `mutation { eraseConversation(id: "01INCONNU") }`, nil, nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "Aucune conversation") {
		t.Errorf("erasing an unknown id: %v", errs)
	}
	for range 2 { // again: still true
		var out struct{ EraseConversation bool }
		if errs := s.GQL(parvistest.AdminToken, `mutation($id: ID!) { eraseConversation(id: $id) }`, map[string]any{"id": erased}, &out); len(errs) > 0 || !out.EraseConversation {
			t.Fatalf("erase: %v %v", out, errs)
		}
	}
	gone := func(when string) {
		t.Helper()
		parvistest.Poll(t, when, 30*time.Second, func() error {
			if o := s.Overview(); o.Conversations != 1 || o.Messages != 1 {
				return fmt.Errorf("overview %+v, want the kept conversation only", o)
			}
			var c struct{ Conversation *struct{ ID string } }
			if errs := s.GQL(parvistest.AdminToken, `query($id: ID!) { conversation(id: $id) { id } }`, map[string]any{"id": erased}, &c); len(errs) > 0 || c.Conversation != nil {
				return fmt.Errorf("conversation query: %+v %v", c.Conversation, errs)
			}
			if texts := clusterTexts(t, s); strings.Contains(texts, "durand") || !strings.Contains(texts, keptQuestion) {
				return fmt.Errorf("groups show %q", texts)
			}
			return nil
		})
		errs := s.GQL(parvistest.AdminToken, `query($id: ID!) { exportConversation(id: $id) }`, map[string]any{"id": erased}, nil)
		if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" {
			t.Errorf("%s: export of the erased conversation: %v", when, errs)
		}
	}
	gone("after the erasure")

	s.Kill()
	s.Restart()
	gone("after kill -9 and restart")

	// parvis replay starts the replay in the background and follows it to its end.
	if out := s.Run("replay", "--addr", s.Addr); !strings.Contains(out, "événements rejoués") || strings.Contains(out, " 0 effacés") {
		t.Fatalf("replay: %s (want the erased conversation's events skipped)", out)
	}
	gone("after a replay")

	if kcat, err := exec.LookPath("kcat"); err == nil {
		out, err := exec.Command(kcat, "-C", "-b", s.Broker, "-t", "parvis.audit", "-e", "-q").CombinedOutput()
		if err != nil || !strings.Contains(string(out), `"type":"conversation.erased"`) || !strings.Contains(string(out), erased) {
			t.Errorf("the erasure is not on the audit log: %v\n%s", err, out)
		}
	} else {
		t.Log("SKIP audit log check: kcat is not installed")
	}
}

// TestRetentionOfTheLog: --retention-days sets how long the embedded broker keeps
// the conversations; the knowledge base and the audit log are kept for ever.
func TestRetentionOfTheLog(t *testing.T) {
	s := parvistest.Start(t, t.TempDir(), "--retention-days", "30")
	tr := &kafka.Transport{}
	defer tr.CloseIdleConnections()
	want := map[string]string{"parvis.conversations": "2592000000", "parvis.kb": "-1", "parvis.audit": "-1"}
	for topic, ms := range want {
		resp, err := (&kafka.Client{Addr: kafka.TCP(s.Broker), Transport: tr}).DescribeConfigs(context.Background(), &kafka.DescribeConfigsRequest{
			Resources: []kafka.DescribeConfigRequestResource{{ResourceType: kafka.ResourceTypeTopic, ResourceName: topic, ConfigNames: []string{"retention.ms"}}},
		})
		if err != nil || len(resp.Resources) != 1 || len(resp.Resources[0].ConfigEntries) != 1 {
			t.Fatalf("%s: %+v %v", topic, resp, err)
		}
		if got := resp.Resources[0].ConfigEntries[0].ConfigValue; got != ms {
			t.Errorf("%s: retention.ms = %s, want %s", topic, got, ms)
		}
	}
}

// clusterTexts returns the labels and examples of the groups of unanswered
// questions of the last hour, joined.
func clusterTexts(t *testing.T, s *parvistest.Server) string {
	t.Helper()
	var texts []string
	for _, c := range clusters(t, s) {
		texts = append(append(texts, c.Label), c.Examples...)
	}
	return strings.Join(texts, " | ")
}
