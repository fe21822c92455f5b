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
velo (Vélos): velo velos bicyclette bicyclettes becane biclou cycliste cyclistes vls velib velov vae trottinette trottinettes pedaler piste cyclable velo_electrique vtt vtc cyclisme cyclo cyclotourisme antivol cadenas_velo arceaux arceaux_velo parking_velo garage_velo abri_velo stationnement_velo voie_verte
bus (Bus et cars): bus autobus autocar navette arret arrets tram tramway abonnement transport transports desserte correspondance chauffeur horaire_bus ramassage_scolaire car_scolaire transport_scolaire transports_scolaires bus_scolaire abribus abri_bus arret_bus ticket_bus titre_transport navigo pass_navigo carte_transport pass_transport carte_bus valideur trajet_bus retard_bus bus_bonde ligne_bus lignes_bus
train (Trains et gare): train gare_sncf sncf ter quai rer tgv intercites ouigo transilien billet_train guichet_gare passage_niveau voie_ferree chemin_fer rail cheminot ligne_ferroviaire ferroviaire halte_ferroviaire fermeture_gare
voiture (Voitures et stationnement): voiture automobile parking parkings place_handicape covoiturage zone_bleue macaron carte_resident borne_recharge bornes_recharge voiture_electrique vehicule_electrique recharger bornes_electriques borne_electrique kwh garer_voiture place_parking place_stationnement parcmetre horodateur ticket_stationnement pv contravention amende_stationnement fps forfait_post_stationnement fourriere enlevement_vehicule voiture_ventouse irve auto_electrique charger_voiture point_charge points_charge plein_electricite brancher_voiture
medecin (Médecins et santé): maison_sante centre_sante desert_medical medecin medecins generaliste generalistes toubib docteur cabinet patient patients soins soigner sante maladie malade urgences infirmier infirmiere pharmacie dentiste kine hopital medecin_traitant plus_medecin trouver_medecin medecin_garde sos_medecins maison_medicale cabinet_medical centre_medical ophtalmo gyneco pediatre dermato cardiologue orthophoniste sage_femme salle_attente
seniors (Personnes âgées): seniors senior personne_agee personnes_agees ehpad dependance teleassistance retraite retraitee troisieme_age agee aines maison_retraite residence_autonomie foyer_logement residence_seniors apa
repas (Portage de repas): portage_repas portage repas_domicile repas_livres repas_livre livraison_repas livrer_repas livre_repas plateaux_repas plateau_repas apporter_repas ramener_plats apporter_dejeuner repas_chaud plat_chaud livreur_repas barquette dejeuner diner plus_cuisiner regime_sans_sel sans_sel repas_mixe mixe rechauffer micro_ondes repas_midi cuisiner manger
chaleur (Canicule): canicule chaleur chaleurs fortes_chaleurs climatise climatisee climatisation brumisateur ventilateur etouffe degres rafraichir fraicheur chaud trop_chaud suffocant plan_canicule registre_canicule alerte_canicule vigilance_canicule vague_chaleur episode_caniculaire caniculaire coup_chaleur deshydratation hydrater salle_rafraichie grosses_temperatures fortes_temperatures temperatures_grimpent personnes_vulnerables personne_vulnerable fichier_nominatif fournaise veille_estivale
froid (Grand froid et neige): froid grand_froid gel neige chasse_neige verglas deneigement salage bac_sel saleuse deneiger glace glacee verglace enneige enneigee flocons tempete_neige congere pelleter pelle_neige deneiger_trottoir plaque_verglas glissant glissade chute_neige poudreuse
energie (Énergie et rénovation): chauffage isolation renovation renovation_energetique panneaux_solaires solaire facture_energie economies_energie passoire_thermique chaudiere isolation_combles combles isolation_murs isolation_exterieure double_vitrage pompe_a_chaleur ma_prime_renov maprimerenov prime_renov anah cee dpe diagnostic_energetique audit_energetique thermographie
nuisibles (Rats, souris et autres nuisibles): bestiole bestioles insecte insectes desinsectisation moustique moustiques moustique_tigre punaises_de_lit cafards nuisible deratisation mulots rongeurs fourmis termites blattes poux tiques araignees chenilles chenilles_processionnaires processionnaires pyrale pyrale_buis rat rats surmulot surmulots rongeur crottes_souris crottes_rats pigeons deratiser piqure_moustique piqures_moustiques
nature (Nature et environnement): compost composteur composteurs biodiversite abeilles pollution qualite_air pesticides nature environnement ecologie ecolo zone_humide faune flore oiseaux nichoirs hirondelles chauves_souris herissons pollinisateurs ruches apiculteur
conseil (Élus et conseil municipal): maire adjoint_maire adjoint elus elu conseil_municipal deliberation reunion_publique conseillers_municipaux municipalite equipe_municipale majorite opposition premier_adjoint ordre_du_jour compte_rendu_conseil seance_conseil permanence_maire permanence_elu rencontrer_maire ecrire_maire lettre_maire
circulation (Circulation et vitesse): vitesse radar ralentisseur ralentisseurs dos_ane sens_unique circulation feux_tricolores zone_30 limitation_vitesse vitesse_excessive exces_vitesse rouler_vite roulent_vite trop_vite chauffards rodeos motos scooters quad poids_lourds camions transit trafic embouteillages feu_tricolore feux_rouges feu_orange
jeux (Aires de jeux): aire_jeux aires_jeux toboggan balancoire balancoires jeux_enfants jeux jeu bac_sable tourniquet tyrolienne jeux_ressort structure_jeux portique tape_cul bascule trampoline sol_amortissant sol_souple jeux_casses jeux_degrades
telecom (Internet et téléphone mobile): fibre fibre_optique antenne antenne_relais reseau_mobile couverture_reseau adsl 4g 5g box_internet livebox freebox bbox operateur sfr bouygues free_mobile haut_debit tres_haut_debit thd zone_blanche zone_grise capter capte_pas
prevention (Prévention et santé publique): vaccination vaccin vaccins depistage don_sang prevention campagne_vaccination grippe vaccin_grippe covid test_covid centre_vaccination depistage_cancer mammographie octobre_rose cancer addictions tabac arreter_fumer tabagisme
sansabri (Sans-abri): sdf sans_abri sans_domicile sans_logis abri_urgence maraude maraudes mendiant mendiants clochard hebergement_urgence accueil_nuit 115 dort dormir dorment couvertures duvet sans_toit dormir_dehors dort_dehors vivre_rue vit_rue campement chrs samu_social centre_hebergement abri_nuit accueil_jour bagagerie domiciliation mendicite
pauvrete (Précarité et aide alimentaire): pauvrete precarite epicerie_sociale banque_alimentaire colis_alimentaire restos_du_coeur secours_populaire ccas aide_sociale pauvre precaire demuni difficultes_financieres fin_mois sans_argent plus_argent dettes surendettement rsa minima_sociaux aide_alimentaire restos secours_catholique distribution_alimentaire
perdu (Objets perdus et trouvés): perdu perdue perdus egare egaree oublie oubliee oublies laisse laissee objets_trouves objet_trouve rapporte ramene paume portefeuille doudou parapluie trousseau perte perdre retrouve retrouvee trouvee cles clefs sac_main sacoche lunettes telephone_perdu portable_perdu peluche gants
numerique (Aide au numérique): internet ordinateur ordi informatique numerique tablette smartphone mail email courriel imprimer imprimante scanner scanne scan connexion connecter site identifiant mot_de_passe france_services laptop clavier ecran logiciel appli application telecharger piece_jointe espace_personnel compte_en_ligne creer_compte adresse_mail boite_mail gmail oublie_mot_passe mot_passe_oublie oublie_mdp mdp_oublie oublie_identifiant identifiant_oublie oublie_code
langue (Langue française): francais fle alphabetisation alphabetiser illettrisme lire ecrire apprendre langue langues naturalisation b1 a2 etranger etrangers migrants refugies cours_francais parler_francais apprendre_francais francais_langue_etrangere apprendre_lire analphabete illettree sait_pas_lire delf tcf tef test_langue atelier_sociolinguistique asl
musique (Musique): musique musical musicale conservatoire solfege piano guitare violon clarinette flute chorale chanter chant orchestre fanfare instrument instruments eveil_musical musicien ecole_musique cours_musique cours_piano cours_guitare harmonie harmonie_municipale batucada saxophone saxo trompette trombone tuba accordeon violoncelle
danse (Danse): danse danser danseuse danseur cours_danse ecole_danse hip_hop breakdance zumba salsa tango modern_jazz danse_classique danse_contemporaine ballet tutu gala
sport (Sport): sport sports stade gymnase piscine foot football basket tennis padel squash raquette court_tennis courts_tennis club_sportif licence_sportive entrainement course footing patinoire skatepark skate_park city_stade sportif terrain_foot terrain_synthetique vestiaires club_foot rugby handball volley badminton judo karate boxe arts_martiaux gym gymnastique salle_sport salle_muscu salle_gym
fete (Fêtes, sorties et spectacles): retraite_flambeaux marche_noel marches_noel village_noel noel fete fetes festivites feu_artifice artifice feux bal bals defile flambeaux lampions lampion 14_juillet juillet fete_nationale ceremonie commemoration kermesse fete_village fete_quartier fete_voisins fete_communale fete_patronale manege auto_tamponneuses carnaval halloween paques oeufs_paques nouvel_an reveillon saint_jean guinguette theatre spectacle spectacles cinema concert concerts salle_spectacle salle_concert agenda calendrier_evenements evenements evenement manifestations manifestation sorties sortir activites_week_end fete_musique festival festivals illuminations programme dartifice feu_dartifice feux_dartifice fusees pyrotechnique spectacle_pyrotechnique bal_pompiers 13_juillet
marche (Marchés et brocantes): marche marches forains brocante brocantes vide_grenier videgrenier vide_greniers braderie braderies foire_puces puces deballage deballer exposant exposants marche_hebdomadaire marche_producteurs marche_nocturne jour_marche halle place_marche marchand etal placier droit_place producteurs maraichers circuit_court fromager poissonnier
tourisme (Tourisme et locations saisonnières): tourisme touriste touristes touristique meuble meuble_de_tourisme gite gites chambre_hote chambres_hotes airbnb abritel location_saisonniere saisonniere nuitee nuitees taxe_sejour sejour vacanciers camping aire_camping_car office_tourisme syndicat_initiative visite_guidee guide_touristique hotel hebergement_touristique declaration_meuble numero_enregistrement location_courte_duree booking gites_france loueur mobil_home mobilhome caravane
logement (Logement): logement hlm bailleur loyer locataire proprietaire appartement studio maison demenager permis_louer logement_social demande_logement numero_unique attribution_logement bailleur_social office_hlm opac loyer_impaye expulsion treve_hivernale bail caution depot_garantie etat_lieux apl salle_bain salle_eau
ecole (École et périscolaire): ecole ecoles maternelle primaire college lycee cantine periscolaire garderie rentree scolarite scolarise scolaire aide_devoirs soutien_scolaire instit instituteur institutrice maitresse directeur_ecole inscription_scolaire derogation_scolaire carte_scolaire secteur_scolaire fermeture_classe ouverture_classe classe ce1 ce2 cm1 salle_classe livret_scolaire livrets_scolaires
petiteenfance (Petite enfance): creche creches bebe nourrisson assistante_maternelle halte_garderie petite_enfance mode_garde garde_bebe place_creche creche_municipale multi_accueil micro_creche jardin_enfants laep rpe relais_petite_enfance relais_assistantes_maternelles nounou nourrice garder
jeunesse (Jeunesse): jeunes ado ados adolescent adolescents centre_loisirs colonie colonies bafa service_civique argent_poche chantier_jeunes jeunesse maison_jeunes mjc espace_jeunes point_information_jeunesse pij bij animateur educateur prevention_specialisee cmj conseil_jeunes mini_camp colo
emploi (Emploi): emploi travail chomage chomeur job boulot cv embauche recrutement stage apprentissage demandeur_emploi sans_emploi recherche_emploi chercher_travail cherche_emploi trouver_travail trouver_emploi pole_emploi france_travail mission_locale offre_emploi annonce_emploi candidature postuler lettre_motivation
voirie (Voirie et éclairage): trou trous nid_de_poule chaussee trottoir trottoirs route lampadaire eclairage panneau feu_rouge passage_pieton voirie bitume orniere affaissement chaussee_degradee route_defoncee defoncee goudron enrobe refaire_route refection travaux_voirie gravillons bordure caniveau pave eclairage_public
proprete (Propreté et déchets): poubelle poubelles dechets ordures tri encombrants matelas canape electromenager refrigerateur frigo decharge dechetterie depot_sauvage crottes propre sale salete ramassage_ordures collecte_ordures ordures_menageres bac_jaune poubelle_jaune poubelle_verte sacs_jaunes sacs_poubelle conteneur colonne_verre recyclage recycler tri_selectif emballages cartons
bruit (Bruit et voisinage): bruit bruits tapage nuisances voisin voisins aboie musique_forte bruyant tapage_nocturne tapage_diurne nuisance_sonore pollution_sonore vacarme boucan raffut cris hurlent gueulent chien_aboie klaxon tondre_dimanche bricolage_dimanche
animaux (Animaux): chien chiens chat chats animal animaux veterinaire errant chiot chaton chat_errant chien_errant divagation divaguer fourriere_animale sterilisation identification_animal icad chien_dangereux categorie_1 permis_detention pitbull morsure
espacesverts (Parcs et jardins): parc parcs jardin jardins square espaces_verts fleurs jardin_public pelouse gazon herbe herbes_hautes tonte tondre fauchage faucher debroussaillage debroussailler broussailles ronces mauvaises_herbes desherbage
eau (Eau et assainissement): eau fuite canalisation assainissement egout eau_potable eau_robinet robinet eau_calcaire calcaire eau_marron chlore qualite_eau pression_eau plus_eau coupure_eau facture_eau compteur_eau abonnement_eau veolia
securite (Sécurité): police gendarmerie vol cambriolage agression securite videosurveillance policier police_municipale police_nationale gendarme flic keufs commissariat porter_plainte main_courante voleur volee cambrioleur cambriole effraction vandalisme devaliser devalise devalisee
etatcivil (État civil): naissance mariage deces acte actes etat_civil pacs acte_naissance extrait_naissance copie_integrale extrait_acte acte_mariage acte_deces declarer_naissance reconnaissance_anticipee reconnaissance_paternite reconnaitre_enfant mariage_civil maries publication_bans
conduite (Permis de conduire et auto-école): auto_ecole auto_ecoles ecole_conduite lecons_conduite lecon_conduite heures_conduite code_route passer_permis passer_code bourse_permis aide_permis permis_euro conduite_accompagnee moniteur apprendre_conduire examen_conduite permis_conduire permis
mutuelle (Mutuelle communale): mutuelle mutuelles mutuelle_communale mutuelle_village complementaire_sante complementaire contrat_sante couverture_sante couverture_maladie assurance_sante remboursements_soins
vacances (Tranquillité vacances): tranquillite_vacances operation_tranquillite otv surveiller_maison surveillance_maison surveiller_logement maison_vide logement_vide appartement_vide absence_vacances rondes patrouille patrouilles absence_prolongee appart_vide apparts_vides appartement_inoccupe logement_inoccupe maison_inoccupee inoccupe inoccupee partir_vacances part_vacances pars_vacances partent_vacances partons_vacances signaler_absence absence absences reste_vide restera_vide jeter_oeil garder_oeil absent absente tranquilite_vacances operation_tranquilite surveiller_pavillon surveiller_baraque surveiller_domicile surveillance_domicile surveillance_pavillon passage_agents verifier_maison verifier_baraque checker_baraque check_baraque
papiers (Papiers d'identité): passeport carte_identite piece_identite cni titre_sejour renouvellement_passeport renouveler_carte carte_perimee perime perimee expiree date_expiration pre_demande predemande ants titre_securise photo_identite photomaton empreintes empreintes_digitales
elections (Élections): vote voter election elections electoral electorale procuration bureau_de_vote liste_electorale inscrit_liste radie radiation_liste carte_electeur carte_electorale electeur scrutin urne isoloir bulletin_vote depouillement assesseur presidentielle legislatives
urbanisme (Urbanisme): permis_de_construire declaration_prealable travaux cloture abri_jardin piscine_privee plu cadastre ravalement facade permis_amenager permis_demolir certificat_urbanisme plan_local_urbanisme zonage zone_constructible terrain_constructible constructible construire construction agrandissement veranda carport pergola surelevation
associations (Associations): association associations asso benevole benevoles subvention salle_associative association_loi_1901 loi_1901 creer_association creation_association statuts assemblee_generale president_association tresorier adherent adhesion cotisation benevolat forum_associations annuaire_associations maison_associations forum_activites salon_activites fete_associations rassemblement_clubs forum_clubs liste_associations liste_assos liste_clubs
handicap (Handicap): handicap handicape handicapee fauteuil fauteuil_roulant pmr mobilite_reduite accessible accessibilite situation_handicap mdph aah rqth cmi carte_mobilite_inclusion carte_invalidite invalidite invalide pch rampe rampe_acces plan_incline aveugle malvoyant
culture (Culture et bibliothèque): bibliotheque mediatheque livres musee exposition patrimoine bibli biblio pret_livres emprunt_livre carte_bibliotheque abonnement_mediatheque lecture_publique roman bd bandes_dessinees dvd ludotheque bibliothecaire heure_conte contes
cimetiere (Cimetière): cimetiere concession obseques funeraire caveau columbarium sepulture inhumation tombeau pierre_tombale monument_funeraire concession_perpetuelle concession_trentenaire renouvellement_concession reprise_concession concession_abandonnee urne_funeraire cendres dispersion_cendres jardin_souvenir cremation crematorium
budget (Budget et impôts locaux): impots taxe taxe_fonciere budget impots_locaux taxe_habitation foncier hausse_impots augmentation_impots augmentation_taxe taux_imposition fiscalite fiscalite_locale contribuable argent_public deniers_publics finances finances_communales depenses
jardinage (Jardins partagés et potagers): potager potagers jardin_familial jardins_familiaux jardin_ouvrier jardins_ouvriers jardin_partage jardins_partages jardin_collectif jardins_collectifs parcelle parcelles lopin legumes cultiver jardinage carre_potager bacs_potagers graines grainotheque semis plants tomates courgettes salades recolte arrosoir outils_jardin beche binette aromates fraises carottes coin_terre bout_terrain bouts_terrain bout_terre carre_culture carres_culture
brulage (Brûlage et feux): bruler brulage brule feu_jardin feux_jardin brasero ecobuage incinerer incineration dechets_verts feuilles_mortes branchages cramer feu_dechets bruler_dechets bruler_vegetaux bruler_herbes bruler_feuilles fumee fumee_voisin odeur_fumee odeur_brule incinerateur_jardin barbecue feu_camp feu_broussailles dechets_vegetaux feu
parrainage (Parrainage civil): parrainage parrainage_civil parrainage_republicain bapteme bapteme_civil bapteme_republicain bapteme_laique parrain marraine parrains marraines filleul filleule ceremonie_laique bapteme_mairie baptiser baptiser_enfant bapteme_non_religieux parrain_republicain marraine_republicaine parrain_civil marraine_civile certificat_parrainage acte_parrainage livret_parrainage parrainage_laique certificat_bapteme_civil bapteme_citoyen sans_cure parrains_republicains
accueiletranger (Accueil d'un étranger): attestation_accueil attestation_hebergement certificat_hebergement consulat consulats faire_venir_famille inviter_etranger lettre_invitation hebergeant visa_court_sejour visa_long_sejour visa_visiteur schengen espace_schengen assurance_voyage assurance_rapatriement ambassade regroupement_familial demande_visa algerie alger tunisie tunis maroc senegal dakar cameroun kinshasa congo mali bamako cote_ivoire abidjan turquie ukraine bresil colombie vietnam moldavie cap_vert haiti comores madagascar invitation_visa obtenir_visa papier_visa dossier_visa venir_voir venir_passer venir_rendre_visite rendre_visite venir_sejourner venir
legalisation (Légalisation de signature): legalisation legaliser legalise legalisee signature signatures paraphe authentifier authentification copie_conforme certifier_conforme apostille legaliser_signature signature_legalisee certifier_signature certification_signature certifier certifie certifiee copie_certifiee tampon_mairie cachet_mairie tamponner signer_devant signataire convention_haye griffe autographe
conciliation (Conciliation et médiation): conciliateur conciliatrice conciliation conciliateur_justice mediateur mediation litige litiges amiable differend mediatrice conflit conflits conflit_voisinage desaccord arrangement_amiable reglement_amiable tentative_conciliation mediation_familiale justice tribunal attaquer_justice mise_en_demeure huissier avocat avocats juriste juristes juridique consultation_juridique conseil_juridique acces_droit point_acces_droit point_justice maison_justice aide_juridictionnelle aide_juridique arnaque arnaquer intermediaire
salles (Salles municipales): salle_fetes salle_polyvalente salle_municipale salles_municipales location_salle privatiser privatisation salle_communale salle_reunion disponibilite_salle salle_disponible caution_salle cles_salle etat_lieux_salle capacite_salle salle_anniversaire vaisselle cuisine_salle tables_chaises pret_salle salle preter_lieu pret_lieu endroit_fete lieu_fete louer_lieu louer_endroit
recensement (Recensement): recensement recensement_citoyen jdc recensement_militaire recensement_16_ans attestation_recensement certificat_recensement 16_ans seize_ans journee_defense_citoyennete convocation_jdc service_national majdc japd agent_recenseur recensement_population insee compter_habitants compter_gens sondage_officiel journee_defense_citoyenne recenser
defibrillateur (Défibrillateurs et secours): defibrillateur defibrillateurs dae premiers_secours secourisme gestes_qui_sauvent machine_coeur arret_cardiaque massage_cardiaque choc_electrique crise_cardiaque infarctus malaise malaise_cardiaque rcp reanimation formation_secourisme psc1 pse1 sauveteur_secouriste sst
toilettes (Toilettes publiques): toilettes toilettes_publiques wc_publics sanitaires_publics sanisette sanisettes urinoir urinoirs wc chiottes pissotiere vespasienne pipi uriner urinent pisser pissent toilettes_fermees toilettes_sales lavabo papier_toilette
jumelage (Jumelage): jumelage jumelages ville_jumelle villes_jumelles ville_jumelee commune_jumelee communes_jumelles jumelee jumeler comite_jumelage ville_soeur ville_partenaire cooperation_decentralisee echanges_internationaux echange_scolaire delegation_etrangere franco_allemand charte_jumelage echange_culturel
baignade (Baignade): baignade baignades lac baignade_surveillee baigner baignade_interdite plage plan_eau maitre_nageur surveillant_baignade sauveteur mns bnssa poste_secours drapeau_rouge drapeau_vert cyanobacteries algues algues_vertes
peche (Pêche et chasse): peche pecher pecheur carte_peche permis_peche chasse chasseur canne_peche hamecon appat asticots poisson truite carpe brochet etang_peche aappma federation_peche societe_peche parcours_peche no_kill carnassier
arbres (Arbres et élagage): arbre arbres elagage elaguer elague elaguee elaguer_arbres branche branches branche_morte branches_mortes marronnier marronniers tilleul tilleuls platane platanes chene chenes peuplier peupliers ramure ramures racines souche dessouchage abattage abattre_arbre arbre_mort arbre_tombe tailler_arbres taille_arbres
guepes (Guêpes et frelons): frelon frelons frelon_asiatique guepe guepes nid_frelons nid_guepes essaim hymenoptere hymenopteres guepier guepiers bourdonne bourdonner bourdonnement velutina vespa_velutina nid_enterre boule_grise grosse_boule piqure_guepe piqure_frelon jaunes_noires jaune_noir jaune_noire jaunes_noirs bestioles_rayees insectes_piquent insectes_piquants bestioles_piquent vespas bestioles_jaunes_noires bestiole_jaune_noire
mobilite (Transport à la demande et mobilité réduite): tad minibus_adapte navette_seniors taxi_social transport_pmr transport_adapte vehicule_adapte taxi_gratuit taxi_gratos navette_personnes_agees transport_personnes_agees transport_seniors navette_hameaux transport_demande transport_a_la_demande
graffitis (Tags et graffitis): tag tags graffiti graffitis graff graffs graffe graffer tague taguer tagueur tagueurs gribouillis gribouille bombe_peinture peinture_bombe anti_graffiti effacement_tags effacer_tags enlever_tags nettoyer_tags enlever_graffitis taguee tagues taguees barbouille barbouiller barbouillage spray bombe bomber bombe_mur gribouillage gribouillages inscriptions_peinture
aines (Repas et colis des aînés): colis_noel colis_aines colis_seniors colis_anciens colis_fin_annee repas_anciens banquet banquets banquet_aines banquet_anciens repas_annuel gouter_aines gouter_seniors bouffe_vieux cadeau_fin_annee bouffe_noel fete_personnes_agees gouter_vieux gouter_anciens cadeau_personnes_agees panier_gourmand colis_gourmand dejeuner_aines repas_aines repas_seniors dejeuner_seniors repas_dansant panier_fin_annee panier_noel foie_gras
livret (Livret de famille): livret_famille livrets_famille carnet_famille duplicata_livret second_livret carnet_bleu petit_carnet livre_famille livre_bleu bouquin_bleu nouveau_livret livret_abime ajouter_livret livret carnet_mariage carnets_mariage petit_cahier cahier_mariage
adresse (Adresses et numérotage): numerotage numerotation certificat_numerotage nom_rue base_adresse adresse_introuvable facteur gps numero_maison numero_rue numeros_rue attribuer_numero attribution_numero colis livreur livreurs plaque_numero numero_plaque boite_lettres attribuer_numeros
prenom (Prénom et nom de famille): changer_prenom changement_prenom modifier_prenom rectifier_prenom deuxieme_prenom ajouter_prenom prenom prenoms changer_nom changement_nom nom_usage nom_famille deadname nom_bapteme blaze surnom prenom_usage renommer renomme chgt_prenom officialiser_prenom
insalubrite (Logement insalubre): insalubre insalubres insalubrite moisissure moisissures humidite salpetre champignons_noirs logement_indigne habitat_indigne marchand_sommeil marchands_sommeil service_hygiene hygiene_habitat immeuble_peril arrete_peril cables_nus cables_denudes
risques (Inondations, tempêtes et catastrophes naturelles): catastrophe_naturelle catastrophes_naturelles cat_nat cata_nat arrete_catastrophe inondation inondations coulee_boue coulees_boue glissement_terrain grele intemperies sacs_sable submersion montee_eaux grosse_pluie grosses_pluies fortes_pluies pluies_torrentielles desastre secheresse lezardes lezarde fissures fissure murs_fendus maison_fissuree argile degats_orage degats_tempete apres_orage riviere_crue
commerce (Ouverture des commerces le dimanche): ouverture_dominicale ouvertures_dominicales repos_dominical dimanche_travaille dimanches_travailles travailler_dimanche travaille_dimanche bosser_dimanche derogation_dimanche dimanches_maire union_commercants lever_rideau jour_seigneur repos_hebdomadaire magasin_ouvert_dimanche magasins_ouverts_dimanche commerces_ouverts_dimanche commerce_ouvert_dimanche ouvrir_magasin_dimanche ouvrir_boutique_dimanche ouvrir_commerce_dimanche ouvert_dimanche ouverte_dimanche ouverts_dimanche ouvre_dimanche ouvrir_dimanche ouverture_dimanche boutique_dimanche boutiques_dimanche magasin_dimanche magasins_dimanche commerce_dimanche commerces_dimanche epicerie_dimanche superette_dimanche supermarche_dimanche salaries_dimanche salarie_dimanche employes_dimanche travail_dimanche dimanche_decembre dimanches_decembre taff_dimanche boss_dimanche travaillent_dimanche travailler_dimanches ouvrir_dimanches
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
			if key := subjectKey(w); key != "" {
				m[key] = s.name
			}
		}
	}
	return m
})

// subjectKey is how a subject's word or expression (joined by "_") is looked up:
// its content words stemmed, joined by "_"; "" when it has none.
func subjectKey(w string) string {
	var stems []string
	for _, part := range ContentWords(strings.ReplaceAll(w, "_", " ")) {
		stems = append(stems, Stem(part))
	}
	return strings.Join(stems, "_")
}

// SubjectWords returns the stems of the single words of the subject that the
// stem names (see [Stem]), itself included, in order; none when it names none
// or only within an expression (« feu » alone names no subject, « feu rouge »
// does). « bus » gives « abonnement », « arret », « navette »…: the words a
// town's answer may use where a citizen said another of its subject.
func SubjectWords(stem string) []string {
	c, ok := concepts()[stem]
	if !ok {
		return nil
	}
	return subjectWords()[c]
}

// subjectWords maps a subject to the stems of its single words.
var subjectWords = sync.OnceValue(func() map[string][]string {
	m := map[string][]string{}
	for key, c := range concepts() {
		if !strings.Contains(key, "_") {
			m[c] = append(m[c], key)
		}
	}
	for _, stems := range m {
		slices.Sort(stems)
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
// (« feu rouge » is the road, « feu » alone a fire in a garden).
func Concepts(stems []string) []string {
	out, _ := ConceptCounts(stems)
	return out
}

// ConceptCounts is [Concepts] with, for each subject, how many of the text's
// words and expressions name it.
func ConceptCounts(stems []string) (subjects []string, counts []int) {
	for i := 0; i < len(stems); {
		n := min(maxExpression, len(stems)-i)
		for ; n >= 1; n-- {
			if c, ok := concepts()[strings.Join(stems[i:i+n], "_")]; ok {
				if k := slices.Index(subjects, c); k >= 0 {
					counts[k]++
				} else {
					subjects, counts = append(subjects, c), append(counts, 1)
				}
				break
			}
		}
		i += max(n, 1)
	}
	return subjects, counts
}
