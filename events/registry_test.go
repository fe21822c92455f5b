package events

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
)

// TestEveryTypeRoundTrips encodes a filled payload of every registered type and
// decodes it back: same type, version, topic and payload. A type added to the
// registry without an example here fails.
func TestEveryTypeRoundTrips(t *testing.T) {
	entry := KBEntry{ID: "passeport", Question: "Comment faire un passeport ?", Alternatives: []string{"passeport perdu"},
		Negatives: []string{"passeport pour mon chien"},
		Answer:    "En mairie, sur rendez-vous.", AudienceAnswers: map[string]string{"entreprise": "Non concerné."},
		Audiences: []string{"particulier"}, Service: "Etat civil", Theme: "Papiers", Source: "Ville",
		Links: []KBLink{{Label: "Rendez-vous", URL: "https://exemple.fr/rdv"}}, Kind: "answer", National: true,
		Demande: "voirie", Cluster: "c1", Status: "published"}
	examples := []Payload{
		ConversationStarted{Audience: "association", Channel: "widget", Campaign: "tok"},
		UtteranceReceived{Text: "mon mail [EMAIL]", Redactions: map[string]int{"EMAIL": 1}, Campaign: "c1"},
		BotDecision{UtteranceID: "u1", Outcome: "CLARIFY", Confidence: 0.5, EntryID: "a", Choices: []string{"a", "b"},
			Candidates: []Candidate{{EntryID: "a", Score: 0.5}}, KBVersion: "v", LatencyMs: 1.5, Reply: "r"},
		FeedbackGiven{Helpful: true, Comment: "merci", UtteranceID: "u1", Campaign: "c1"},
		ConversationEnded{Reason: "inactivity"},
		KBEntryChanged{Type: TypeKBEntryDrafted, Entry: entry, By: "analyste"},
		KBEntryChanged{Type: TypeKBEntryValidated, Entry: entry, By: "expert", Pending: true},
		KBEntryChanged{Type: TypeKBEntryPublished, Entry: entry, By: "expert"},
		KBEntryChanged{Type: TypeKBEntryRetired, Entry: entry, By: "expert"},
		TokenCreated{TokenID: "t1", Name: "n", Role: "ADMIN", Hash: "h", By: "b", Scope: "montclar"},
		TokenRevoked{TokenID: "t1", By: "b"},
		AccountCreated{AccountID: "a1", Login: "l", Name: "n", Role: "EXPERT", PasswordHash: "h", By: "b", Scope: "cc-val-de-leze"},
		AccountDisabled{AccountID: "a1", By: "b"},
		AccountPasswordSet{AccountID: "a1", PasswordHash: "h", By: "b"},
		SessionOpened{SessionID: "s1", Key: "9f2c", AccountID: "a1", Name: "n", Role: "ANALYST", Scope: "montclar",
			Address: "192.0.2.1", UserAgent: "Firefox", Ends: time.Date(2026, 12, 4, 20, 0, 0, 0, time.UTC)},
		SessionSeen{SessionID: "s1"},
		SessionEnded{SessionID: "s1", AccountID: "a1", Reason: "revoked", By: "b"},
		ReplayRequested{By: "b"},
		ConversationErased{ConversationID: "c1", By: "b"},
		SuggestionChosen{UtteranceID: "u1", Text: "horaires", EntryID: "a", Choices: []string{"a", "b"}, ChoiceID: "u2"},
		SuggestionReviewed{SuggestionID: "s1", Kind: "alternative", EntryID: "a", Text: "horaires", Verdict: "rejected", By: "b"},
		TenantDeclared{Tenant: Tenant{ID: "montclar", Name: "Montclar", INSEE: "31999", Parent: "cc-val-de-leze",
			Population: 4200, Colour: "#1d4e89", Origins: []string{"https://www.montclar.fr"}, Prefix: "MTC"}, By: "b"},
		DemandeFiled{TrackingCode: "MTC-2026-000001-ABCD", Number: 1, Kind: "voirie", Audience: "particulier",
			Description: "trou rue [ADRESSE]", Place: "rue des Lilas", HasContact: true, Consent: true, HasPhoto: true,
			Due: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), Sealed: "c2VhbGVk"},
		DemandeStatusChanged{TrackingCode: "MTC-2026-000001-ABCD", Status: "EN_COURS", Message: "m", Note: "n", Assignee: "a", By: "b"},
		DemandeDelivered{TrackingCode: "MTC-2026-000001-ABCD", Connector: "publik", RemoteID: "r1", URL: "https://x", Attempts: 2},
		DemandeDeliveryFailed{TrackingCode: "MTC-2026-000001-ABCD", Connector: "publik", Attempt: 1, Error: "e",
			NextAt: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC), Dead: true},
		DemandeContactErased{TrackingCode: "MTC-2026-000001-ABCD", Reason: "request", By: "b"},
		CampaignCreated{CampaignID: "c1", Name: "Avant lancement", Token: "t", Scenarios: []string{"Inscrivez votre fils à la cantine"},
			StartsAt: "2026-12-01T00:00:00Z", EndsAt: "2026-12-15T00:00:00Z", By: "b"},
		ScenarioFinished{Campaign: "c1", Scenario: 1, Done: true},
		PhrasingAssigned{PhrasingID: "u1", Campaign: "c1", EntryID: "a", Text: "cantine", By: "b"},
	}
	seen := map[string]bool{}
	for _, p := range examples {
		t.Run(p.EventType(), func(t *testing.T) {
			seen[p.EventType()] = true
			raw := encodeAsEncodingJSON(t, "montclar", p)
			env, got, err := Decode(raw)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			reg := registry[p.EventType()]
			if env.Type != p.EventType() || env.V != reg.version || env.Topic() != reg.topic {
				t.Errorf("envelope %s v%d on %s, want %s v%d on %s", env.Type, env.V, env.Topic(), p.EventType(), reg.version, reg.topic)
			}
			want := reflect.New(reflect.TypeOf(p)) // Decode returns a pointer
			want.Elem().Set(reflect.ValueOf(p))
			if !reflect.DeepEqual(got, want.Interface()) {
				t.Errorf("payload\n got %#v\nwant %#v", got, want.Interface())
			}
		})
	}
	for typ := range registry {
		if !seen[typ] {
			t.Errorf("registered type %s has no example here", typ)
		}
	}
}

// TestEncodedAsEncodingJSON checks the encoding of what varies most: floats of
// every size, HTML and line separators in text (the envelope's and the
// payload's), non-ASCII letters, a map.
func TestEncodedAsEncodingJSON(t *testing.T) {
	for _, p := range []Payload{
		BotDecision{UtteranceID: "u1", Outcome: "ANSWERED", Confidence: 1e-7, LatencyMs: 123456789.125, EntryID: "<a&b>",
			Candidates: []Candidate{{EntryID: "x", Score: 0.1 + 0.2}, {EntryID: "y", Score: 1e21}}, Reply: "été\u2028 « ok » </script>"},
		UtteranceReceived{Text: "mon \"mail\" \\ [EMAIL]\n\t\x01", Redactions: map[string]int{"TEL": 2, "EMAIL": 1}},
	} {
		encodeAsEncodingJSON(t, "<montclar & co>", p)
	}
}

// encodeAsEncodingJSON makes an event of p and encodes it, checking that it is
// encoded as encoding/json would have encoded it: what the log holds does not
// depend on the encoder.
func encodeAsEncodingJSON(t *testing.T, tenant string, p Payload) []byte {
	t.Helper()
	ev, err := New(tenant, "c1", time.Now(), p)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := ev.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	payload, _ := json.Marshal(p)
	ev.Payload = payload
	if want, _ := json.Marshal(ev); string(raw) != string(want) {
		t.Errorf("encoded\n got %s\nwant %s", raw, want)
	}
	return raw
}

func TestNewRefusesAnUnregisteredType(t *testing.T) {
	if _, err := New("t", "c", time.Now(), KBEntryChanged{Type: "kb.entry.shredded"}); err == nil {
		t.Error("New accepted an unregistered type")
	}
}

// TestSecretsArePublicWithout: the payloads that carry a secret say so, and their
// public form has neither the secret nor its key.
func TestSecretsArePublicWithout(t *testing.T) {
	tests := []struct {
		p            Payload
		secret, kept string
	}{
		{TokenCreated{TokenID: "t1", Name: "n", Role: "ADMIN", Hash: "5e3f", By: "b"}, `"hash"`, `"by":"b"`},
		{AccountCreated{AccountID: "a1", Login: "l", Role: "EXPERT", PasswordHash: "$2a$10$x", By: "b"}, `"password_hash"`, `"by":"b"`},
		{AccountPasswordSet{AccountID: "a1", PasswordHash: "$2a$10$x", By: "b"}, `"password_hash"`, `"by":"b"`},
		{SessionOpened{SessionID: "s1", Key: "9f2c", AccountID: "a1", Role: "ANALYST"}, `"key"`, `"account_id":"a1"`},
		{SuggestionReviewed{SuggestionID: "s1", Text: "mon fils Lucas", Verdict: "rejected", By: "b"}, `"text"`, `"verdict":"rejected"`},
		{DemandeStatusChanged{TrackingCode: "MTC-1", Status: "EN_COURS", Message: "Bonjour Mme Martin", Note: "06 12", By: "b"}, `Martin`, `"status":"EN_COURS"`},
	}
	for _, tt := range tests {
		t.Run(tt.p.EventType(), func(t *testing.T) {
			full, _ := json.Marshal(tt.p)
			if !strings.Contains(string(full), tt.secret) {
				t.Fatalf("the log form lost its secret: %s", full)
			}
			s, ok := tt.p.(Secretive)
			if !ok {
				t.Fatalf("%T does not say it carries a secret", tt.p)
			}
			pub, _ := json.Marshal(s.Public())
			if strings.Contains(string(pub), tt.secret) || !strings.Contains(string(pub), tt.kept) {
				t.Errorf("public form %s", pub)
			}
		})
	}
}
