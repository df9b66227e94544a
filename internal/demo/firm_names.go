package demo

import "strings"

// otherIndustries are the ordinary businesses outside the cluster
// initiatives' value chains, with their relative frequency.
var otherIndustries = []struct {
	isic   string
	weight float64
	trades words
}{
	{"4711", 5, words{[]string{"Supermarket", "Mini Mart", "Grocery"}, []string{"Supermercado", "Colmado", "Minimarket"}, []string{"Boutik", "Supermarché", "Épicerie"}, []string{"Supermarkt", "Winkel", "Toko"}}},
	{"4100", 2, words{[]string{"Construction", "Builders", "Contractors"}, []string{"Constructora", "Construcciones"}, []string{"Construction", "Bâtiment"}, []string{"Bouwbedrijf", "Aannemersbedrijf"}}},
	{"4520", 2, words{[]string{"Auto Repairs", "Motors", "Garage"}, []string{"Taller Mecánico", "Auto Servicios"}, []string{"Garage", "Mécanique"}, []string{"Autoservice", "Garage"}}},
	{"6920", 1, words{[]string{"Accounting Services", "Associates", "Tax Advisory"}, []string{"Contadores", "Asesores Fiscales"}, []string{"Cabinet comptable", "Fiscalité"}, []string{"Administratiekantoor", "Accountants"}}},
	{"7020", 1, words{[]string{"Consulting", "Advisory", "Management Consultants"}, []string{"Consultoría", "Asesores"}, []string{"Conseil", "Consultation"}, []string{"Adviesbureau", "Consultancy"}}},
	{"4923", 1.5, words{[]string{"Haulage", "Trucking", "Logistics"}, []string{"Transporte", "Logística"}, []string{"Transport", "Logistique"}, []string{"Transport", "Logistiek"}}},
	{"1071", 2, words{[]string{"Bakery", "Pastries"}, []string{"Panadería", "Repostería"}, []string{"Boulangerie", "Pen"}, []string{"Bakkerij"}}},
	{"9602", 2, words{[]string{"Hair Studio", "Salon", "Barber Shop"}, []string{"Salón de Belleza", "Barbería"}, []string{"Salon de coiffure", "Bèlte"}, []string{"Kapsalon", "Barbershop"}}},
	{"1811", 1, words{[]string{"Printers", "Print Shop", "Graphics"}, []string{"Imprenta", "Artes Gráficas"}, []string{"Imprimerie"}, []string{"Drukkerij"}}},
	{"3100", 1, words{[]string{"Furniture", "Woodworks", "Joinery"}, []string{"Muebles", "Ebanistería"}, []string{"Ébénisterie", "Meubles"}, []string{"Meubelmakerij", "Houtbewerking"}}},
	{"4322", 1, words{[]string{"Electrical Services", "Plumbing"}, []string{"Instalaciones Eléctricas"}, []string{"Électricité"}, []string{"Installatiebedrijf"}}},
}

// firmName invents a name the way firms in the country name themselves:
// after a place, a landmark, the family or the owner, with the trade word
// before the name in Spanish, French and Dutch and after it in English.
func (g *gen) firmName(r *rng, c *country, a area, trades []string, sector string, owner person) string {
	place := townIn(r, c, a)
	fam := peopleNames[c.lang].family
	for attempt := 0; attempt < 12; attempt++ {
		trade := pick(r, trades)
		var name string
		switch c.lang {
		case "es":
			x := []string{place, pick(r, c.landmarks), pick(r, fam), "Hermanos " + pick(r, fam), donDona(owner), pick(r, fam) + " & Asociados"}
			name = trade + " " + x[r.weighted([]float64{3, 3, 3, 1, 1, 0.5})]
			if r.chance(0.4) {
				name += ", SRL"
			}
		case "fr":
			switch r.weighted([]float64{3, 3, 3, 1, 1}) {
			case 0:
				name = trade + " " + place
			case 1:
				name = trade + " " + pick(r, c.landmarks)
			case 2:
				name = trade + " " + pick(r, fam)
			case 3:
				name = trade + " " + pick(r, fam) + " et Fils"
			default:
				name = "Atelier " + place + " " + trade
				if sector == "agro_processing" || sector == "fisheries" {
					name = "Koperativ " + trade + " " + place
				}
			}
			if r.chance(0.1) {
				name += " S.A."
			}
		case "nl":
			switch r.weighted([]float64{3, 3, 3}) {
			case 0:
				name = trade + " " + pick(r, fam)
			case 1:
				name = trade + " " + place
			default:
				name = pick(r, c.landmarks) + " " + trade
			}
			if r.chance(0.35) {
				name += " N.V."
			}
		default:
			switch r.weighted([]float64{3, 3, 3, 0.6, 0.4, 1}) {
			case 0:
				name = place + " " + trade
			case 1:
				name = pick(r, c.landmarks) + " " + trade
			case 2:
				name = pick(r, fam) + " " + trade
			case 3:
				name = pick(r, fam) + " & Sons " + trade
			case 4:
				name = pick(r, fam) + " Brothers " + trade
			default:
				name = owner.given + "'s " + trade
			}
			switch x := r.float(); {
			case x < 0.2:
				name += " Ltd"
			case x < 0.25:
				name += " Limited"
			}
		}
		if !g.orgNames[orgKey(name)] {
			return name
		}
	}
	return g.uniqueOrgName(pick(r, fam)+" "+pick(r, trades), place)
}

// townIn returns a town in the area, or the area's own name when no listed
// town lies in it.
func townIn(r *rng, c *country, a area) string {
	var in []string
	for _, t := range c.towns {
		if t.area == a.name {
			in = append(in, t.name)
		}
	}
	if len(in) == 0 {
		return a.name
	}
	return pick(r, in)
}

func donDona(p person) string {
	if p.female {
		return "Doña " + p.given
	}
	return "Don " + p.given
}

// legalSuffixes are the company-form endings the names may carry.
var legalSuffixes = []string{" Ltd", " Limited", ", SRL", " S.A.", " N.V."}

// website invents a firm's web address at a reserved domain, without the
// company form.
func website(name string) string {
	for _, s := range legalSuffixes {
		name = strings.TrimSuffix(name, s)
	}
	return "https://www." + slug(name) + ".example.com"
}
