package french

import (
	_ "embed"
	"iter"
	"slices"
	"strings"
)

// synonymGroups are words citizens use for the same thing in administrative and
// everyday French, one group a line. The engine lets a message's word match the
// other words of its group, at a lower weight, so that "viré" finds "licenciement"
// and "appart" finds "logement"; mining puts a group's words under its first one.
// Words are folded (no accents); groups are small and unambiguous on purpose: a
// word with several senses ("poste", "femme") is left out.
var synonymGroups = `
logement appartement maison domicile habitation logis
voiture vehicule auto automobile
travail emploi
licencie licenciement vire renvoye congedie
salaire paye paie remuneration remunere payee
pret credit emprunt
impot impots taxe
enfant fils fille ado adolescent
mere maman
pere papa
mari epoux conjoint compagnon concubin
medecin docteur toubib
poubelle poubelles bac bacs conteneur
ordures dechets detritus
calcaire tartre
papiers documents pieces justificatifs
demenager demenagement emmenager emmenagement
horaires heures
prix tarif tarifs cout coute
gratuit gratuite gratuitement
perdu egare paume perdue
vole vol derobe pique volee
bruit bruits tapage nuisance nuisances vacarme
chien chiens toutou chienne chiennes chiot chiots
chat chats minou chatte chattes chaton chatons
cantine restauration
nounou assistante
aide aides soutien allocation
deces mort decede morte deceder
enterrement obseques inhumation funerailles
sepulture caveau
route chaussee voie
trou trous crevasse
lampadaire lampadaires reverbere eclairage
travaux chantier
cloture grillage palissade
bibliotheque mediatheque
livre livres bouquin
association asso associations club
subvention financement
salle local locaux
fete soiree evenement manifestation
magasin boutique commerce
cafe bar bistrot
alcool boissons
stage stagiaire
voter vote election elections scrutin
inscrire inscription
renouveler refaire renouvellement
perime expire expiree perimee
urgent urgence
telephone numero appeler joindre
suivi suivre avancement statut
signaler signalement
enlever enlevement ramasser ramassage
jeter debarrasser
jardin terrain
bonjour bonsoir salut coucou hello hi allo
merci remercie remercier remerciements
`

// relatedText holds the groups of related words (see related.txt).
//
//go:embed related.txt
var relatedText string

// relatedGroups are relatedText without its comments.
var relatedGroups = func() string {
	var b strings.Builder
	for line := range strings.SplitSeq(relatedText, "\n") {
		if !strings.HasPrefix(line, "#") {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}()

// synonyms hold both kinds of groups: the engine matches through either.
var synonyms = groupsOf(synonymGroups + relatedGroups)

// groupsOf maps each word of the groups (one a line) to the other words of its
// group.
func groupsOf(text string) map[string][]string {
	m := map[string][]string{}
	for _, line := range strings.Split(text, "\n") {
		group := strings.Fields(line)
		for _, w := range group {
			for _, o := range group {
				if o != w {
					m[w] = append(m[w], o)
				}
			}
		}
	}
	return m
}

// canonical maps every word of a synonym group but the first to the first.
var canonical = func() map[string]string {
	m := map[string]string{}
	for _, line := range strings.Split(synonymGroups, "\n") {
		group := strings.Fields(line)
		for _, w := range group[min(1, len(group)):] {
			m[w] = group[0]
		}
	}
	return m
}()

// Synonyms returns the other words of w's synonym group or group of related
// words, if w is in one. Words are folded, as [Words] gives them.
func Synonyms(w string) iter.Seq[string] { return slices.Values(synonyms[w]) }

// Canonical returns the first word of w's synonym group ("appartement" →
// "logement"), or w itself when it is in no group.
func Canonical(w string) string {
	if c, ok := canonical[w]; ok {
		return c
	}
	return w
}
