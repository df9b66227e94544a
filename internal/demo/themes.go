package demo

// text is a phrase in the four languages of the region.
type text struct{ en, es, fr, nl string }

func (t text) in(lang string) string {
	switch lang {
	case "es":
		return t.es
	case "fr":
		return t.fr
	case "nl":
		return t.nl
	}
	return t.en
}

// words are trade words per language, used to name firms.
type words struct{ en, es, fr, nl []string }

func (w words) in(lang string) []string {
	switch lang {
	case "es":
		return w.es
	case "fr":
		return w.fr
	case "nl":
		return w.nl
	}
	return w.en
}

// theme is a value chain that cluster initiatives form around.
type theme struct {
	key    string
	sector string
	// product names the chain inside a cluster name: "Cocoa and Chocolate",
	// "Cacao y Chocolate", "du cacao" (French keeps its article), "cacao".
	product text
	chain   text
	isic    []string // ISIC Rev.4 classes, the most typical first
	trades  words
}

// The sectors, with their share of the region's cluster initiatives.
var sectors = []struct {
	key   string
	share float64
}{
	{"agro_processing", 38}, {"tourism", 17}, {"creative", 12}, {"fisheries", 10},
	{"natural_products", 8}, {"ict", 8}, {"health_wellness", 7},
}

// themes lists every value chain; countries name the ones they have.
var themes = append(append([]*theme{}, foodThemes...), serviceThemes...)

// foodThemes are the agro-processing and fisheries chains.
var foodThemes = []*theme{
	{key: "cocoa", sector: "agro_processing", isic: []string{"1073", "0127"},
		product: text{"Cocoa and Chocolate", "Cacao y Chocolate", "du cacao", "cacao"},
		chain: text{"Cocoa growing, fermentation and drying, chocolate making, agri-tourism and specialty retail",
			"Cultivo de cacao, fermentación y secado, elaboración de chocolate, agroturismo y venta especializada",
			"Culture du cacao, fermentation et séchage, chocolaterie, agritourisme et vente spécialisée",
			"Cacaoteelt, fermentatie en drogen, chocolade maken, agrotoerisme en speciaalzaken"},
		trades: words{[]string{"Cocoa Company", "Chocolate Makers", "Cocoa Estates", "Cacao Growers"}, []string{"Cacao", "Chocolates", "Cacaotera", "Bombonería"},
			[]string{"Kakawo", "Chocolaterie", "Cacao"}, []string{"Cacao", "Chocolaterie", "Cacaoplantage"}}},
	{key: "coffee", sector: "agro_processing", isic: []string{"0127", "1079"},
		product: text{"Coffee", "Café", "du café", "koffie"},
		chain: text{"Coffee farming, pulping and drying, roasting and grading, export and coffee tourism",
			"Cultivo de café, despulpado y secado, tostado y clasificación, exportación y turismo cafetalero",
			"Caféiculture, dépulpage et séchage, torréfaction et triage, exportation et tourisme du café",
			"Koffieteelt, pulpen en drogen, branden en sorteren, export en koffietoerisme"},
		trades: words{[]string{"Coffee Company", "Coffee Roasters", "Coffee Estate", "Coffee Growers"}, []string{"Café", "Cafetalera", "Tostaduría"},
			[]string{"Kafe", "Café", "Torréfaction"}, []string{"Koffie", "Koffiebranderij"}}},
	{key: "hotsauce", sector: "agro_processing", isic: []string{"1079", "0128", "1030"},
		product: text{"Hot Pepper and Sauces", "Ají y Salsas Picantes", "du piment", "peper en sambal"},
		chain: text{"Pepper growing, washing and grading, sauce and condiment making, bottling and export",
			"Cultivo de ají, lavado y selección, elaboración de salsas, envasado y exportación",
			"Culture du piment, lavage et tri, fabrication de sauces, embouteillage et exportation",
			"Peperteelt, wassen en sorteren, sauzen en sambal maken, bottelen en export"},
		trades: words{[]string{"Pepper Sauce Company", "Hot Sauce Kitchen", "Condiments", "Pepper Farms"}, []string{"Salsas", "Ají", "Condimentos"},
			[]string{"Piman", "Sauces", "Condiments"}, []string{"Sambal", "Pepersaus"}}},
	{key: "spices", sector: "agro_processing", isic: []string{"0128", "1079"},
		product: text{"Nutmeg and Spices", "Especias", "des épices", "specerijen"},
		chain: text{"Spice growing, curing and processing, oils and extracts, packaging and export",
			"Cultivo de especias, curado y procesamiento, aceites y extractos, empaque y exportación",
			"Culture des épices, séchage et transformation, huiles et extraits, conditionnement et exportation",
			"Specerijenteelt, drogen en verwerken, oliën en extracten, verpakken en export"},
		trades: words{[]string{"Spice Company", "Spice Traders", "Nutmeg Estates", "Spice Processors"}, []string{"Especias", "Condimentos"},
			[]string{"Épices", "Zepis"}, []string{"Specerijen", "Kruiden"}}},
	{key: "fruits", sector: "agro_processing", isic: []string{"1030", "0122", "1104"},
		product: text{"Fruit Processing", "Frutas Procesadas", "des fruits transformés", "fruitverwerking"},
		chain: text{"Fruit growing, sorting and packing, juices, jams and dried fruit, distribution",
			"Cultivo de frutas, selección y empaque, jugos, dulces y frutas deshidratadas, distribución",
			"Culture fruitière, tri et conditionnement, jus, confitures et fruits séchés, distribution",
			"Fruitteelt, sorteren en verpakken, sappen, jam en gedroogd fruit, distributie"},
		trades: words{[]string{"Fruit Processors", "Juice Company", "Preserves", "Fruit Farms"}, []string{"Frutas", "Jugos", "Dulces", "Conservas"},
			[]string{"Ji", "Fruits", "Confitures"}, []string{"Vruchten", "Sappen", "Fruitbedrijf"}}},
	{key: "mango", sector: "agro_processing", isic: []string{"0122", "1030", "0163"},
		product: text{"Mango", "Mango", "de la mangue", "mango"},
		chain: text{"Mango orchards, post-harvest handling, fresh export and processing, logistics",
			"Plantaciones de mango, manejo poscosecha, exportación en fresco y procesamiento, logística",
			"Vergers de mangues, traitement post-récolte, exportation en frais et transformation, logistique",
			"Mangoboomgaarden, oogstverwerking, verse export en verwerking, logistiek"},
		trades: words{[]string{"Mango Growers", "Mango Exporters"}, []string{"Mangos", "Frutas Tropicales"},
			[]string{"Mango", "Mangues", "Fruits d'exportation"}, []string{"Mango"}}},
	{key: "banana", sector: "agro_processing", isic: []string{"0122", "0163"},
		product: text{"Organic Banana", "Banano Orgánico", "de la banane biologique", "biologische bananen"},
		chain: text{"Organic banana farming, certification, packing stations, export logistics",
			"Producción de banano orgánico, certificación, empacadoras, logística de exportación",
			"Culture de la banane biologique, certification, stations d'emballage, logistique d'exportation",
			"Biologische bananenteelt, certificering, pakstations, exportlogistiek"},
		trades: words{[]string{"Banana Growers", "Banana Exporters"}, []string{"Bananos", "Agroexportadora", "Bananera"},
			[]string{"Bannann", "Bananes"}, []string{"Bananen"}}},
	{key: "rum", sector: "agro_processing", isic: []string{"1101", "1072"},
		product: text{"Rum and Spirits", "Ron", "du rhum et du clairin", "rum"},
		chain: text{"Sugar cane, distilling and ageing, bottling and branding, distillery tourism",
			"Caña de azúcar, destilación y añejamiento, embotellado y marca, turismo de destilerías",
			"Canne à sucre, distillation et vieillissement, embouteillage et marque, tourisme des distilleries",
			"Suikerriet, distilleren en rijpen, bottelen en merk, distilleerderijtoerisme"},
		trades: words{[]string{"Distillers", "Rum Company", "Spirits"}, []string{"Ron", "Destilería", "Licores"},
			[]string{"Kleren", "Distillerie", "Rhumerie"}, []string{"Distilleerderij", "Rum"}}},
	{key: "dairy", sector: "agro_processing", isic: []string{"1050", "0141"},
		product: text{"Dairy", "Productos Lácteos", "du lait", "zuivel"},
		chain: text{"Dairy farming, milk collection, cheese and yoghurt making, cold-chain distribution",
			"Ganadería lechera, acopio de leche, quesos y yogures, distribución en frío",
			"Élevage laitier, collecte du lait, fromages et yaourts, distribution sous froid",
			"Melkveehouderij, melkinzameling, kaas en yoghurt, gekoelde distributie"},
		trades: words{[]string{"Dairies", "Dairy Farm", "Creamery"}, []string{"Productos Lácteos", "Lácteos", "Quesos"},
			[]string{"Laiterie", "Fromagerie", "Lèt"}, []string{"Zuivel", "Melkbedrijf"}}},
	{key: "roots", sector: "agro_processing", isic: []string{"1062", "0113", "1071"},
		product: text{"Root Crops and Arrowroot", "Yuca y Casabe", "du manioc", "cassave"},
		chain: text{"Root crop farming, peeling and grating, flour and starch, cassava bread and snacks",
			"Cultivo de raíces, pelado y rallado, harinas y almidón, casabe y snacks",
			"Culture de tubercules, épluchage et râpage, farines et amidon, cassave et collations",
			"Knolgewassenteelt, schillen en raspen, meel en zetmeel, cassavebrood en snacks"},
		trades: words{[]string{"Cassava Products", "Root Crops", "Starch Company", "Farm Foods"}, []string{"Casabe", "Yuca", "Harinas"},
			[]string{"Kasav", "Manioc", "Farines"}, []string{"Cassave", "Kasavebakkerij"}}},
	{key: "rice", sector: "agro_processing", isic: []string{"1061", "0112", "0163"},
		product: text{"Rice", "Arroz", "du riz", "rijst"},
		chain: text{"Paddy farming, milling and parboiling, packaging, regional export",
			"Cultivo de arroz, molinado y sancochado, empaque, exportación regional",
			"Riziculture, décorticage et étuvage, conditionnement, exportation régionale",
			"Padieteelt, pellen en voorkoken, verpakken, regionale export"},
		trades: words{[]string{"Rice Mill", "Rice Growers", "Paddy Farms"}, []string{"Arrocera", "Molino"},
			[]string{"Diri", "Rizerie"}, []string{"Rijstpelmolen", "Rijstbedrijf"}}},
	{key: "honey", sector: "agro_processing", isic: []string{"0149", "1079"},
		product: text{"Honey and Bee Products", "Miel", "du miel", "honing"},
		chain: text{"Beekeeping, honey extraction, bottling and labelling, wax and propolis products",
			"Apicultura, extracción de miel, envasado y etiquetado, cera y propóleo",
			"Apiculture, extraction du miel, mise en pot et étiquetage, cire et propolis",
			"Bijenteelt, honingwinning, bottelen en etiketteren, was en propolis"},
		trades: words{[]string{"Apiaries", "Honey Company", "Bee Farm"}, []string{"Miel", "Apícola"},
			[]string{"Myèl", "Miel", "Rucher"}, []string{"Imkerij", "Honing"}}},
	{key: "coconut", sector: "agro_processing", isic: []string{"1040", "0126", "1079"},
		product: text{"Coconut", "Coco", "de la noix de coco", "kokos"},
		chain: text{"Coconut growing, copra and virgin oil, coconut water, snacks and by-products",
			"Cultivo de coco, copra y aceite virgen, agua de coco, snacks y subproductos",
			"Culture du cocotier, coprah et huile vierge, eau de coco, collations et sous-produits",
			"Kokosteelt, kopra en virgin olie, kokoswater, snacks en bijproducten"},
		trades: words{[]string{"Coconut Products", "Coconut Oil Company", "Copra Traders"}, []string{"Coco", "Aceites"},
			[]string{"Kokoye", "Coco"}, []string{"Kokos", "Kokosolie"}}},
	{key: "agrofood", sector: "agro_processing", isic: []string{"1079", "1030", "1075"},
		product: text{"Agro-food Processing", "Agroindustria", "de l'agro-transformation", "agro-verwerking"},
		chain: text{"Farm produce, processing and preserving, packaging and labelling, supermarket and hotel supply",
			"Producción agrícola, procesamiento y conservación, empaque y etiquetado, venta a supermercados y hoteles",
			"Production agricole, transformation et conservation, emballage et étiquetage, vente aux supermarchés et hôtels",
			"Landbouwproductie, verwerken en conserveren, verpakken en etiketteren, levering aan supermarkten en hotels"},
		trades: words{[]string{"Foods", "Agro-processors", "Food Products", "Farm Products", "Kitchens"}, []string{"Alimentos", "Agroindustrias", "Productos", "Procesadora"},
			[]string{"Manje", "Aliments", "Agro-transformation"}, []string{"Voedingsmiddelen", "Agro", "Levensmiddelen"}}},
	{key: "fish", sector: "fisheries", isic: []string{"0311", "1020"},
		product: text{"Fisheries", "Pesca", "de la pêche", "visserij"},
		chain: text{"Artisanal and pelagic fishing, landing sites, processing and cold storage, hotel and export markets",
			"Pesca artesanal y pelágica, desembarcaderos, procesamiento y frío, mercados hoteleros y de exportación",
			"Pêche artisanale et pélagique, débarcadères, transformation et froid, marchés hôteliers et d'exportation",
			"Ambachtelijke en pelagische visserij, aanlandplaatsen, verwerking en koeling, hotel- en exportmarkten"},
		trades: words{[]string{"Fisheries", "Seafood", "Fish Market", "Fishing Company"}, []string{"Pescadería", "Mariscos", "Pesquera"},
			[]string{"Pêcherie", "Pwason", "Fruits de mer"}, []string{"Visserij", "Visbedrijf", "Vishandel"}}},
	{key: "lobster", sector: "fisheries", isic: []string{"0311", "1020", "4630"},
		product: text{"Lobster and Conch", "Langosta", "du homard et du lambi", "kreeft"},
		chain: text{"Spiny lobster and conch harvesting, processing plants, traceability, export",
			"Captura de langosta y lambí, plantas de proceso, trazabilidad, exportación",
			"Pêche du homard et du lambi, usines de transformation, traçabilité, exportation",
			"Kreeft- en schelpenvangst, verwerkingsbedrijven, traceerbaarheid, export"},
		trades: words{[]string{"Seafood Exporters", "Lobster Company", "Marine Products"}, []string{"Langostas", "Mariscos"},
			[]string{"Homard", "Langouste"}, []string{"Kreeft"}}},
	{key: "seamoss", sector: "fisheries", isic: []string{"0321", "1079"},
		product: text{"Sea Moss and Seaweed", "Algas Marinas", "des algues", "zeewier"},
		chain: text{"Seaweed farming, drying and cleaning, gels and beverages, export",
			"Cultivo de algas, secado y limpieza, geles y bebidas, exportación",
			"Culture d'algues, séchage et nettoyage, gels et boissons, exportation",
			"Zeewierteelt, drogen en reinigen, gels en dranken, export"},
		trades: words{[]string{"Sea Moss Company", "Seaweed Farms", "Marine Botanicals"}, []string{"Algas", "Musgo Marino"},
			[]string{"Alg", "Algues"}, []string{"Zeewier"}}},
	{key: "aquaculture", sector: "fisheries", isic: []string{"0322", "0321", "1020"},
		product: text{"Aquaculture", "Acuicultura", "de l'aquaculture", "aquacultuur"},
		chain: text{"Hatcheries and feed, pond and cage farming, processing, domestic and export sales",
			"Criaderos y alimento, cultivo en estanques y jaulas, procesamiento, ventas locales y de exportación",
			"Écloseries et aliments, élevage en bassins et en cages, transformation, ventes locales et à l'export",
			"Broedhuizen en voer, vijver- en kooiteelt, verwerking, binnenlandse en exportverkoop"},
		trades: words{[]string{"Aquafarms", "Fish Farm", "Aquaculture"}, []string{"Acuícola", "Piscicultura"},
			[]string{"Pisciculture", "Aquaculture"}, []string{"Viskwekerij", "Aquacultuur"}}},
	{key: "shrimp", sector: "fisheries", isic: []string{"1020", "0311", "0321"},
		product: text{"Shrimp and Seafood", "Camarón", "de la crevette", "garnalen"},
		chain: text{"Trawling and shrimp farming, processing plants, cold chain, export",
			"Pesca y cultivo de camarón, plantas de proceso, cadena de frío, exportación",
			"Pêche et élevage de crevettes, usines de transformation, chaîne du froid, exportation",
			"Garnalenvangst en -kweek, verwerkingsbedrijven, koelketen, export"},
		trades: words{[]string{"Shrimp Company", "Seafood Processors"}, []string{"Camaronera"},
			[]string{"Chevrèt", "Crevettes"}, []string{"Garnalen", "Garnalenkwekerij"}}},
}
