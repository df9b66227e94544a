package demo

// town is a place that names firms, chambers and cluster initiatives, with
// the ISO 3166-2 area it lies in.
type town struct{ name, area string }

// profile describes one programme country as the generator sees it.
type profile struct {
	iso3 string
	lang string // en, es, fr (with Haitian Creole) or nl (with Sranan Tongo)
	// weight is the rough relative size of the economy: it sets the share of
	// firms, cluster initiatives and institutions.
	weight float64
	dial   string // telephone prefix
	towns  []town // the capital first, then by importance
	// landmarks are hills, rivers, trees and bays that firms take names from.
	landmarks []string
	// areaWeight is the share of firms in an area relative to 1 (areas not
	// listed) — a capital holds many, an uninhabited islet none.
	areaWeight map[string]float64
	// themes are the value chains the country has cluster initiatives in.
	themes []string
	// emphasis raises or lowers a sector against the regional mix.
	emphasis map[string]float64
}

// profiles are the fifteen programme countries, in ISO 3166-1 order.
var profiles = []*profile{
	{iso3: "ATG", lang: "en", weight: 3, dial: "+1 268",
		towns:      []town{{"St. John's", "Saint John"}, {"All Saints", "Saint George"}, {"English Harbour", "Saint Paul"}, {"Liberta", "Saint Paul"}, {"Parham", "Saint Peter"}, {"Bolans", "Saint Mary"}, {"Freetown", "Saint Philip"}, {"Codrington", "Barbuda"}},
		landmarks:  []string{"Shirley Heights", "Boggy Peak", "Half Moon Bay", "Fig Tree", "Jolly Harbour", "Devil's Bridge", "Black Pineapple"},
		areaWeight: map[string]float64{"Saint John": 8, "Redonda": 0, "Barbuda": 0.5},
		themes:     []string{"tourism", "dive", "culinary", "heritage", "carnival", "fish", "agrofood", "fruits", "crafts", "software", "wellness"},
		emphasis:   map[string]float64{"tourism": 1.8, "agro_processing": 0.6}},
	{iso3: "BHS", lang: "en", weight: 6, dial: "+1 242",
		towns:      []town{{"Nassau", "New Providence"}, {"Freeport", "City of Freeport"}, {"Marsh Harbour", "Central Abaco"}, {"George Town", "Exuma"}, {"Governor's Harbour", "Central Eleuthera"}, {"Fresh Creek", "Central Andros"}, {"Alice Town", "Bimini"}, {"Clarence Town", "Long Island"}, {"Matthew Town", "Inagua"}, {"Spanish Wells", "Spanish Wells"}},
		landmarks:  []string{"Lucayan", "Pink Sands", "Sea Grape", "Casuarina", "Blue Hole", "Coral Harbour", "Conch Cay", "Pineapple Point"},
		areaWeight: map[string]float64{"New Providence": 20, "City of Freeport": 4, "West Grand Bahama": 2, "East Grand Bahama": 2, "Central Abaco": 2, "Exuma": 2, "North Eleuthera": 1.5},
		themes:     []string{"tourism", "dive", "culinary", "heritage", "carnival", "lobster", "fish", "crafts", "fashion", "agrofood", "fruits", "cosmetics", "software", "medical"},
		emphasis:   map[string]float64{"tourism": 2, "fisheries": 1.6, "agro_processing": 0.5}},
	{iso3: "BRB", lang: "en", weight: 6, dial: "+1 246",
		towns:      []town{{"Bridgetown", "Saint Michael"}, {"Speightstown", "Saint Peter"}, {"Oistins", "Christ Church"}, {"Holetown", "Saint James"}, {"Bathsheba", "Saint Joseph"}, {"Six Roads", "Saint Philip"}, {"Belleplaine", "Saint Andrew"}},
		landmarks:  []string{"Coral Reef", "Hackleton's Cliff", "Cherry Tree Hill", "Flower Forest", "Mahogany Ridge", "Carlisle Bay", "Morgan Lewis"},
		areaWeight: map[string]float64{"Saint Michael": 6, "Christ Church": 4, "Saint James": 2, "Saint Philip": 1.5},
		themes:     []string{"rum", "hotsauce", "agrofood", "roots", "fish", "seamoss", "tourism", "culinary", "heritage", "dive", "animation", "film", "music", "fashion", "software", "bpo", "wellness", "medical", "cosmetics"},
		emphasis:   map[string]float64{"tourism": 1.3, "ict": 1.5, "creative": 1.4, "agro_processing": 0.7}},
	{iso3: "BLZ", lang: "en", weight: 4, dial: "+501",
		towns:      []town{{"Belize City", "Belize"}, {"Belmopan", "Cayo"}, {"San Ignacio", "Cayo"}, {"Orange Walk Town", "Orange Walk"}, {"Dangriga", "Stann Creek"}, {"Corozal Town", "Corozal"}, {"Punta Gorda", "Toledo"}, {"Placencia", "Stann Creek"}, {"San Pedro", "Belize"}},
		landmarks:  []string{"Maya Mountains", "Cockscomb", "Hummingbird", "Macal River", "Mopan", "Caye Caulker", "Barrier Reef", "Cohune"},
		areaWeight: map[string]float64{"Belize": 5, "Cayo": 3, "Orange Walk": 2, "Stann Creek": 2, "Corozal": 1.5},
		themes:     []string{"cocoa", "hotsauce", "fruits", "honey", "agrofood", "lobster", "fish", "aquaculture", "ecotourism", "dive", "heritage", "community", "crafts", "forest", "herbal"},
		emphasis:   map[string]float64{"tourism": 1.3}},
	{iso3: "DMA", lang: "en", weight: 2, dial: "+1 767",
		towns:      []town{{"Roseau", "Saint George"}, {"Portsmouth", "Saint John"}, {"Marigot", "Saint Andrew"}, {"Grand Bay", "Saint Patrick"}, {"Castle Bruce", "Saint David"}, {"Mahaut", "Saint Paul"}, {"Scotts Head", "Saint Mark"}, {"Colihaut", "Saint Peter"}, {"Salisbury", "Saint Joseph"}, {"Pointe Michel", "Saint Luke"}},
		landmarks:  []string{"Morne Diablotins", "Trafalgar", "Boiling Lake", "Roseau Valley", "Layou River", "Sisserou", "Morne Trois Pitons", "Titou Gorge"},
		areaWeight: map[string]float64{"Saint George": 6, "Saint John": 2, "Saint Paul": 1.5},
		themes:     []string{"fruits", "agrofood", "coconut", "hotsauce", "fish", "ecotourism", "community", "wellness", "herbal", "essential", "cosmetics", "crafts"},
		emphasis:   map[string]float64{"natural_products": 1.9, "health_wellness": 1.6, "ict": 0}},
	{iso3: "DOM", lang: "es", weight: 22, dial: "+1 809",
		towns: []town{{"Santo Domingo", "Distrito Nacional (Santo Domingo)"}, {"Santiago", "Santiago"}, {"La Vega", "La Vega"}, {"Puerto Plata", "Puerto Plata"}, {"San Francisco de Macorís", "Duarte"}, {"Higüey", "La Altagracia"}, {"Punta Cana", "La Altagracia"}, {"La Romana", "La Romana"},
			{"San Pedro de Macorís", "San Pedro de Macorís"}, {"Baní", "Peravia"}, {"Moca", "Espaillat"}, {"Jarabacoa", "La Vega"}, {"Constanza", "La Vega"}, {"Samaná", "Samaná"}, {"Barahona", "Barahona"}, {"Azua", "Azua"}, {"San Cristóbal", "San Cristóbal"}, {"Bonao", "Monseñor Nouel"},
			{"Mao", "Valverde"}, {"Nagua", "María Trinidad Sánchez"}, {"San Juan de la Maguana", "San Juan"}, {"Monte Cristi", "Monte Cristi"}, {"Cotuí", "Sánchez Ramírez"}, {"Hato Mayor", "Hato Mayor"}, {"Salcedo", "Hermanas Mirabal"}},
		landmarks: []string{"La Esperanza", "Los Pinos", "El Manantial", "Loma Verde", "La Ceiba", "El Cibao", "Los Haitises", "Valle Nuevo", "El Limón", "Las Palmas", "La Cumbre", "Río Yaque"},
		areaWeight: map[string]float64{"Distrito Nacional (Santo Domingo)": 10, "Santo Domingo": 10, "Santiago": 8, "La Altagracia": 4, "Puerto Plata": 4, "La Vega": 4,
			"San Cristóbal": 3, "Duarte": 3, "La Romana": 3, "San Pedro de Macorís": 3, "Espaillat": 2, "Peravia": 2, "Monseñor Nouel": 1.5},
		themes: []string{"cocoa", "coffee", "banana", "dairy", "fruits", "mango", "rice", "agrofood", "rum", "honey", "fish", "aquaculture", "tourism", "ecotourism", "community", "culinary", "dive",
			"music", "film", "fashion", "crafts", "software", "bpo", "medical", "wellness", "cosmetics", "herbal"},
		emphasis: map[string]float64{"tourism": 1.3, "health_wellness": 1.3}},
	{iso3: "GRD", lang: "en", weight: 2.5, dial: "+1 473",
		towns:      []town{{"St. George's", "Saint George"}, {"Grenville", "Saint Andrew"}, {"Gouyave", "Saint John"}, {"Victoria", "Saint Mark"}, {"Sauteurs", "Saint Patrick"}, {"St. David's", "Saint David"}, {"Hillsborough", "Southern Grenadine Islands"}},
		landmarks:  []string{"Grand Etang", "Mount Qua Qua", "Spice Isle", "Belmont", "La Sagesse", "Grand Anse", "Levera", "Mount St. Catherine"},
		areaWeight: map[string]float64{"Saint George": 6, "Saint Andrew": 2, "Southern Grenadine Islands": 0.6},
		themes:     []string{"spices", "cocoa", "rum", "agrofood", "fruits", "seamoss", "fish", "tourism", "dive", "culinary", "carnival", "crafts", "wellness", "essential", "cosmetics"},
		emphasis:   map[string]float64{"agro_processing": 1.5, "ict": 0}},
	{iso3: "GUY", lang: "en", weight: 7, dial: "+592",
		towns:      []town{{"Georgetown", "Demerara-Mahaica"}, {"New Amsterdam", "East Berbice-Corentyne"}, {"Linden", "Upper Demerara-Berbice"}, {"Anna Regina", "Pomeroon-Supenaam"}, {"Corriverton", "East Berbice-Corentyne"}, {"Parika", "Essequibo Islands-West Demerara"}, {"Bartica", "Cuyuni-Mazaruni"}, {"Lethem", "Upper Takutu-Upper Essequibo"}, {"Rosignol", "Mahaica-Berbice"}, {"Mabaruma", "Barima-Waini"}, {"Mahdia", "Potaro-Siparuni"}},
		landmarks:  []string{"Kaieteur", "Rupununi", "Essequibo", "Pakaraima", "Kanuku", "Demerara", "Berbice River", "Shell Beach", "Mahaicony"},
		areaWeight: map[string]float64{"Demerara-Mahaica": 10, "East Berbice-Corentyne": 3, "Essequibo Islands-West Demerara": 3, "Upper Demerara-Berbice": 1.5, "Mahaica-Berbice": 1.5, "Pomeroon-Supenaam": 1.5},
		themes:     []string{"rice", "coconut", "fruits", "agrofood", "honey", "hotsauce", "shrimp", "fish", "aquaculture", "ecotourism", "community", "crafts", "software", "bpo", "forest", "herbal"},
		emphasis:   map[string]float64{"agro_processing": 1.3, "natural_products": 1.4}},
	{iso3: "HTI", lang: "fr", weight: 10, dial: "+509",
		towns: []town{{"Port-au-Prince", "Lwès"}, {"Jacmel", "Sidès"}, {"Gonaïves", "Artibonite"}, {"Jérémie", "Grandans"}, {"Saint-Marc", "Artibonite"}, {"Pétion-Ville", "Lwès"}, {"Léogâne", "Lwès"}, {"Hinche", "Centre"}, {"Mirebalais", "Centre"},
			{"Port-de-Paix", "Nord-Ouest"}, {"Fort-Liberté", "Nord-Est"}, {"Ouanaminthe", "Nord-Est"}, {"Miragoâne", "Nip"}, {"Aquin", "Sid"}, {"Port-Salut", "Sid"}, {"Limbé", "Nord"}, {"Dondon", "Nord"}, {"Marmelade", "Artibonite"}, {"Kenscoff", "Lwès"}, {"Thiotte", "Sidès"}},
		landmarks:  []string{"Bon Repo", "Lakou", "Solèy", "Lespwa", "Konbit", "Bèl Vi", "Bassin Bleu", "Macaya", "La Visite", "Tèt Ansanm", "Zanmi", "Citadelle"},
		areaWeight: map[string]float64{"Lwès": 10, "Nord": 4, "Artibonite": 3, "Sid": 2, "Sidès": 2},
		themes:     []string{"coffee", "cocoa", "mango", "rum", "hotsauce", "roots", "honey", "agrofood", "fruits", "fish", "tourism", "heritage", "community", "crafts", "music", "essential", "herbal", "cosmetics", "bpo"},
		emphasis:   map[string]float64{"agro_processing": 1.4, "natural_products": 1.6}},
	{iso3: "JAM", lang: "en", weight: 12, dial: "+1 876",
		towns: []town{{"Kingston", "Kingston"}, {"Montego Bay", "Saint James"}, {"Spanish Town", "Saint Catherine"}, {"Mandeville", "Manchester"}, {"Ocho Rios", "Saint Ann"}, {"May Pen", "Clarendon"}, {"Half Way Tree", "Saint Andrew"}, {"Portmore", "Saint Catherine"}, {"Port Antonio", "Portland"},
			{"Negril", "Westmoreland"}, {"Savanna-la-Mar", "Westmoreland"}, {"Falmouth", "Trelawny"}, {"Lucea", "Hanover"}, {"Morant Bay", "Saint Thomas"}, {"Port Maria", "Saint Mary"}, {"Santa Cruz", "Saint Elizabeth"}, {"Black River", "Saint Elizabeth"}, {"Christiana", "Manchester"}, {"Linstead", "Saint Catherine"}},
		landmarks:  []string{"Blue Mahoe", "Lignum Vitae", "Cockpit Country", "Rio Grande", "Long Mountain", "Ackee Tree", "Doctor Bird", "Mavis Bank", "Yallahs", "Treasure Beach", "Pedro Bank"},
		areaWeight: map[string]float64{"Kingston": 6, "Saint Andrew": 8, "Saint Catherine": 6, "Saint James": 5, "Manchester": 3, "Clarendon": 3, "Saint Ann": 3},
		themes: []string{"coffee", "hotsauce", "fruits", "agrofood", "rum", "roots", "cocoa", "fish", "aquaculture", "tourism", "community", "culinary", "heritage", "music", "film", "animation", "fashion",
			"software", "bpo", "wellness", "herbal", "cosmetics"},
		emphasis: map[string]float64{"creative": 1.7, "ict": 1.3}},
	{iso3: "KNA", lang: "en", weight: 2, dial: "+1 869",
		towns:      []town{{"Basseterre", "Saint George Basseterre"}, {"Charlestown", "Saint Paul Charlestown"}, {"Sandy Point", "Saint Anne Sandy Point"}, {"Cayon", "Saint Mary Cayon"}, {"Gingerland", "Saint George Gingerland"}, {"Old Road", "Saint Thomas Middle Island"}, {"Dieppe Bay", "Saint John Capisterre"}},
		landmarks:  []string{"Mount Liamuiga", "Brimstone Hill", "Frigate Bay", "Nevis Peak", "Pinney's", "Ottley's", "Golden Rock", "Green Monkey"},
		areaWeight: map[string]float64{"Saint George Basseterre": 6, "Saint Paul Charlestown": 2},
		themes:     []string{"tourism", "heritage", "culinary", "dive", "agrofood", "fish", "wellness", "medical", "crafts", "music", "software"},
		emphasis:   map[string]float64{"tourism": 1.6, "health_wellness": 1.6}},
	{iso3: "LCA", lang: "en", weight: 3, dial: "+1 758",
		towns:      []town{{"Castries", "Castries"}, {"Vieux Fort", "Vieux Fort"}, {"Soufrière", "Soufrière"}, {"Gros Islet", "Gros Islet"}, {"Micoud", "Micoud"}, {"Dennery", "Dennery"}, {"Choiseul", "Choiseul"}, {"Laborie", "Laborie"}, {"Anse la Raye", "Anse la Raye"}, {"Canaries", "Canaries"}},
		landmarks:  []string{"Morne Fortune", "Pitons", "Mount Gimie", "Barre de l'Isle", "Rodney Bay", "Grand Anse", "Mamiku", "Fond Doux", "Sulphur Springs"},
		areaWeight: map[string]float64{"Castries": 6, "Gros Islet": 3, "Vieux Fort": 2, "Soufrière": 1.5},
		themes:     []string{"cocoa", "fruits", "agrofood", "hotsauce", "seamoss", "fish", "tourism", "community", "culinary", "heritage", "music", "crafts", "wellness", "cosmetics", "herbal"},
		emphasis:   map[string]float64{"tourism": 1.3, "ict": 0}},
	{iso3: "VCT", lang: "en", weight: 2, dial: "+1 784",
		towns:      []town{{"Kingstown", "Saint George"}, {"Georgetown", "Charlotte"}, {"Layou", "Saint Andrew"}, {"Barrouallie", "Saint Patrick"}, {"Chateaubelair", "Saint David"}, {"Port Elizabeth", "Grenadines"}, {"Clifton", "Grenadines"}, {"Calliaqua", "Saint George"}},
		landmarks:  []string{"La Soufrière", "Mesopotamia Valley", "Bequia", "Fancy", "Owia", "Dark View", "Vermont", "Tobago Cays"},
		areaWeight: map[string]float64{"Saint George": 6, "Charlotte": 2, "Grenadines": 1.5},
		themes:     []string{"roots", "agrofood", "fruits", "fish", "seamoss", "tourism", "dive", "community", "carnival", "crafts", "herbal", "cosmetics"},
		emphasis:   map[string]float64{"agro_processing": 1.3, "ict": 0}},
	{iso3: "SUR", lang: "nl", weight: 5, dial: "+597",
		towns:      []town{{"Paramaribo", "Paramaribo"}, {"Lelydorp", "Wanica"}, {"Nieuw Nickerie", "Nickerie"}, {"Moengo", "Marowijne"}, {"Albina", "Marowijne"}, {"Nieuw Amsterdam", "Commewijne"}, {"Groningen", "Saramacca"}, {"Totness", "Coronie"}, {"Onverwacht", "Para"}, {"Brokopondo", "Brokopondo"}, {"Domburg", "Wanica"}},
		landmarks:  []string{"Switi", "Bigi", "Mi Kondre", "Fu Wi", "Brownsberg", "Coppename", "Tapanahony", "Kabalebo", "Bigi Pan", "Saramacca", "Commewijne"},
		areaWeight: map[string]float64{"Paramaribo": 10, "Wanica": 5, "Nickerie": 2, "Commewijne": 1.5, "Para": 1.5, "Sipaliwini": 0.5, "Coronie": 0.5, "Brokopondo": 0.7},
		themes:     []string{"rice", "fruits", "agrofood", "honey", "coconut", "shrimp", "fish", "aquaculture", "ecotourism", "heritage", "community", "crafts", "music", "software", "forest", "herbal", "cosmetics"},
		emphasis:   map[string]float64{"natural_products": 1.5}},
	{iso3: "TTO", lang: "en", weight: 12, dial: "+1 868",
		towns: []town{{"Port of Spain", "Port of Spain"}, {"San Fernando", "San Fernando"}, {"Chaguanas", "Chaguanas"}, {"Arima", "Arima"}, {"Scarborough", "Tobago"}, {"Couva", "Couva-Tabaquite-Talparo"}, {"Tunapuna", "Tunapuna-Piarco"}, {"Point Fortin", "Point Fortin"},
			{"Sangre Grande", "Sangre Grande"}, {"Princes Town", "Princes Town"}, {"Siparia", "Siparia"}, {"Diego Martin", "Diego Martin"}, {"Rio Claro", "Mayaro-Rio Claro"}, {"Penal", "Penal-Debe"}, {"Laventille", "San Juan-Laventille"}, {"Moruga", "Princes Town"}, {"Speyside", "Tobago"}, {"Gran Couva", "Couva-Tabaquite-Talparo"}},
		landmarks:  []string{"Maracas", "Northern Range", "Caroni", "Pitch Lake", "Tamana", "Paria", "Buccoo", "Chaguaramas", "Scarlet Ibis", "Immortelle", "Nariva"},
		areaWeight: map[string]float64{"Port of Spain": 5, "San Fernando": 4, "Chaguanas": 4, "Tunapuna-Piarco": 5, "San Juan-Laventille": 4, "Diego Martin": 3, "Couva-Tabaquite-Talparo": 3, "Tobago": 3},
		themes:     []string{"cocoa", "hotsauce", "agrofood", "fruits", "rum", "fish", "seamoss", "aquaculture", "tourism", "dive", "culinary", "carnival", "music", "film", "fashion", "software", "bpo", "herbal", "cosmetics"},
		emphasis:   map[string]float64{"creative": 1.7, "ict": 1.4, "tourism": 0.7}},
}

// defaultAreaWeight applies to areas a profile does not list.
const defaultAreaWeight = 1.0
