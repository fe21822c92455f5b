package french

import (
	"slices"
	"strings"
	"sync"
)

// conceptGroups are the subjects of everyday life in a town, each with the words
// citizens and administrations use for it, however far apart: « bécane »,
// « biclou » and « VLS » are all bicycles, « toubib » and « généraliste » both
// doctors. Wider than synonyms: a word here says what a question is about, not
// what it means word for word, so mining uses a subject as one more feature of a
// question, weighed below its own words. One subject a line: its name, the name
// people read (see [SubjectName]), then its words.
// Words are written as people write them; they are folded and stemmed on use. A
// word of several subjects is left out (« poste », « carte »), and so are the
// words that fit any subject (« demande », « service », « mairie »).
var conceptGroups = `
velo (Vélos): velo velos bicyclette bicyclettes becane biclou cycliste cyclistes vls velib velov vae trottinette trottinettes pedaler piste cyclable
bus (Bus et cars): bus autobus car autocar navette ligne arret arrets tram tramway abonnement transport transports desserte correspondance chauffeur horaire_bus ramassage_scolaire car_scolaire transport_scolaire transports_scolaires transport_demande
train (Trains et gare): train gare_sncf sncf ter quai rer
voiture (Voitures et stationnement): voiture automobile parking parkings place_handicape covoiturage zone_bleue macaron carte_resident borne_recharge bornes_recharge voiture_electrique vehicule_electrique recharger bornes_electriques borne_electrique kwh
medecin (Médecins et santé): maison_sante centre_sante desert_medical medecin medecins generaliste generalistes toubib docteur cabinet patient patients soins soigner sante maladie malade urgences infirmier infirmiere pharmacie dentiste kine hopital
seniors (Personnes âgées): seniors senior personne_agee personnes_agees ehpad dependance isole isoles isolee grand_mere grand_pere teleassistance
repas (Portage de repas): portage_repas portage repas_domicile repas_livres repas_livre livraison_repas livrer_repas livre_repas plateaux_repas plateau_repas apporter_repas ramener_plats apporter_dejeuner faire_manger
chaleur (Canicule): canicule chaleur chaleurs fortes_chaleurs climatise climatisee climatisation brumisateur ventilateur etouffe degres rafraichir fraicheur
froid (Grand froid et neige): froid grand_froid gel neige chasse_neige verglas deneigement salage bac_sel saleuse saler deneiger
energie (Énergie et rénovation): chauffage isolation renovation renovation_energetique panneaux_solaires solaire facture_energie economies_energie passoire_thermique chaudiere
nuisibles (Nuisibles et insectes): bestiole bestioles frelon frelons frelon_asiatique guepe guepes nid_frelons nid_guepes essaim insecte insectes desinsectisation moustique moustiques moustique_tigre punaises_de_lit cafards
nature (Nature et environnement): compost composteur composteurs biodiversite abeilles pollution qualite_air pesticides
conseil (Élus et conseil municipal): maire adjoint_maire adjoint elus elu conseil_municipal deliberation reunion_publique conseillers_municipaux
circulation (Circulation et vitesse): vitesse radar ralentisseur ralentisseurs dos_ane sens_unique circulation feux_tricolores zone_30 limitation_vitesse
jeux (Aires de jeux): aire_jeux aires_jeux toboggan balancoire balancoires jeux_enfants
telecom (Internet et téléphone mobile): fibre fibre_optique antenne antenne_relais reseau_mobile couverture_reseau adsl 4g 5g
prevention (Prévention et santé publique): vaccination vaccin vaccins depistage mutuelle mutuelle_communale don_sang
sansabri (Sans-abri): sdf sans_abri sans_domicile sans_logis abri_urgence maraude maraudes mendiant mendiants clochard hebergement_urgence accueil_nuit 115 dort dormir dorment couvertures duvet
pauvrete (Précarité et aide alimentaire): pauvrete precarite epicerie_sociale banque_alimentaire colis_alimentaire restos_du_coeur secours_populaire ccas aide_sociale
perdu (Objets perdus et trouvés): perdu perdue perdus egare egaree oublie oubliee oublies laisse laissee objets_trouves objet_trouve rapporte ramene paume portefeuille doudou parapluie trousseau
numerique (Aide au numérique): internet ordinateur ordi informatique numerique tablette smartphone mail email courriel imprimer imprimante scanner scanne scan en_ligne connexion connecter site identifiant mot_de_passe france_services
langue (Langue française): francais fle alphabetisation alphabetiser illettrisme lire ecrire apprendre langue langues naturalisation b1 a2 etranger etrangers migrants refugies
musique (Musique): musique musical musicale conservatoire solfege piano guitare violon batterie clarinette flute chorale chanter chant orchestre fanfare instrument instruments eveil_musical
danse (Spectacles et danse): danse danser theatre spectacle spectacles cinema concert concerts
sport (Sport): sport sports stade gymnase piscine foot football basket tennis padel squash raquette court_tennis courts_tennis club_sportif licence_sportive entrainement course footing patinoire skatepark skate_park city_stade
fete (Fêtes et cérémonies): retraite_flambeaux marche_noel marches_noel village_noel noel fete fetes festivites feu_artifice artifice feux bal bals defile flambeaux lampions lampion 14_juillet juillet fete_nationale ceremonie commemoration kermesse
marche (Marchés et brocantes): marche marches forains brocante brocantes vide_grenier videgrenier vide_greniers braderie braderies foire_puces puces deballage deballer exposant exposants
tourisme (Tourisme et locations saisonnières): tourisme touriste touristes touristique meuble meuble_de_tourisme gite gites chambre_hote chambres_hotes airbnb abritel location_saisonniere saisonniere nuitee nuitees taxe_sejour sejour vacanciers camping camping_car aire_camping_car
logement (Logement): logement hlm bailleur loyer locataire proprietaire appartement studio maison demenager permis_louer
ecole (École et périscolaire): ecole ecoles maternelle primaire college lycee cantine periscolaire garderie rentree scolarite scolarise scolaire aide_devoirs soutien_scolaire
petiteenfance (Petite enfance): creche creches bebe nourrisson assistante_maternelle halte_garderie
jeunesse (Jeunesse): jeunes ado ados adolescent adolescents centre_loisirs colonie colonies bafa service_civique argent_poche chantier_jeunes
emploi (Emploi): emploi travail chomage chomeur job boulot cv embauche recrutement stage apprentissage
voirie (Voirie et éclairage): trou trous nid_de_poule chaussee trottoir trottoirs route lampadaire eclairage panneau feu_rouge passage_pieton voirie bitume
proprete (Propreté et déchets): poubelle poubelles dechets ordures tri encombrants matelas canape electromenager refrigerateur frigo decharge dechetterie depot_sauvage crottes propre sale salete tags graffitis
bruit (Bruit et voisinage): bruit bruits tapage nuisances voisin voisins aboie musique_forte
animaux (Animaux): chien chiens chat chats animal animaux veterinaire errant pigeons rats
espacesverts (Parcs et jardins): parc parcs jardin jardins square arbre arbres espaces_verts fleurs
eau (Eau et assainissement): eau fuite canalisation assainissement egout inondation
securite (Sécurité): police gendarmerie vol cambriolage agression securite videosurveillance
etatcivil (État civil): naissance mariage deces acte actes livret etat_civil pacs
papiers (Papiers d'identité): passeport carte_identite piece_identite cni titre_sejour permis_conduire
elections (Élections): vote voter election elections electoral electorale procuration bureau_de_vote
urbanisme (Urbanisme): permis_de_construire declaration_prealable travaux cloture abri_jardin piscine_privee plu cadastre ravalement facade
associations (Associations): association associations asso benevole benevoles subvention salle_associative
handicap (Handicap): handicap handicape handicapee fauteuil fauteuil_roulant pmr mobilite_reduite accessible accessibilite
culture (Culture et bibliothèque): bibliotheque mediatheque livres musee exposition patrimoine
cimetiere (Cimetière): cimetiere concession obseques funeraire caveau columbarium sepulture inhumation
budget (Budget et impôts locaux): impots taxe taxe_fonciere budget
jardinage (Jardins partagés et potagers): potager potagers jardin_familial jardins_familiaux jardin_ouvrier jardins_ouvriers jardin_partage jardins_partages jardin_collectif jardins_collectifs parcelle parcelles lopin legumes cultiver
brulage (Brûlage et feux): bruler brulage brule feu_jardin feux_jardin brasero ecobuage incinerer incineration dechets_verts feuilles_mortes branchages cramer
parrainage (Parrainage civil): parrainage parrainage_civil parrainage_republicain bapteme bapteme_civil bapteme_republicain bapteme_laique parrain marraine parrains marraines filleul filleule
accueiletranger (Accueil d'un étranger): attestation_accueil attestation_hebergement certificat_hebergement visa visas consulat consulats
legalisation (Légalisation de signature): legalisation legaliser legalise legalisee signature signatures paraphe authentifier authentification copie_conforme certifier_conforme apostille
conciliation (Conciliation et médiation): conciliateur conciliatrice conciliation conciliateur_justice mediateur mediation litige litiges amiable differend
salles (Salles municipales): salle_fetes salle_polyvalente salle_municipale salles_municipales location_salle privatiser privatisation
recensement (Recensement): recensement recensement_citoyen journee_defense jdc
defibrillateur (Défibrillateurs et secours): defibrillateur defibrillateurs dae premiers_secours secourisme gestes_qui_sauvent
toilettes (Toilettes publiques): toilettes toilettes_publiques wc_publics sanitaires_publics sanisette sanisettes urinoir urinoirs
jumelage (Jumelage): jumelage jumelages ville_jumelle villes_jumelles
baignade (Baignade): baignade baignades lac baignade_surveillee
peche (Pêche et chasse): peche pecher pecheur carte_peche permis_peche chasse chasseur
`

// subjectLine is one line of conceptGroups.
type subjectLine struct {
	name, label string   // "velo", « Vélos »
	words       []string // as written, expressions joined by "_"
}

// subjects are the lines of conceptGroups.
var subjects = sync.OnceValue(func() []subjectLine {
	var out []subjectLine
	for _, line := range strings.Split(conceptGroups, "\n") {
		head, words, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		name, label, _ := strings.Cut(head, " (")
		out = append(out, subjectLine{name: name, label: strings.TrimSuffix(label, ")"), words: strings.Fields(words)})
	}
	return out
})

// concepts maps the stems of a word, or of an expression joined by "_", to its
// subject.
var concepts = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, s := range subjects() {
		for _, w := range s.words {
			var stems []string
			for _, part := range ContentWords(strings.ReplaceAll(w, "_", " ")) {
				stems = append(stems, Stem(part))
			}
			if len(stems) > 0 {
				m[strings.Join(stems, "_")] = s.name
			}
		}
	}
	return m
})

// subjectNames maps a subject to the name people read: « Vélos ».
var subjectNames = sync.OnceValue(func() map[string]string {
	m := map[string]string{}
	for _, s := range subjects() {
		m[s.name] = s.label
	}
	return m
})

// SubjectName returns the name people read of a subject of [Concepts]
// (« velo » → « Vélos »), or "" for none.
func SubjectName(subject string) string { return subjectNames()[subject] }

// SubjectOf returns the subject that most of texts are about (half of them at
// least; the first named on a tie), or "" when none is: what a group of
// questions is about. A text counts for each subject it names.
func SubjectOf(texts []string) string {
	count := map[string]int{}
	best := ""
	for _, t := range texts {
		for _, c := range Concepts(Stems(t)) {
			if count[c]++; best == "" || count[c] > count[best] {
				best = c
			}
		}
	}
	if 2*count[best] < len(texts) {
		return ""
	}
	return best
}

// maxExpression is the longest expression of the subjects, in words.
const maxExpression = 3

// Concepts returns the subjects of everyday life that a text is about, each once,
// in order (« choper une bécane » → "velo"). stems are the text's content words
// (see [ContentWords]), stemmed (see [Stem]); the longest expression wins
// (« feu rouge » is the road, « feu » alone the fireworks).
func Concepts(stems []string) []string {
	var out []string
	for i := 0; i < len(stems); {
		n := min(maxExpression, len(stems)-i)
		for ; n >= 1; n-- {
			if c, ok := concepts()[strings.Join(stems[i:i+n], "_")]; ok {
				if !slices.Contains(out, c) {
					out = append(out, c)
				}
				break
			}
		}
		i += max(n, 1)
	}
	return out
}
