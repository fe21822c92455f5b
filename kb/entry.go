// Package kb holds the knowledge base: the entries that the town's business experts
// write and validate, the file formats they come in (YAML, CSV, JSONL), the sources
// they come from (the town's own entries, service-public.fr fiches, FAQ files) and
// their lifecycle (draft, validated, published, retired).
//
// Data flows one way: files are parsed into [Entry] values with every problem
// reported by file, line and field ([Load]). In `serve`, entries travel as kb.*
// events on the log ([PublishEntries], [Writer]); a [State] applies them in order
// and the bot answers from its published entries. The wire form of an entry is
// events.KBEntry; [Entry.Wire] and [FromWire] convert.
package kb

import (
	"fmt"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Audience is who the citizen speaks for.
type Audience string

// The audiences of the contract.
const (
	Particulier Audience = "particulier"
	Entreprise  Audience = "entreprise"
	Association Audience = "association"
)

// Audiences lists every audience, in display order.
var Audiences = []Audience{Particulier, Entreprise, Association}

// ParseAudience accepts an audience as towns write it: in any case, with or
// without accents, singular or plural, and "professionnel(s)" for entreprise.
// For a label that may mean every audience ("Tous"), use [ParseAudiences].
func ParseAudience(s string) (Audience, error) {
	if a, ok := audienceLabels[foldLabel(s)]; ok {
		return a, nil
	}
	return "", fmt.Errorf("public « %s » inconnu (attendu : particulier, entreprise ou professionnel, association, ou tous)", s)
}

// ParseAudiences reads one audience label: "Tous" (or "tout public", "all")
// gives every audience, any other label the one audience of [ParseAudience].
func ParseAudiences(s string) ([]Audience, error) {
	if everyone[foldLabel(s)] {
		return slices.Clone(Audiences), nil
	}
	a, err := ParseAudience(s)
	if err != nil {
		return nil, err
	}
	return []Audience{a}, nil
}

// audienceLabels maps folded labels, as found in towns' spreadsheets, to audiences.
var audienceLabels = map[string]Audience{
	"particulier": Particulier, "particuliers": Particulier, "habitant": Particulier, "habitants": Particulier,
	"entreprise": Entreprise, "entreprises": Entreprise, "professionnel": Entreprise, "professionnels": Entreprise,
	"pro": Entreprise, "pros": Entreprise,
	"association": Association, "associations": Association,
}

var everyone = map[string]bool{"tous": true, "tout public": true, "tous publics": true, "tous les publics": true,
	"tout le monde": true, "all": true}

// foldLabel lowercases a label, removes its accents and squeezes its spaces.
func foldLabel(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

// Kind says what kind of decision an entry makes when it is chosen.
type Kind string

// Entry kinds.
const (
	KindAnswer    Kind = "answer"    // an answer to a question (ANSWERED)
	KindSmalltalk Kind = "smalltalk" // greetings, thanks (SMALLTALK)
	KindHandoff   Kind = "handoff"   // asks for a person (HANDOFF)
)

// Status is where an entry stands in its lifecycle.
type Status string

// Entry statuses.
const (
	Draft     Status = "draft"
	Validated Status = "validated"
	Published Status = "published"
	Retired   Status = "retired"
)

// Link is a labelled link shown under an answer, usually to an online service.
type Link struct {
	Label string `yaml:"label" json:"label"`
	URL   string `yaml:"url" json:"url"`
}

// Entry is one validated piece of knowledge: a question, the ways citizens ask it,
// and the answer.
type Entry struct {
	ID           string   `yaml:"id" json:"id"`
	Question     string   `yaml:"question" json:"question"`
	Alternatives []string `yaml:"alternatives,omitempty" json:"alternatives,omitempty"`
	// Negatives are phrasings the entry answered wrongly (an expert accepted
	// them from citizens' "not helpful"): the bot ranks the entry lower for a
	// message close to one of them.
	Negatives []string `yaml:"negatives,omitempty" json:"negatives,omitempty"`
	Answer    string   `yaml:"answer" json:"answer"`
	// Reference is the full text behind a summarised answer (a
	// service-public.fr fiche): the bot searches it, citizens are not shown it.
	Reference string `yaml:"reference,omitempty" json:"reference,omitempty"`
	// AudienceAnswers replaces Answer for one audience when the answer differs.
	AudienceAnswers map[Audience]string `yaml:"audience_answers,omitempty" json:"audience_answers,omitempty"`
	Audiences       []Audience          `yaml:"audiences,omitempty" json:"audiences,omitempty"`
	Service         string              `yaml:"service,omitempty" json:"service,omitempty"`
	Theme           string              `yaml:"theme,omitempty" json:"theme,omitempty"`
	Source          string              `yaml:"source,omitempty" json:"source,omitempty"`
	Links           []Link              `yaml:"links,omitempty" json:"links,omitempty"`
	Kind            Kind                `yaml:"kind,omitempty" json:"kind,omitempty"`
	// National marks a question whose answer is the same everywhere in France:
	// another source may answer it in place of the town's entry.
	National bool `yaml:"national,omitempty" json:"national,omitempty"`
	// Demande is the kind of request a citizen can file from this entry.
	Demande string `yaml:"demande,omitempty" json:"demande,omitempty"`
	// Cluster is the group of unanswered questions the entry was drafted from.
	Cluster string `yaml:"cluster,omitempty" json:"cluster,omitempty"`
	Status  Status `yaml:"status,omitempty" json:"status,omitempty"`
	// Tenant is the commune or intercommunalité whose entry it is: it answers
	// that tenant's citizens, and an intercommunalité's the citizens of its
	// communes too. Empty: every tenant's (service-public.fr, a deployment
	// without tenants).
	Tenant string `yaml:"tenant,omitempty" json:"tenant,omitempty"`
	// Layer ranks, for one tenant's engine, whose entry it is: 0 the tenant's
	// own, 1 its intercommunalité's or every tenant's, 2 national. When two
	// entries answer about as well, the lower layer wins. Set by [ForTenant],
	// never stored.
	Layer int `yaml:"-" json:"-"`
	// ReviewBy is the date (YYYY-MM-DD) by which an expert should read the
	// answer again; empty: 12 months after its publication (see review.go).
	ReviewBy string `yaml:"review_by,omitempty" json:"review_by,omitempty"`
	// Unsaid lists the columns the spreadsheet of an entry read by
	// [SheetEntries] does not have (« service », « liens »…): an import keeps
	// the entry's own values for them. Never stored.
	Unsaid []string `yaml:"-" json:"-"`
}

// AnswerFor returns the answer adapted to the audience, or the general answer.
func (e *Entry) AnswerFor(a Audience) string {
	if s, ok := e.AudienceAnswers[a]; ok && s != "" {
		return s
	}
	return e.Answer
}

// Phrasings returns the question followed by its alternatives.
func (e *Entry) Phrasings() []string {
	return append([]string{e.Question}, e.Alternatives...)
}

// Answering reports whether the entry may be used to answer citizens.
func (e *Entry) Answering() bool {
	return e.Status == "" || e.Status == Published
}
