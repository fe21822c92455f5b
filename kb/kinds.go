package kb

import (
	_ "embed"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris without the system's zoneinfo

	"go.yaml.in/yaml/v3"
)

// DemandeKind is a kind of request a citizen can file from the chat (a pothole,
// a bulky-waste pickup, a room for an association): what is asked of the
// citizen, who may file it, and how long the town announces it takes. An entry
// whose Demande names a kind proposes to file it.
type DemandeKind struct {
	ID    string `yaml:"id"`
	Label string `yaml:"label"`
	// Prompt asks for the description, in the kind's own words.
	Prompt    string     `yaml:"prompt,omitempty"`
	Audiences []Audience `yaml:"audiences,omitempty"` // empty: everyone
	// Delay is the announced processing time as shown to citizens, « 5 jours
	// ouvrés »; [DemandeKind.Due] reads it.
	Delay    string    `yaml:"delay"`
	Location FieldRule `yaml:"location,omitempty"` // an address or a point on a map
	Photo    bool      `yaml:"photo,omitempty"`    // a photo may be attached (always optional)
	Contact  FieldRule `yaml:"contact,omitempty"`  // an e-mail address or a phone number
	// Words point a message the bot cannot answer to this kind (folded, without
	// accents: « lampadaire », « trou »).
	Words []string `yaml:"words,omitempty"`

	days    int  // from Delay
	working bool // Delay counts working days
}

// FieldRule says whether a field of a demande is asked, and whether it must be given.
type FieldRule string

// Field rules; empty means optional.
const (
	Required FieldRule = "required"
	Optional FieldRule = "optional"
	Never    FieldRule = "none"
)

// Asked reports whether the field is asked at all.
func (r FieldRule) Asked() bool { return r != Never }

// AllowedFor reports whether an audience may file the kind ("" when the citizen
// has not said who they speak for: allowed).
func (k DemandeKind) AllowedFor(a Audience) bool {
	return a == "" || len(k.Audiences) == 0 || slices.Contains(k.Audiences, a)
}

// Due returns when the announced processing time runs out for a demande filed
// at from: working days skip Saturdays, Sundays and French public holidays.
func (k DemandeKind) Due(from time.Time) time.Time {
	// Days are the town's: counted in Paris time, so that a demande filed on
	// Saturday at 00:30 is not taken for one of Friday.
	d := from.In(paris)
	for n := k.days; n > 0; {
		d = d.AddDate(0, 0, 1)
		if k.working && !workingDay(d) {
			continue
		}
		n--
	}
	return d.In(from.Location())
}

var paris = func() *time.Location {
	l, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		panic(err) // embedded by time/tzdata
	}
	return l
}()

// workingDay reports whether d is a « jour ouvré »: Monday to Friday, not a
// French public holiday.
func workingDay(d time.Time) bool {
	if d.Weekday() == time.Saturday || d.Weekday() == time.Sunday {
		return false
	}
	y, m, day := d.Date()
	switch {
	case m == time.January && day == 1, m == time.May && (day == 1 || day == 8), m == time.July && day == 14,
		m == time.August && day == 15, m == time.November && (day == 1 || day == 11), m == time.December && day == 25:
		return false
	}
	easter := easterSunday(y)
	for _, after := range []int{1, 39, 50} { // Easter Monday, Ascension, Whit Monday
		if e := easter.AddDate(0, 0, after); e.Month() == m && e.Day() == day {
			return false
		}
	}
	return true
}

// easterSunday is Easter Sunday of year y (Gregorian calendar, the anonymous
// algorithm of Meeus).
func easterSunday(y int) time.Time {
	a, b, c := y%19, y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return time.Date(y, time.Month(month), day, 0, 0, 0, 0, time.UTC)
}

// Days returns the announced processing time in days (working days when the
// delay says so).
func (k DemandeKind) Days() int { return k.days }

var delayRe = regexp.MustCompile(`^(\d{1,3})\s+(jours? ouvr[ée]s?|jours?|semaines?)$`)

// parseDelay reads « 5 jours ouvrés », « 10 jours », « 2 semaines ».
func parseDelay(s string) (days int, working bool, ok bool) {
	m := delayRe.FindStringSubmatch(strings.ToLower(strings.TrimSpace(s)))
	if m == nil {
		return 0, false, false
	}
	n, _ := strconv.Atoi(m[1])
	switch {
	case strings.HasPrefix(m[2], "semaine"):
		return n * 7, false, n > 0
	case strings.Contains(m[2], "ouvr"):
		return n, true, n > 0
	}
	return n, false, n > 0
}

var kindIDRe = regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`)

// ParseKinds reads the demande_kinds section of a YAML file (a KB file may hold
// it beside its entries, or a file may hold only it). Every problem is reported
// by file, line and field; a file with any problem gives no kind.
func ParseKinds(name string, data []byte) ([]DemandeKind, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, Problems{yamlProblem(name, err)}
	}
	if len(root.Content) == 0 || root.Content[0].Kind != yaml.MappingNode {
		return nil, Problems{{File: name, Msg: "il faut une clé « demande_kinds » qui porte la liste des types de demande"}}
	}
	doc := root.Content[0]
	var list *yaml.Node
	for i := 0; i+1 < len(doc.Content); i += 2 {
		if doc.Content[i].Value == "demande_kinds" {
			list = doc.Content[i+1]
		}
	}
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil, Problems{{File: name, Line: doc.Line, Field: "demande_kinds", Msg: "absente, ou ce n'est pas une liste de types de demande"}}
	}
	var (
		kinds []DemandeKind
		probs Problems
		seen  = map[string]int{}
	)
	for _, n := range list.Content {
		fl := fieldLines{"": n.Line}
		if n.Kind == yaml.MappingNode {
			for i := 0; i+1 < len(n.Content); i += 2 {
				fl[n.Content[i].Value] = n.Content[i].Line
			}
		}
		var kf kindFile
		if err := strictDecode(n, &kf); err != nil {
			p := yamlProblem(name, err)
			p.Msg = strings.ReplaceAll(p.Msg, " in type kb.kindFile", "")
			probs = append(probs, p)
			continue
		}
		k := DemandeKind{ID: kf.ID, Label: kf.Label, Prompt: kf.Prompt, Delay: kf.Delay, Location: kf.Location,
			Photo: kf.Photo, Contact: kf.Contact, Words: kf.Words}
		bad := func(field, msg string) {
			probs = append(probs, Problem{File: name, Line: fl.at(field), Field: field, Msg: msg})
		}
		for _, label := range kf.Audiences {
			as, err := ParseAudiences(label)
			if err != nil {
				bad("audiences", err.Error())
			}
			k.Audiences = append(k.Audiences, as...)
		}
		switch {
		case k.ID == "":
			bad("id", "obligatoire")
		case !kindIDRe.MatchString(k.ID):
			bad("id", fmt.Sprintf("« %s » : lettres minuscules, chiffres et _ seulement, de 2 à 40 caractères", k.ID))
		case seen[k.ID] > 0:
			bad("id", fmt.Sprintf("« %s » déjà déclaré ligne %d", k.ID, seen[k.ID]))
		default:
			seen[k.ID] = fl.at("id")
		}
		if strings.TrimSpace(k.Label) == "" {
			bad("label", "obligatoire")
		}
		var ok bool
		if k.days, k.working, ok = parseDelay(k.Delay); !ok {
			bad("delay", fmt.Sprintf("« %s » : attendu un délai comme « 5 jours ouvrés », « 10 jours » ou « 2 semaines »", k.Delay))
		}
		for _, r := range []struct {
			field string
			rule  *FieldRule
		}{{"location", &k.Location}, {"contact", &k.Contact}} {
			switch *r.rule {
			case "":
				*r.rule = Optional
			case Required, Optional, Never:
			default:
				bad(r.field, fmt.Sprintf("« %s » : attendu required, optional ou none", *r.rule))
			}
		}
		for i, w := range k.Words {
			k.Words[i] = foldLabel(w)
		}
		kinds = append(kinds, k)
	}
	if len(probs) > 0 {
		return nil, probs
	}
	if len(kinds) == 0 {
		return nil, Problems{{File: name, Line: list.Line, Field: "demande_kinds", Msg: "aucun type de demande déclaré"}}
	}
	return kinds, nil
}

// kindFile is a kind as written: audiences are labels, read as towns write them.
type kindFile struct {
	ID        string    `yaml:"id"`
	Label     string    `yaml:"label"`
	Prompt    string    `yaml:"prompt"`
	Audiences []string  `yaml:"audiences"`
	Delay     string    `yaml:"delay"`
	Location  FieldRule `yaml:"location"`
	Photo     bool      `yaml:"photo"`
	Contact   FieldRule `yaml:"contact"`
	Words     []string  `yaml:"words"`
}

//go:embed demo/demandes.yaml
var demoKinds []byte

// DemoKinds returns the demande kinds of the demo town.
func DemoKinds() []DemandeKind {
	kinds, err := ParseKinds("demo/demandes.yaml", demoKinds)
	if err != nil {
		panic("kb: the embedded demande kinds are invalid: " + err.Error())
	}
	return kinds
}
