package french

import (
	"strings"
	"sync"
)

// Facets is the set of things a question asks about its subject: its price,
// its delay, how to apply, who is entitled, whom to contact, what to do on a
// loss, how to contest, how to change it, how it ends. A FAQ often has several
// entries on one subject, one per facet (« Qui peut bénéficier du RSA ? »,
// « Comment faire une demande de RSA ? »): the subject's words find them all,
// and the facet tells them apart.
type Facets uint16

// The facets, each a bit.
const (
	FacetCost Facets = 1 << iota
	FacetDelay
	FacetApply
	FacetEligibility
	FacetContact
	FacetLoss
	FacetContest
	FacetChange
	FacetEnd
)

// facetWords are the words and expressions that ask each facet, folded as
// [Words] gives them. « combien » alone asks a price or an amount; followed by
// a unit of time it asks a delay (read first: longest expression wins).
var facetWords = map[Facets]string{
	FacetCost: `combien|combien coute|coute|coutent|couter|cout|couts|prix|tarif|tarifs|tarification|
		payer|paye|payant|payante|payants|gratuit|gratuite|gratuits|gratuitement|frais|cher|chere|
		montant|montants|euros|euro|reste a charge|participation financiere`,
	FacetDelay: `combien de temps|combien de jours|combien de semaines|combien de mois|delai|delais|
		duree|longtemps|attendre|attente|toujours pas|toujours rien|tarde|tardent|a quelle date|
		quelle date|jusqu a quand|a partir de quand|quel jour|quelle periode`,
	FacetApply: `comment faire|demarche|demarches|faire une demande|faire la demande|deposer|
		formulaire|dossier|inscrire|inscription|inscriptions|candidature|candidater|postuler|
		solliciter|souscrire|adherer|adhesion|comment obtenir|comment avoir|constituer`,
	FacetEligibility: `droit a|ai je droit|avoir droit|droit au|droit aux|conditions|condition|eligible|
		eligibles|eligibilite|beneficier|beneficiaire|beneficiaires|qui peut|qui peuvent|
		pour qui|a qui s adresse|reserve aux|plafond|plafonds|ressources|criteres|critere`,
	FacetContact: `contacter|contact|joindre|telephone|numero|appeler|interlocuteur|qui contacter|
		a qui m adresser|a qui s adresser|a qui dois je|ou s adresser|ou se trouve|horaires|
		permanence|permanences|rendezvous|guichet`,
	FacetLoss: `perdu|perdue|perdus|perte|vole|volee|vol|egare|egaree|egares|oublie`,
	FacetContest: `contester|contestation|recours|refus|refuse|refusee|refuser|desaccord|reclamation|
		reclamer|injuste|appel de la decision|revoir la decision|mediateur`,
	FacetChange: `modifier|modification|modifications|changer|changement|changements|demenage|
		demenager|demenagement|mise a jour|mettre a jour|signaler un changement|nouvelle adresse`,
	FacetEnd: `arreter|resilier|resiliation|suspendre|suspendu|suspendue|suspension|supprime|
		supprimee|suppression|interrompre|interruption|fin de droits|radie|radiation|renoncer`,
}

// maxFacetExpression is the most words a facet expression holds.
const maxFacetExpression = 4

// facetIndex maps each facet expression, its words joined by spaces, to its
// facets.
var facetIndex = sync.OnceValue(func() map[string]Facets {
	m := map[string]Facets{}
	for f, list := range facetWords {
		for _, x := range strings.Split(list, "|") {
			m[strings.Join(strings.Fields(x), " ")] |= f
		}
	}
	return m
})

// FacetsOf returns the facets that folded words (as [Words] gives them) ask,
// reading the longest expression first.
func FacetsOf(words []string) Facets {
	var fs Facets
	eachExpression(words, maxFacetExpression, facetIndex(), func(_ string, f Facets) { fs |= f })
	return fs
}

// eachExpression calls found with each expression of folded words that in
// holds (its words joined by spaces, at most maxWords of them), left to right,
// the longest first at each place: a word inside an expression found is not
// looked up alone.
func eachExpression[T any](words []string, maxWords int, in map[string]T, found func(string, T)) {
	for i := 0; i < len(words); {
		n := min(maxWords, len(words)-i)
		for ; n >= 1; n-- {
			x := strings.Join(words[i:i+n], " ")
			if v, ok := in[x]; ok {
				found(x, v)
				break
			}
		}
		i += max(n, 1)
	}
}
