package french

import "strings"

// stopwords are French function words that carry no topic, and the English ones
// of learners who mix the two (see english.txt). They are removed before
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
aller prendre
the my is it its where how can could what who when do does did you your we our us they their this that
there have has had need needs want wants be are am was been of in with for and please thank thanks sorry not
here from at to me want would should will which`)

// courtesy words are greetings and thanks: content when a message holds nothing
// else ("bonjour"), noise around a question ("bonjour, mon passeport est perdu").
var courtesy = setOf(`bonjour bonsoir salut coucou hello hi allo merci remercie remercier remerciements
bonne journee soiree cordialement super parfait genial cool nickel top impeccable`)

// IsStopword reports whether w, a word of [Words], is a function word that carries
// no topic.
func IsStopword(w string) bool { return stopwords[w] }

// IsCourtesy reports whether w, a word of [Words], is a greeting or a thanks.
func IsCourtesy(w string) bool { return courtesy[w] }

// courtesyFill are the words that go with a greeting or a thanks and ask
// nothing: « bonsoir tout le monde », « merci pour tout, c'est très clair »,
// « merci bien, c'est bien aimable à vous », « merci pour votre aide », « merci,
// c'est exactement ce qu'il me fallait », « ah d'accord, j'ai compris, merci
// pour votre patience », « bonjour à vous, j'espère que vous allez bien », « bonne
// journée à vous et à vos collègues ». Some as citizens type them (« tou »,
// « tré »).
var courtesyFill = setOf(`monde clair claire aimable gentil gentille sympa sympathique beaucoup trop vraiment
infiniment mille equipe reponse reponses aide rapide rapidement efficace precis precieux excellent excellente
tou tre bcp grave enorme pour exactement fallait compris comprends mieux patience ah oh daccord
espere esperant allez portez bien collegue collegues agreable belle continuation semaine weekend week`)

// CourtesyOnly returns the greetings and thanks of a message that says nothing
// else (see courtesyFill): « bsr tt le monde » is « bonsoir ». ok is false
// when the message asks something (a question mark, a question word: « merci,
// c'est où exactement ? »), or holds no greeting or thanks.
func CourtesyOnly(text string) (words []string, ok bool) {
	if strings.Contains(text, "?") {
		return nil, false
	}
	for _, w := range Words(text) {
		switch {
		case courtesy[w]:
			words = append(words, w)
		case questionWords[w]:
			return nil, false
		case stopwords[w] || courtesyFill[w]:
		default:
			return nil, false
		}
	}
	return words, len(words) > 0
}

// questionWords ask something, even without a question mark.
var questionWords = setOf(`combien quand comment pourquoi quoi quel quelle quels quelles ou`)

// setOf makes a set of the folded words of s.
func setOf(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[Fold(w)] = true
	}
	return m
}

// addressee words name the town hall a citizen writes to (« la mairie », « la
// commune », « à la ville »): every message to a town says or implies them, so they
// tell one need from another no better than a greeting does.
var addressee = setOf(`mairie mairies commune communes communal communale communaux ville villes municipal
municipale municipaux municipales municipalite collectivite habitant habitants administre administres
citoyen citoyens`)

// IsAddressee reports whether w, a word of [Words], names the town hall or its
// people rather than a need.
func IsAddressee(w string) bool { return addressee[w] }
