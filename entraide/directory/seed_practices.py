"""The first entries of the practices catalogue, rewritten in our own words from the seed
documents in ``../shared/seeds/``; each names the file it comes from.

000: minutes of the mayors' commission on living together (14 Dec 2020) and its annex.
001: RQDS / Espace-Muni webinar on regional and municipal collaboration.
002: RQDS webinar synthesis on strategic recovery (12 Nov 2020).
004: the International Observatory of Participatory Democracy's list of solidarity
initiatives during the lockdowns.
"""

S000 = "000_fafdf7020c7bd6b0.txt"
S001 = "001_e7fe15914e72cbe6.txt"
S002 = "002_6890b3d3ad268117.txt"
S004 = "004_2d6af36eaea68a2f.txt"

# (title, city, country, theme, what was done, lessons learnt, source document)
PRACTICES: tuple[tuple[str, str, str, str, str, str, str], ...] = (
    (
        "Un portail d'information COVID de la ville",
        "Montréal, Namur, Québec, Thetford Mines",
        "Canada, Belgique",
        "information",
        "Chaque ville a ouvert une page unique qui rassemble les consignes sanitaires, "
        "les services maintenus et les aides disponibles pour les habitants.",
        "Une seule adresse à retenir rassure et évite que l'information se disperse.",
        S000,
    ),
    (
        "Une centrale des bénévoles avec la corporation de développement communautaire",
        "Thetford Mines",
        "Canada",
        "organisations",
        "La ville s'est appuyée sur une centrale qui recrute des bénévoles et les oriente "
        "vers les organismes communautaires qui en manquent.",
        "Les organismes reposent sur le bénévolat : les soutenir évite les ruptures de "
        "service quand les bénévoles habituels, souvent âgés, doivent rester chez eux.",
        S000,
    ),
    (
        "Distribuer des masques avec les pharmacies",
        "Namur",
        "Belgique",
        "organisations",
        "Plutôt que de créer un réseau de distribution, la ville a confié la remise des "
        "masques aux pharmacies de quartier, que tout le monde connaît.",
        "S'appuyer sur les commerces de proximité permet de rejoindre vite toute la population.",
        S000,
    ),
    (
        "Places éphémères et parcours lumineux",
        "Québec",
        "Canada",
        "public_space",
        "Des places temporaires et un parcours de lumière et de son en ville ont offert "
        "des sorties sûres et gaies pendant l'hiver de la pandémie.",
        "Des activités réconfortantes, dans le respect des consignes, soutiennent le moral "
        "de tous.",
        S000,
    ),
    (
        "La culture s'invite chez vous",
        "Nice",
        "France",
        "public_space",
        "Spectacles et activités culturelles proposés à domicile ou à distance quand les "
        "salles étaient fermées.",
        "Garder un lien culturel aide à traverser l'isolement.",
        S000,
    ),
    (
        "Gardons le contact : appels de courtoisie",
        "Namur",
        "Belgique",
        "vulnerable",
        "Le CPAS appelle régulièrement les personnes âgées ou isolées pour prendre de "
        "leurs nouvelles et repérer celles qui ont besoin d'aide.",
        "Un simple coup de fil régulier repère tôt les situations de détresse.",
        S000,
    ),
    (
        "Interventions de proximité en santé mentale",
        "Québec",
        "Canada",
        "vulnerable",
        "Une équipe spécialisée intervient auprès des personnes en crise ou en détresse, "
        "en lien avec la police et le réseau de la santé.",
        "La collaboration entre police, urgences, santé et organismes est décisive.",
        S000,
    ),
    (
        "Des dispositifs pour les personnes sans abri",
        "Nice",
        "France",
        "vulnerable",
        "Hébergements d'urgence et accompagnement renforcé des personnes à la rue pendant "
        "le confinement, avec un conseil local de santé mentale.",
        "Les partenariats avec le privé ont permis de trouver vite des places d'hébergement.",
        S000,
    ),
    (
        "Bornes d'appel d'urgence dans l'espace public",
        "Nice",
        "France",
        "safety",
        "Des bornes (boutons d'alerte) installées dans la rue permettent d'appeler à "
        "l'aide directement.",
        "",
        S000,
    ),
    (
        "Mesures spéciales contre les violences intrafamiliales",
        "Nice, Québec, Namur",
        "France, Canada, Belgique",
        "safety",
        "Cellule de crise pluridisciplinaire, numéro joignable jour et nuit, campagnes de "
        "sensibilisation, hébergement d'urgence et répertoire de ressources pour les "
        "victimes.",
        "Le confinement augmente le risque : il faut renforcer la vigilance dès le début.",
        S000,
    ),
    (
        "Une police sociocommunautaire",
        "Québec",
        "Canada",
        "safety",
        "Une équipe mixte de policiers et d'intervenants sociaux suit les situations "
        "fragiles dans les quartiers.",
        "",
        S000,
    ),
    (
        "Un outil d'aide pour une démarche de développement social en MRC",
        "MRC de Montcalm",
        "Canada",
        "organisations",
        "Avec l'appui d'Espace-Muni, la MRC a réuni réussite éducative, développement "
        "social et politique des aînés dans une même démarche partagée entre municipalités.",
        "Relier les politiques existantes vers des actions communes prépare une vraie "
        "politique de développement social.",
        S001,
    ),
    (
        "Une commission municipale de développement communautaire et social",
        "Terrebonne",
        "Canada",
        "organisations",
        "Une commission du conseil municipal suit les enjeux sociaux et fait avancer les "
        "comités de travail avec les organismes.",
        "Montrer aux élus que le développement social fait gagner du temps, plutôt que "
        "d'ajouter une tâche.",
        S001,
    ),
    (
        "Un tableau unique des mesures d'aide",
        "Lanaudière",
        "Canada",
        "information",
        "La table régionale tient un tableau des mesures fédérales, provinciales et "
        "régionales et envoie chaque semaine une mise à jour aux partenaires.",
        "Centraliser l'information évite que chacun refasse la même recherche ; le manque "
        "de temps empêche souvent d'en faire une vraie plateforme.",
        S002,
    ),
    (
        "Un site collaboratif entre MRC",
        "Bas-Saint-Laurent",
        "Canada",
        "information",
        "Un site partagé par les huit MRC rassemble les mesures d'aide et les outils, et "
        "fait circuler les bonnes pratiques d'un territoire à l'autre.",
        "Il faut penser aux personnes loin du numérique pour ne pas les laisser de côté.",
        S002,
    ),
    (
        "Un bulletin comme canal unique en sécurité alimentaire",
        "Centre-du-Québec",
        "Canada",
        "information",
        "Le groupe régional en sécurité alimentaire envoie un bulletin unique sur les "
        "financements disponibles aux partenaires et aux comités locaux.",
        "Un seul canal pour un sujet évite les doublons ; cela a très bien fonctionné.",
        S002,
    ),
    (
        "Des cellules de crise par MRC",
        "Laval, Laurentides, Bas-Saint-Laurent, Centre-du-Québec",
        "Canada",
        "organisations",
        "Dès la première vague, des cellules de crise ont réuni MRC, santé publique et "
        "organismes communautaires chaque semaine.",
        "Les liens créés entre élus et organismes durent, mais les organismes s'épuisent : "
        "il faut alléger leur participation aux tables régionales.",
        S002,
    ),
    (
        "Une page d'actualités des MRC",
        "Gaspésie-Îles-de-la-Madeleine",
        "Canada",
        "information",
        "Une page du site régional réunit les nouvelles de chaque MRC et les outils utiles.",
        "",
        S002,
    ),
    (
        "Des capsules vidéo contre les préjugés",
        "Bas-Saint-Laurent",
        "Canada",
        "vulnerable",
        "Trois courtes vidéos réalisées pendant la pandémie pour défaire les préjugés "
        "envers les personnes en situation de pauvreté.",
        "",
        S002,
    ),
    (
        "Voisins Voisines : des boucles de solidarité",
        "Grenoble",
        "France",
        "mutual_aid",
        "La ville a ouvert une plateforme pour que les voisins s'entraident : courses, "
        "bons tuyaux, attention aux plus fragiles, à l'échelle du palier.",
        "Partir du voisinage immédiat rend l'entraide simple et rassurante.",
        S004,
    ),
    (
        "Entraide COVID-19 sur le portail de participation",
        "Bordeaux",
        "France",
        "mutual_aid",
        "Offres et demandes d'aide géolocalisées sur le portail citoyen, et financement "
        "participatif de kits alimentaires et d'hygiène pour les plus vulnérables.",
        "",
        S004,
    ),
    (
        "Livraison gratuite de courses et de médicaments",
        "Busto Garolfo",
        "Italie",
        "vulnerable",
        "La commune livre gratuitement nourriture, médicaments et produits de première "
        "nécessité, avec ses services sociaux.",
        "",
        S004,
    ),
    (
        "Une base de données de bénévoles et d'entités qui aident",
        "Terrassa",
        "Espagne",
        "organisations",
        "La mairie recense les bénévoles d'un côté, les entreprises et associations qui "
        "offrent leur aide de l'autre, pour les orienter vers les besoins.",
        "",
        S004,
    ),
    (
        "Des affichettes d'entraide dans les immeubles",
        "Brest, Madrid",
        "France, Espagne",
        "mutual_aid",
        "Une affiche type à imprimer, remplir et coller dans l'ascenseur ou le hall pour "
        "proposer son aide : courses, animaux, enfants, devoirs, un coup de fil.",
        "Le papier rejoint les voisins qui n'utilisent pas internet.",
        S004,
    ),
    (
        "Recueillir les propositions des habitants en ligne",
        "Barcelone, Madrid, Saragosse",
        "Espagne",
        "mutual_aid",
        "Les plateformes de participation des villes ont accueilli les initiatives des "
        "habitants et des associations ; Saragosse y géolocalise les offres de bénévoles.",
        "",
        S004,
    ),
    (
        "La Fabrique de la Solidarité",
        "Paris",
        "France",
        "organisations",
        "Le centre de mobilisation citoyenne de la ville aide les associations à trouver "
        "des bénévoles pour soutenir les personnes âgées et sans abri.",
        "",
        S004,
    ),
    (
        "Une plateforme des initiatives du territoire",
        "Province de Vicenza",
        "Italie",
        "mutual_aid",
        "Le centre de service au volontariat publie, classe et géolocalise les initiatives "
        "des citoyens, associations et institutions, surtout pour les plus vulnérables.",
        "",
        S004,
    ),
    (
        "L'aide de voisinage par téléphone",
        "Berlin",
        "Allemagne",
        "mutual_aid",
        "On appelle un numéro, on tape son code postal et le type de besoin ; la demande "
        "est publiée sur un site par zone que lisent les bénévoles.",
        "Le téléphone ouvre l'entraide à ceux qui n'ont pas internet.",
        S004,
    ),
    (
        "Une ligne d'assistance pour les exclus du numérique",
        "Gdańsk, Gdynia, Sopot",
        "Pologne",
        "vulnerable",
        "Les trois villes soutiennent une ligne téléphonique qui organise les courses des "
        "personnes sans accès au numérique.",
        "",
        S004,
    ),
    (
        "Relier restaurants en surplus et habitants dans le besoin",
        "Philadelphie",
        "États-Unis",
        "organisations",
        "Le site de la ville rassemble fonds d'aide, offres de bénévolat et une "
        "application qui met en contact restaurants ayant des surplus et habitants.",
        "",
        S004,
    ),
    (
        "#ViralKindness : un autocollant pour offrir son aide",
        "Ottawa",
        "Canada",
        "mutual_aid",
        "Chacun remplit un autocollant avec ses coordonnées pour proposer son aide à ses "
        "voisins ; la ville tient aussi une ligne d'écoute en cas de détresse.",
        "",
        S004,
    ),
    (
        "Un prix pour les idées d'aide citoyenne",
        "Helsinki",
        "Finlande",
        "organisations",
        "Une campagne express finance jusqu'à 5 000 € chaque proposition innovante d'aide "
        "entre citoyens.",
        "",
        S004,
    ),
    (
        "Frena la curva",
        "Espagne, Brésil, Équateur",
        "International",
        "mutual_aid",
        "Une plateforme citoyenne géolocalise initiatives, offres et demandes d'aide "
        "entre voisins, dans plusieurs pays.",
        "",
        S004,
    ),
)
