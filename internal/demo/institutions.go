package demo

// institution is a template for a public or membership body. In names, {C}
// is the country's English name and {T} the town at index town.
type institution struct {
	kind    string
	isic    string // ISIC Rev.4 class of the institution's own activity
	name    string
	town    int
	sectors []string // the sectors whose cluster initiatives it tends to lead or join
	desc    string
}

var (
	allSectors  = []string{"agro_processing", "fisheries", "tourism", "creative", "ict", "health_wellness", "natural_products"}
	foodSectors = []string{"agro_processing", "fisheries", "natural_products"}
	servSectors = []string{"tourism", "creative", "health_wellness"}
	techSectors = []string{"ict", "creative", "health_wellness"}
)

// bsoTemplates are business support organisations, most important first: a
// small country has the first few, a large one more.
var bsoTemplates = map[string][]institution{
	"en": {
		{"bso", "8413", "{C} Investment and Export Promotion Agency", 0, []string{"ict", "agro_processing", "natural_products", "creative"}, "Public agency that promotes investment and exports and helps firms enter foreign markets."},
		{"bso", "9411", "{C} Chamber of Commerce and Industry", 0, allSectors, "Membership body of the country's businesses: advocacy, training and trade missions."},
		{"bso", "8413", "{C} Small Business Development Agency", 0, []string{"agro_processing", "creative", "natural_products", "fisheries", "health_wellness"}, "Government agency that supports micro and small enterprises with advice, training and grants."},
		{"bso", "8413", "{C} Tourism Development Board", 0, []string{"tourism", "health_wellness"}, "Statutory board that develops and markets the destination and supports tourism businesses."},
		{"bso", "9411", "{C} Manufacturers' and Exporters' Association", 0, foodSectors, "Association of manufacturers and exporters: standards, export readiness and market intelligence."},
		{"bso", "6492", "{C} Enterprise Development Bank", 0, nil, "Development finance institution lending to small and growing enterprises."},
		{"bso", "9411", "{T} Chamber of Commerce", 1, []string{"tourism", "agro_processing", "fisheries"}, "Chamber serving the businesses of the town and its surrounding districts."},
		{"bso", "9411", "{C} Agro-processors Association", 0, []string{"agro_processing", "fisheries"}, "Association of food and beverage processors: food safety, packaging and shared equipment."},
		{"bso", "8413", "{C} Creative Industries Development Agency", 0, []string{"creative", "ict"}, "Agency that develops the music, film, fashion and digital media industries."},
	},
	"es": {
		{"bso", "8413", "Agencia Dominicana de Promoción de Exportaciones e Inversiones", 0, []string{"ict", "agro_processing", "natural_products", "creative"}, "Agencia pública que promueve la inversión y las exportaciones y acompaña a las empresas en mercados externos."},
		{"bso", "9411", "Cámara de Comercio de Santiago", 1, allSectors, "Entidad gremial de las empresas de Santiago: representación, formación y misiones comerciales."},
		{"bso", "8413", "Agencia de Desarrollo de la Micro, Pequeña y Mediana Empresa", 0, []string{"agro_processing", "creative", "natural_products", "fisheries", "health_wellness"}, "Agencia gubernamental de apoyo a las mipymes: asesoría, capacitación y fondos."},
		{"bso", "8413", "Consejo de Turismo de Puerto Plata", 3, []string{"tourism", "health_wellness"}, "Consejo público-privado que desarrolla y promueve el destino."},
		{"bso", "9411", "Asociación de Industriales y Exportadores del Cibao", 1, foodSectors, "Asociación de industriales y exportadores: normas, preparación exportadora e inteligencia de mercados."},
		{"bso", "6492", "Banco de Desarrollo Productivo Dominicano", 0, nil, "Banca de desarrollo para pequeñas y medianas empresas productivas."},
		{"bso", "9411", "Cámara de Comercio de La Vega", 2, []string{"agro_processing", "tourism"}, "Entidad gremial de las empresas de La Vega y su provincia."},
		{"bso", "9411", "Asociación Dominicana de Agroindustriales", 0, []string{"agro_processing", "fisheries"}, "Asociación de procesadores de alimentos y bebidas: inocuidad, empaque y equipos compartidos."},
		{"bso", "8413", "Agencia de Fomento de las Industrias Creativas", 0, []string{"creative", "ict"}, "Agencia que impulsa la música, el cine, la moda y los medios digitales."},
	},
	"fr": {
		{"bso", "8413", "Agence haïtienne de promotion des investissements et des exportations", 0, []string{"agro_processing", "natural_products", "creative"}, "Agence publique qui promeut l'investissement et les exportations et accompagne les entreprises à l'international."},
		{"bso", "9411", "Chambre de commerce et d'industrie du Sud-Est", 1, allSectors, "Organisation consulaire des entreprises du Sud-Est : représentation, formation et missions commerciales."},
		{"bso", "8413", "Centre d'appui aux petites et moyennes entreprises", 0, []string{"agro_processing", "creative", "natural_products", "fisheries", "health_wellness"}, "Centre public d'appui aux micro, petites et moyennes entreprises : conseil, formation et subventions."},
		{"bso", "8413", "Office du tourisme de Jacmel", 1, []string{"tourism", "creative"}, "Office qui développe et promeut la destination et appuie les entreprises touristiques."},
		{"bso", "9411", "Association des industriels et exportateurs d'Haïti", 0, foodSectors, "Association des industriels et exportateurs : normes, préparation à l'export et veille des marchés."},
		{"bso", "6492", "Banque haïtienne de développement productif", 0, nil, "Banque de développement qui finance les petites et moyennes entreprises productives."},
		{"bso", "9411", "Chambre de commerce de l'Artibonite", 2, []string{"agro_processing", "tourism"}, "Organisation consulaire des entreprises de l'Artibonite."},
		{"bso", "9411", "Association des agro-transformateurs d'Haïti", 0, []string{"agro_processing", "fisheries"}, "Association des transformateurs agroalimentaires : hygiène, emballage et équipements partagés."},
		{"bso", "8413", "Agence de développement des industries créatives", 0, []string{"creative", "ict"}, "Agence qui développe la musique, l'artisanat, la mode et les médias numériques."},
	},
	"nl": {
		{"bso", "8413", "Instituut voor Investerings- en Exportbevordering Suriname", 0, []string{"ict", "agro_processing", "natural_products", "creative"}, "Overheidsinstituut dat investeringen en export bevordert en bedrijven naar buitenlandse markten begeleidt."},
		{"bso", "9411", "Surinaamse Kamer van Koophandel en Nijverheid", 0, allSectors, "Ledenorganisatie van het bedrijfsleven: belangenbehartiging, opleiding en handelsmissies."},
		{"bso", "8413", "Centrum voor Kleinbedrijfontwikkeling Suriname", 0, []string{"agro_processing", "creative", "natural_products", "fisheries", "health_wellness"}, "Overheidscentrum dat micro- en kleine ondernemingen ondersteunt met advies, training en subsidies."},
		{"bso", "8413", "Toerismebureau Suriname", 0, []string{"tourism", "health_wellness"}, "Bureau dat de bestemming ontwikkelt en promoot en toeristische bedrijven ondersteunt."},
		{"bso", "9411", "Vereniging van Fabrikanten en Exporteurs Suriname", 0, foodSectors, "Vereniging van fabrikanten en exporteurs: normen, exportgereedheid en marktinformatie."},
		{"bso", "6492", "Surinaamse Ontwikkelingsbank voor Ondernemers", 0, nil, "Ontwikkelingsbank die kleine en groeiende ondernemingen financiert."},
		{"bso", "9411", "Kamer van Koophandel Nickerie", 2, []string{"agro_processing", "fisheries"}, "Kamer voor de ondernemers van Nickerie en omgeving."},
		{"bso", "9411", "Vereniging van Agro-verwerkers Suriname", 0, []string{"agro_processing", "fisheries"}, "Vereniging van voedsel- en drankverwerkers: voedselveiligheid, verpakking en gedeelde apparatuur."},
		{"bso", "8413", "Bureau Creatieve Industrie Suriname", 0, []string{"creative", "ict"}, "Bureau dat muziek, film, mode en digitale media ontwikkelt."},
	},
}

// branchTemplates are the local business centres added as the scale grows.
var branchTemplates = map[string]institution{
	"en": {"bso", "8413", "Small Business Development Centre, {T}", 0, allSectors, "Local centre offering advice, training and referrals to small businesses."},
	"es": {"bso", "8413", "Centro de Servicios Mipymes de {T}", 0, allSectors, "Centro local de asesoría, capacitación y referencia para mipymes."},
	"fr": {"bso", "8413", "Centre d'appui aux PME – {T}", 0, allSectors, "Centre local de conseil, de formation et d'orientation pour les petites entreprises."},
	"nl": {"bso", "8413", "Ondernemershuis {T}", 0, allSectors, "Lokaal centrum voor advies, training en doorverwijzing van kleine ondernemers."},
}

// otherTemplates are research and education institutions, ministries and
// NGOs, in the order a country gets them.
var otherTemplates = map[string][]institution{
	"en": {
		{"research", "7210", "{C} Agricultural Research Institute", 0, foodSectors, "Public institute for crop, livestock, fisheries and food-technology research."},
		{"research", "8530", "{C} Polytechnic Institute", 0, techSectors, "Technical and vocational college with programmes in ICT, design, hospitality and health."},
		{"research", "8530", "{C} State University", 0, allSectors, "Public university with faculties of agriculture, business, science and the arts."},
		{"government", "8411", "Ministry of Trade, Industry and Investment, {C}", 0, []string{"ict", "creative", "agro_processing", "natural_products"}, "Ministry responsible for trade, industrial and investment policy."},
		{"government", "8411", "Ministry of Agriculture and Fisheries, {C}", 0, foodSectors, "Ministry responsible for agriculture, fisheries and rural development."},
		{"government", "8411", "Ministry of Tourism and Culture, {C}", 0, servSectors, "Ministry responsible for tourism, culture and the creative economy."},
		{"ngo", "9499", "{C} Women Entrepreneurs Network", 0, allSectors, "Network of women business owners: mentoring, peer learning and market days."},
		{"ngo", "9499", "{C} Youth Enterprise Trust", 0, allSectors, "Trust that coaches and lends to entrepreneurs under 35."},
	},
	"es": {
		{"research", "7210", "Centro de Investigación Agropecuaria del Cibao", 1, foodSectors, "Centro público de investigación agrícola, pecuaria y agroindustrial."},
		{"research", "8530", "Instituto Tecnológico de Santiago", 1, techSectors, "Instituto técnico con carreras de informática, diseño, hotelería y salud."},
		{"research", "8530", "Universidad Politécnica del Este", 5, allSectors, "Universidad pública con facultades de agronomía, negocios, ciencias y artes."},
		{"government", "8411", "Ministerio de Industria y Comercio", 0, []string{"ict", "creative", "agro_processing", "natural_products"}, "Ministerio responsable de la política comercial, industrial y de inversión."},
		{"government", "8411", "Ministerio de Agricultura y Desarrollo Rural", 0, foodSectors, "Ministerio responsable de la agricultura, la pesca y el desarrollo rural."},
		{"government", "8411", "Ministerio de Turismo y Cultura", 0, servSectors, "Ministerio responsable del turismo, la cultura y la economía creativa."},
		{"ngo", "9499", "Red de Mujeres Emprendedoras Dominicanas", 0, allSectors, "Red de empresarias: mentoría, aprendizaje entre pares y ferias."},
		{"ngo", "9499", "Fundación para el Desarrollo Comunitario del Sur", 14, allSectors, "Fundación que apoya emprendimientos rurales y cooperativas del sur."},
	},
	"fr": {
		{"research", "7210", "Institut haïtien de recherche agronomique", 0, foodSectors, "Institut public de recherche agronomique, halieutique et agroalimentaire."},
		{"research", "8530", "Institut polytechnique de Port-au-Prince", 0, techSectors, "École technique avec des filières en informatique, design, hôtellerie et santé."},
		{"research", "8530", "Université technologique du Nord", 15, allSectors, "Université publique avec des facultés d'agronomie, de gestion, de sciences et d'arts."},
		{"government", "8411", "Ministère du Commerce et de l'Industrie", 0, []string{"ict", "creative", "agro_processing", "natural_products"}, "Ministère chargé des politiques commerciale, industrielle et d'investissement."},
		{"government", "8411", "Ministère de l'Agriculture et des Ressources naturelles", 0, foodSectors, "Ministère chargé de l'agriculture, de la pêche et du développement rural."},
		{"government", "8411", "Ministère du Tourisme et de la Culture", 0, servSectors, "Ministère chargé du tourisme, de la culture et de l'économie créative."},
		{"ngo", "9499", "Réseau des femmes entrepreneures d'Haïti", 0, allSectors, "Réseau de femmes chefs d'entreprise : mentorat, apprentissage entre pairs et foires."},
		{"ngo", "9499", "Fondation pour l'entrepreneuriat rural", 3, allSectors, "Fondation qui appuie les coopératives et les entreprises rurales."},
	},
	"nl": {
		{"research", "7210", "Landbouwkundig Onderzoeksinstituut Suriname", 0, foodSectors, "Overheidsinstituut voor onderzoek naar landbouw, visserij en voedseltechnologie."},
		{"research", "8530", "Polytechnisch Instituut Paramaribo", 0, techSectors, "Hogeschool voor ICT, ontwerp, horeca en gezondheidszorg."},
		{"research", "8530", "Hogeschool voor Toegepaste Wetenschappen Suriname", 0, allSectors, "Hogeschool met opleidingen in landbouw, bedrijfskunde, techniek en kunsten."},
		{"government", "8411", "Ministerie van Economische Zaken en Ondernemerschap", 0, []string{"ict", "creative", "agro_processing", "natural_products"}, "Ministerie verantwoordelijk voor handels-, industrie- en investeringsbeleid."},
		{"government", "8411", "Ministerie van Landbouw en Visserij", 0, foodSectors, "Ministerie verantwoordelijk voor landbouw, visserij en plattelandsontwikkeling."},
		{"government", "8411", "Ministerie van Toerisme en Cultuur", 0, servSectors, "Ministerie verantwoordelijk voor toerisme, cultuur en de creatieve economie."},
		{"ngo", "9499", "Netwerk Vrouwelijke Ondernemers Suriname", 0, allSectors, "Netwerk van ondernemende vrouwen: mentoring, kennisdeling en markten."},
		{"ngo", "9499", "Stichting Duurzaam Ondernemen Suriname", 0, allSectors, "Stichting die duurzame kleine ondernemingen in het binnenland ondersteunt."},
	},
}

// regionalBodies serve the whole region from one country.
var regionalBodies = []struct {
	iso3 string
	town int
	inst institution
}{
	{"BRB", 0, institution{"funder", "6499", "Caribbean Competitiveness Facility", 0, allSectors, "Regional programme that co-finances cluster initiatives and the business support organisations that run them."}},
	{"TTO", 6, institution{"research", "7210", "Caribbean Institute for Agricultural Innovation", 0, foodSectors, "Regional research institute for tropical crops, post-harvest technology and food safety."}},
}
