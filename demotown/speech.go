package demotown

import (
	"math/rand/v2"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// speak writes a phrasing the way citizens type it: often without accents or
// capitals, sometimes with a typo, a greeting or a "svp".
func speak(r *rand.Rand, s string) string {
	if r.Float64() < 0.45 {
		s = unaccent(s)
	}
	if r.Float64() < 0.5 {
		s = strings.ToLower(s)
	}
	if r.Float64() < 0.25 {
		s = typo(r, s)
	}
	if r.Float64() < 0.3 {
		s = strings.TrimRight(s, " ?!.")
	}
	switch x := r.Float64(); {
	case x < 0.08:
		s = "bonjour " + s
	case x < 0.12:
		s = "bjr " + s
	case x < 0.2:
		s += " svp"
	}
	return s
}

// unaccent removes the accents, as on a keyboard without them.
func unaccent(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return norm.NFC.String(b.String())
}

// typo drops, doubles or swaps a letter inside a word of five letters or more.
func typo(r *rand.Rand, s string) string {
	words := strings.Fields(s)
	var long []int
	for i, w := range words {
		if len([]rune(w)) >= 5 {
			long = append(long, i)
		}
	}
	if len(long) == 0 {
		return s
	}
	i := long[r.IntN(len(long))]
	w := []rune(words[i])
	at := 1 + r.IntN(len(w)-2)
	switch r.IntN(3) {
	case 0:
		w = append(w[:at], w[at+1:]...)
	case 1:
		w = append(w[:at+1], w[at:]...)
	default:
		w[at], w[at+1] = w[at+1], w[at]
	}
	words[i] = string(w)
	return strings.Join(words, " ")
}

// Short messages citizens send besides their questions, as they are: varied
// enough, and a greeting with a typo is no longer a greeting.
var (
	greetings = []string{"bonjour", "Bonjour !", "bjr", "salut", "Bonsoir", "bonjour madame, monsieur"}
	thanks    = []string{"merci", "Merci beaucoup !", "merci bcp", "super merci", "Merci, bonne journée"}
	handoffs  = []string{"je voudrais parler à quelqu'un", "un humain svp", "je peux avoir un agent de la mairie ?", "vous avez un numéro de téléphone pour parler à quelqu'un ?"}
	tracking  = []string{"Bonjour, où en est ma demande %s ?", "ma demande %s a avancé ?", "suivi demande %s"}
	notHelped = []string{"ce n'est pas ma question", "ça ne répond pas", "pas clair"}
)

// reports are what citizens write when they file a demande of a kind, with a
// place where the kind asks one.
var reports = map[string][]string{
	"voirie": {
		"Nid de poule profond sur la chaussée, dangereux pour les vélos",
		"Trottoir soulevé par les racines, une dame a failli tomber",
		"Panneau stop couché au carrefour depuis le coup de vent",
		"Plaque d'égout qui bouge et claque à chaque voiture",
	},
	"encombrants": {
		"Un canapé trois places et un matelas, environ 2 m3",
		"Un réfrigérateur et une machine à laver hors service",
		"Une armoire démontée et quatre chaises",
	},
	"eclairage": {
		"Lampadaire éteint depuis une semaine, la rue est dans le noir",
		"Le réverbère devant chez moi clignote toute la nuit",
	},
	"proprete": {
		"Dépôt sauvage de sacs poubelles et de gravats au bout du chemin",
		"Tags sur le mur de l'école maternelle",
	},
	"salle_association": {
		"Assemblée générale de notre association, un samedi à 14 h, une soixantaine de personnes",
		"Loto de l'association sportive, un dimanche après-midi, 120 personnes",
		"Réunion mensuelle du club de lecture, 15 personnes, un mardi soir",
	},
}

// streets are the demo territory's streets (invented).
var streets = []string{"rue des Tilleuls", "avenue Jean-Jaurès", "rue Gambetta", "chemin du Moulin",
	"rue de la Roseraie", "place de la République", "route de Lyon", "impasse des Vignes"}

// Agents' public messages as a demande moves on.
var (
	takenUp  = []string{"Votre demande est prise en charge par nos services.", "Une équipe passera dans la semaine.", "Intervention programmée."}
	done     = []string{"C'est fait, merci de votre signalement.", "L'intervention a eu lieu.", "Enlèvement effectué.", "Votre réservation est confirmée."}
	rejected = []string{"Ce point relève du département : nous lui avons transmis votre signalement.", "La salle n'est pas disponible à cette date : merci de proposer une autre date.", "Demande en double : elle est suivie sous un autre code."}
)
