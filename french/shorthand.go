package french

import (
	_ "embed"
	"fmt"
	"strings"
)

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
	"boulot": "travail", "taf": "travail", "job": "emploi", "bagnole": "voiture", "tacos": "tacos",
	"poubel": "poubelle", "poubelles": "poubelles", "ordure": "ordures", "teuf": "fete", "bouquin": "livre", "bouquins": "livres",
	"flic": "police", "flics": "police", "keuf": "police", "keufs": "police", "toutou": "chien", "clebs": "chien", "chat": "chat",
	"appart": "appartement", "apart": "appartement", "hlm": "logement social", "proprio": "proprietaire",
	"resto": "restaurant", "bar": "bar", "coupure": "coupure", "wc": "toilettes", "exam": "examen",
	"pacse": "pacser", "pacsé": "pacser", "pacses": "pacser", "mariee": "marie", "rdc": "rez chaussee",
	"humain": "humain", "perso": "personne", "qqun": "quelqu un", "quelquun": "quelqu un",
	"jsp": "je sais pas", "jfai": "je fais", "jfais": "je fais", "jvoudrais": "je voudrais", "doi": "dois",
	"kes": "qu est ce", "keske": "qu est ce que", "kesk": "qu est ce que", "kesske": "qu est ce que",
	// « Comment me le procurer ? » asks how to obtain, not for a proxy vote
	// (« procuration »), whose stem the verb shares.
	"procurer": "obtenir", "procurez": "obtenir", "procurerai": "obtenir", "procurera": "obtenir", "procure": "obtenir",
	"procures": "obtenir", "procurent": "obtenir", "procurerais": "obtenir", "procurerait": "obtenir", "procurait": "obtenir",
	"vs": "vous", "dsl": "desole", "pcq": "parce que", "pck": "parce que", "mtn": "maintenant", "wesh": "salut",
}

// slangText is the familiar French that citizens write for the standard word
// (« ma daronne », « la cantoche », « mon clebs »): see slang.txt.
//
//go:embed slang.txt
var slangText string

// englishText is the English that learners of French mix in (« my dog is lost »):
// see english.txt.
//
//go:embed english.txt
var englishText string

// The slang and English words join shorthand; a word shorthand reads already
// keeps its reading.
func init() {
	for _, f := range []struct{ name, text string }{{"slang.txt", slangText}, {"english.txt", englishText}} {
		for word, standard := range readLexicon(f.name, f.text) {
			if _, known := shorthand[word]; !known {
				shorthand[word] = standard
			}
		}
	}
}

// readLexicon reads « word<TAB>standard words » lines, folded, with # comments.
func readLexicon(name, text string) map[string]string {
	m := map[string]string{}
	for n, line := range strings.Split(text, "\n") {
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		word, standard, ok := strings.Cut(line, "\t")
		if !ok || word != Fold(word) || standard != Fold(standard) {
			panic(fmt.Sprintf("french: %s line %d: want « word<TAB>standard words », folded: %q", name, n+1, line))
		}
		m[word] = standard
	}
	return m
}
