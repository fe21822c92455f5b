package integration

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/segmentio/kafka-go"

	"github.com/parvis-civic/parvis/integration/parvistest"
	"github.com/parvis-civic/parvis/projections"
)

// TestDemandeFiledTrackedNeverInClear: a citizen files two demandes through
// fileDemande (one with an e-mail address, one with a phone number), an agent
// changes one, the chat answers its new status from the code however typed,
// and neither the e-mail address nor the phone number is in clear on any
// parvis.* topic or in any ClickHouse table.
func TestDemandeFiledTrackedNeverInClear(t *testing.T) {
	data := t.TempDir()
	s := parvistest.Start(t, data)
	const email, phone = "camille.durand@exemple.fr", "06 98 76 54 32"
	secrets := []string{email, "camille.durand", phone, "0698765432", "12 bis rue des Glycines"}

	conv := s.StartConversation()
	var proposed struct {
		SendMessage struct{ Demande *struct{ ID string } }
	}
	if errs := s.GQL("", `mutation($c: ID!) { sendMessage(conversationId: $c, text: "le lampadaire de ma rue ne marche plus") { demande { id } } }`,
		map[string]any{"c": conv}, &proposed); len(errs) > 0 || proposed.SendMessage.Demande == nil || proposed.SendMessage.Demande.ID != "eclairage" {
		t.Errorf("no demande proposed: %+v %v", proposed, errs)
	}
	file := `mutation($c: ID!, $k: String!, $d: String!, $contact: String, $a: String, $consent: Boolean) {
		fileDemande(conversationId: $c, kind: $k, description: $d, contact: $contact, address: $a, consent: $consent) { trackingCode status } }`
	var filed struct {
		FileDemande struct{ TrackingCode, Status string }
	}
	if errs := s.GQL("", file, map[string]any{"c": conv, "k": "voirie", "d": "Un énorme trou, appelez-moi au " + phone,
		"contact": email, "a": "12 bis rue des Glycines", "consent": true}, &filed); len(errs) > 0 {
		t.Fatal(errs)
	}
	code := filed.FileDemande.TrackingCode
	if filed.FileDemande.Status != "RECUE" || !strings.HasPrefix(code, fmt.Sprintf("MTC-%d-", time.Now().Year())) {
		t.Fatalf("filed %+v", filed)
	}
	// The short form of the contract, with a phone number.
	if errs := s.GQL("", `mutation($c: ID!) { fileDemande(conversationId: $c, kind: "encombrants", description: "Un canapé et un matelas", contact: "`+phone+`") { trackingCode } }`,
		map[string]any{"c": conv}, nil); len(errs) > 0 {
		t.Fatal(errs)
	}
	// A refusal says what is wrong, in French.
	errs := s.GQL("", file, map[string]any{"c": conv, "k": "voirie", "d": "trou", "contact": "camille@", "consent": false}, nil)
	if len(errs) != 1 || errs[0].Extensions["code"] != "BAD_USER_INPUT" || !strings.Contains(errs[0].Message, "trop courte") ||
		!strings.Contains(errs[0].Message, "adresse électronique") || !strings.Contains(errs[0].Message, "Indiquez où") {
		t.Errorf("refusal: %v", errs)
	}

	// An agent takes it up.
	var tok struct{ CreateApiToken string }
	if errs := s.GQL(parvistest.AdminToken, `mutation { createApiToken(role: AGENT, name: "Voirie") }`, nil, &tok); len(errs) > 0 {
		t.Fatal(errs)
	}
	update := `mutation($code: String!) { updateDemandeStatus(trackingCode: $code, status: EN_COURS, message: "Une équipe passe jeudi.", note: "camion 2") { status } }`
	if errs := s.GQL("", update, map[string]any{"code": code}, nil); len(errs) != 1 || errs[0].Extensions["code"] != "UNAUTHENTICATED" {
		t.Errorf("anyone updates: %v", errs)
	}
	parvistest.Poll(t, "the agent's token known", 10*time.Second, func() error {
		if errs := s.GQL(tok.CreateApiToken, update, map[string]any{"code": code}, nil); len(errs) > 0 {
			return fmt.Errorf("%v", errs)
		}
		return nil
	})
	var desk struct {
		Demandes []struct {
			Demande struct{ TrackingCode, Status string }
			Email   *string
			Note    *string
		}
	}
	if errs := s.GQL(tok.CreateApiToken, `{ demandes(status: EN_COURS) { demande { trackingCode status } email note } }`, nil, &desk); len(errs) > 0 ||
		len(desk.Demandes) != 1 || desk.Demandes[0].Email == nil || *desk.Demandes[0].Email != email {
		t.Errorf("service desk: %+v %v", desk, errs)
	}

	// The citizen asks, typing the code their own way.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	reply, errs := s.Send(conv, "bonjour où en est ma demande "+typed+" svp")
	if len(errs) > 0 || !strings.Contains(reply.Text, "en cours de traitement") || !strings.Contains(reply.Text, "Une équipe passe jeudi.") {
		t.Errorf("tracking answer %q %v", reply.Text, errs)
	}
	if strings.Contains(reply.Text, "camion") {
		t.Errorf("the internal note reaches the citizen: %q", reply.Text)
	}
	var pub struct {
		Demande *struct{ Status, Message string }
	}
	if errs := s.GQL("", `query($c: String!) { demande(trackingCode: $c) { status message } }`, map[string]any{"c": typed}, &pub); len(errs) > 0 ||
		pub.Demande == nil || pub.Demande.Status != "EN_COURS" {
		t.Errorf("demande(trackingCode): %+v %v", pub, errs)
	}
	wrong := code[:len(code)-2] + "ZZ"
	if reply, _ := s.Send(conv, "où en est "+wrong); !strings.Contains(reply.Text, "mal recopié") {
		t.Errorf("mistyped code: %q", reply.Text)
	}

	// Figures come from the projections.
	parvistest.Poll(t, "the figures", 30*time.Second, func() error {
		var f struct{ DemandeFigures struct{ Filed int } }
		if errs := s.GQL(parvistest.AdminToken, `query($f: Time!, $t: Time!) { demandeFigures(from: $f, to: $t) { filed } }`,
			map[string]any{"f": time.Now().Add(-time.Hour), "t": time.Now().Add(time.Hour)}, &f); len(errs) > 0 || f.DemandeFigures.Filed != 2 {
			return fmt.Errorf("%+v %v", f, errs)
		}
		return nil
	})

	// A citizen's access request gets the demandes of the conversation, contact included.
	var exp struct{ ExportConversation string }
	if errs := s.GQL(parvistest.AdminToken, `query($id: ID!) { exportConversation(id: $id) }`, map[string]any{"id": conv}, &exp); len(errs) > 0 ||
		!strings.Contains(exp.ExportConversation, code) || !strings.Contains(exp.ExportConversation, email) {
		t.Errorf("export: %v %.500s", errs, exp.ExportConversation)
	}

	// Every topic, read to its end.
	for _, topic := range []string{"parvis.conversations", "parvis.demandes", "parvis.audit", "parvis.kb", "parvis.deadletter"} {
		for _, m := range readAllTopic(t, s.Broker, topic) {
			for _, secret := range secrets {
				if strings.Contains(string(m), secret) {
					t.Errorf("%q in clear on %s: %.300s", secret, topic, m)
				}
			}
		}
	}
	// Every ClickHouse table, once the server is stopped.
	s.Kill()
	store, err := projections.OpenChDB(filepath.Join(data, "clickhouse"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	var tables []struct {
		Name string `ch:"name"`
	}
	if err := store.Select(context.Background(), &tables, "SELECT name FROM system.tables WHERE database = currentDatabase()"); err != nil {
		t.Fatal(err)
	}
	scanned := 0
	for _, tbl := range tables {
		for _, secret := range secrets {
			var n []struct {
				N uint64 `ch:"n"`
			}
			q := fmt.Sprintf("SELECT count() AS n FROM `%s` WHERE position(formatRow('TSV', *), '%s') > 0", tbl.Name, secret)
			if err := store.Select(context.Background(), &n, q); err != nil {
				t.Fatalf("%s: %v", tbl.Name, err)
			}
			if n[0].N > 0 {
				t.Errorf("%q in clear in the table %s", secret, tbl.Name)
			}
		}
		scanned++
	}
	if scanned < 10 {
		t.Errorf("only %d tables scanned", scanned)
	}
}

// readAllTopic returns every message of a topic, all partitions.
func readAllTopic(t *testing.T, broker, topic string) [][]byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	conn, err := kafka.DialContext(ctx, "tcp", broker)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	parts, err := conn.ReadPartitions(topic)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, p := range parts {
		lc, err := kafka.DialLeader(ctx, "tcp", broker, topic, p.ID)
		if err != nil {
			t.Fatal(err)
		}
		end, err := lc.ReadLastOffset()
		lc.Close()
		if err != nil {
			t.Fatal(err)
		}
		if end == 0 {
			continue
		}
		r := kafka.NewReader(kafka.ReaderConfig{Brokers: []string{broker}, Topic: topic, Partition: p.ID, MaxBytes: 16 << 20})
		for {
			m, err := r.ReadMessage(ctx)
			if err != nil {
				t.Fatalf("%s/%d: %v", topic, p.ID, err)
			}
			out = append(out, m.Value)
			if m.Offset >= end-1 {
				break
			}
		}
		r.Close()
	}
	return out
}
