package bot

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/french"
	"golang.org/x/text/unicode/norm"
)

// maxNormalizedRunes bounds the work done on one message: past it, the rest of the
// text is ignored by the engine (the ingest layer refuses such messages anyway).
const maxNormalizedRunes = 4000

// fold lowercases s, removes accents and ligatures, and turns every character that
// is neither a letter nor a digit into a space. Apostrophes split elisions
// ("l'acte" → "l acte"). Invalid UTF-8 is dropped.
func fold(s string) string {
	if n := utf8.RuneCountInString(s); n > maxNormalizedRunes {
		s = string([]rune(s)[:maxNormalizedRunes])
	}
	// Redaction placeholders ("[EMAIL]") say nothing of the question; words()
	// drops them with the label that introduced them ("mon tel [TELEPHONE]").
	if strings.Contains(s, "[") {
		s = placeholder.ReplaceAllString(s, " "+redacted+" ")
	}
	s = norm.NFD.String(strings.ToValidUTF8(s, " "))
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r):
			// combining accent: dropped
		case r == 'œ' || r == 'Œ':
			b.WriteString("oe")
		case r == 'æ' || r == 'Æ':
			b.WriteString("ae")
		case r == 'ß':
			b.WriteString("ss")
		case r < utf8.RuneSelf && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9'):
			b.WriteRune(r)
		case r < utf8.RuneSelf && r >= 'A' && r <= 'Z':
			b.WriteRune(r + 'a' - 'A')
		case unicode.IsLetter(r):
			b.WriteRune(unicode.ToLower(r))
		default:
			b.WriteByte(' ')
		}
	}
	return b.String()
}

var placeholder = regexp.MustCompile(`\[[A-Z_]+\]`)

// redacted stands for a placeholder between fold and words.
const redacted = "zzredacted"

// piiLabels are the words that introduce a piece of personal data.
var piiLabels = setOf(`mail email courriel adresse tel telephone portable numero secu nir iban rib carte cb bancaire`)

// words folds s and splits it into words, expanding SMS shorthand and oral forms.
func words(s string) []string {
	raw := strings.Fields(fold(s))
	out := make([]string, 0, len(raw))
	for i, w := range raw {
		if w == redacted {
			for len(out) > 0 && (piiLabels[out[len(out)-1]] || stopwords[out[len(out)-1]]) {
				out = out[:len(out)-1]
			}
			continue
		}
		// "rendez-vous" is one word, whose halves mean something else.
		if w == "rendez" && i+1 < len(raw) && raw[i+1] == "vous" {
			w = "rendezvous"
		}
		if exp, ok := shorthand[w]; ok {
			out = append(out, strings.Fields(exp)...)
			continue
		}
		out = append(out, w)
	}
	return out
}

// stem reduces a folded word to its Snowball French stem.
func stem(w string) string {
	if len(w) <= 3 {
		return w
	}
	return french.Stem(w, true)
}

// shorthand maps SMS shorthand, oral contractions and common colloquial words to
// standard (folded) French. It is applied before spelling correction.
var shorthand = map[string]string{
	"bjr": "bonjour", "bjour": "bonjour", "bonjoure": "bonjour", "bsr": "bonsoir", "slt": "salut", "cc": "coucou",
	"svp": "s il vous plait", "stp": "s il te plait", "svpl": "s il vous plait", "plz": "s il vous plait",
	"mrc": "merci", "mr6": "merci", "mci": "merci", "thx": "merci", "bcp": "beaucoup",
	"c": "c est", "cest": "c est", "ces": "c est", "sa": "ca", "ke": "que", "k": "que", "ki": "qui",
	"koi": "quoi", "kwa": "quoi", "quoa": "quoi", "qoi": "quoi", "kel": "quel", "kelle": "quelle", "kels": "quels",
	"kan": "quand", "qd": "quand", "kand": "quand", "cmt": "comment", "cmnt": "comment", "komen": "comment", "koman": "comment", "comen": "comment",
	"pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "pr": "pour", "pour1": "pour un",
	"ds": "dans", "dc": "donc", "tt": "tout", "tte": "toute", "tts": "tous", "ts": "tous",
	"jsuis": "je suis", "chui": "je suis", "chuis": "je suis", "jsui": "je suis", "suis": "suis",
	"jveux": "je veux", "jveu": "je veux", "veu": "veux", "vx": "veux", "jpeux": "je peux", "jpe": "je peux", "pe": "peux", "peu": "peux",
	"jai": "j ai", "g": "j ai", "jdois": "je dois", "jsais": "je sais", "chai": "je sais", "jcrois": "je crois",
	"ya": "il y a", "yen": "il y en", "yaura": "il y aura", "ptet": "peut etre", "ptetre": "peut etre",
	"cb": "combien", "cbien": "combien", "combi1": "combien", "rdv": "rendezvous", "rdvs": "rendezvous",
	"ac": "avec", "avc": "avec", "ak": "avec", "mm": "meme", "tjrs": "toujours", "tjr": "toujours", "tjs": "toujours",
	"qqch": "quelque chose", "qqc": "quelque chose", "qqn": "quelqu un", "qq1": "quelqu un", "qlq": "quelques",
	"pb": "probleme", "pbm": "probleme", "pblm": "probleme", "prob": "probleme", "pbs": "problemes",
	"infos": "informations", "info": "information", "dispo": "disponible", "dispos": "disponibles",
	"aprem": "apres midi", "ajd": "aujourd hui", "auj": "aujourd hui", "ojd": "aujourd hui", "dem1": "demain", "2m1": "demain",
	"mairi": "mairie", "mair": "mairie", "mérie": "mairie", "meri": "mairie", "merie": "mairie",
	"hr": "heure", "hrs": "heures", "h": "heure", "mn": "minutes", "min": "minutes",
	"nn": "non", "ouai": "oui", "ouais": "oui", "wi": "oui", "ok": "ok", "oki": "ok", "dac": "d accord", "dacc": "d accord",
	"msg": "message", "tel": "telephone", "tél": "telephone", "num": "numero", "n°": "numero", "no": "numero",
	"cni": "carte identite", "idcard": "carte identite",
	"jdc": "journee defense citoyennete", "caf": "caf", "plu": "plu", "pc": "permis construire", "dp": "declaration prealable",
	"bb": "bebe", "bebe": "bebe", "gosse": "enfant", "gosses": "enfants", "gamin": "enfant", "gamins": "enfants",
	"gamine": "enfant", "mome": "enfant", "momes": "enfants", "mioche": "enfant", "petiot": "enfant",
	"boulot": "travail", "taf": "travail", "job": "emploi", "bagnole": "voiture", "caisse": "voiture", "tacos": "tacos",
	"poubel": "poubelle", "poubelles": "poubelles", "ordure": "ordures", "teuf": "fete", "bouquin": "livre", "bouquins": "livres",
	"flic": "police", "flics": "police", "keuf": "police", "keufs": "police", "toutou": "chien", "clebs": "chien", "chat": "chat",
	"appart": "appartement", "apart": "appartement", "hlm": "logement social", "proprio": "proprietaire",
	"resto": "restaurant", "bar": "bar", "coupure": "coupure", "wc": "toilettes", "exam": "examen",
	"pacse": "pacser", "pacsé": "pacser", "pacses": "pacser", "mariee": "marie", "rdc": "rez chaussee",
	"humain": "humain", "perso": "personne", "qqun": "quelqu un", "quelquun": "quelqu un",
}

// stopwords are French function words that carry no topic. They are removed before
// retrieval. Words that change the meaning of a municipal question ("pas", "sans",
// "nouveau") are deliberately kept.
var stopwords = setOf(`a à ai aie aient aies ait al alors as au aucun aucune aupres auquel aura aurai auraient
aurais aurait auras aurez auriez aurions aurons auront aussi autre aux auxquelles auxquels avaient avais avait avant
avec avez aviez avions avoir avons ayant ayez ayons b bah ben bien bon bonne c ca car ce ceci cela celle celles celui
cependant certain certaine certaines certains ces cet cette ceux chaque chez ci comme comment d dans de des deja
depuis dois doit doivent donc dont du e elle elles en encore entre es est et etaient etais etait etant ete etes etiez
etions etre eu eue eues eurent eus eusse eut eux f faire fais fait faut g h hein i ici il ils j je jusqu l la
laquelle le lequel les lesquelles lesquels leur leurs lui m ma mais me meme mes moi mon n ne ni nos notre nous o on
ont ou oui ouf p par parce pendant peu peut peuvent peux pouvez pouvons puis puisqu q qu quand que quel quelle
quelles quels qui quoi r s sa sauf se sera serai seraient serais serait seras serez seriez serions serons
seront ses si sien soi soient sois soit sommes son sont sous soyez soyons suis sur t ta te tes toi ton tous tout
toute toutes tres tu u un une unes uns v va vais vas vers voila vont vos votre vous vu w x y z
voudrais voudrait voudrions voulais voulait voulez voulons veux veut veulent vouloir savoir sais sait
svp plait please stp madame monsieur mme mr mlle
svp aimerais aimerait souhaite souhaiterais souhaitons besoin peut etre possible dire
renseignement renseignements information informations question questions
mon ma mes notre nos quelqu chose truc trucs machin oui non ok accord
est-ce estce quoi comment ou quand combien pourquoi
aller prendre`)

// courtesy words are greetings and thanks: content when a message holds nothing
// else ("bonjour"), noise around a question ("bonjour, mon passeport est perdu").
var courtesy = setOf(`bonjour bonsoir salut coucou hello hi allo merci remercie remercier remerciements
bonne journee soiree cordialement super parfait genial cool nickel top impeccable`)

func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[fold(w)] = true
	}
	return m
}

// ContentWords reduces a text to its content words, folded, SMS shorthand
// expanded, synonyms brought to one word of their group: with [Stem], the
// representation that mining groups questions by.
func ContentWords(text string) []string {
	var out []string
	for _, w := range words(text) {
		if stopwords[w] || courtesy[w] {
			continue
		}
		if syn, ok := canonical[w]; ok {
			w = syn
		}
		out = append(out, w)
	}
	return out
}

// Stem reduces a folded word to its Snowball French stem.
func Stem(w string) string { return stem(w) }
