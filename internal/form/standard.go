package form

import (
	"fmt"
	"slices"
)

// The languages of the standard templates, named as XLSForm columns name
// them.
const (
	langEN = "English (en)"
	langES = "Español (es)"
	langFR = "Français (fr)"
	langNL = "Nederlands (nl)"
)

var templateLanguages = []string{langEN, langES, langFR, langNL}

// tr is a text in the four languages of the platform.
func tr(en, es, fr, nl string) Text { return Text{langEN: en, langES: es, langFR: fr, langNL: nl} }

// Template is a standard form shipped with the platform.
type Template struct {
	// Name is the template's key in URLs (firm_results).
	Name string
	// Key is the message key of its description.
	Key string
	def func() *Definition
}

// Definition returns a fresh copy of the template's definition.
func (t Template) Definition() *Definition { return t.def() }

// Workbook returns the template as an XLSForm workbook.
func (t Template) Workbook() ([]byte, error) { return WriteXLSForm(t.def()) }

// Standard lists the standard forms: the annual firm results survey and the
// quarterly cluster progress report.
var Standard = []Template{
	{Name: "firm_results", Key: "form.template.firm_results", def: firmResults},
	{Name: "cluster_progress", Key: "form.template.cluster_progress", def: clusterProgress},
}

// StandardByName returns a standard template.
func StandardByName(name string) (Template, bool) {
	i := slices.IndexFunc(Standard, func(t Template) bool { return t.Name == name })
	if i < 0 {
		return Template{}, false
	}
	return Standard[i], true
}

// builder assembles a definition, keeping paths and nesting.
type builder struct {
	def   *Definition
	stack []Field
	ends  int // end group and end repeat rows so far, for row numbers
}

func newBuilder(id string, title Text, version string) *builder {
	return &builder{def: &Definition{FormID: id, Title: title[langEN], Version: version, DefaultLanguage: langEN,
		Languages: slices.Clone(templateLanguages)}}
}

func (b *builder) add(f Field) {
	parent := "/" + b.def.FormID
	if n := len(b.stack); n > 0 {
		top := b.stack[n-1]
		parent, f.Parent, f.Repeat = top.Path, top.Path, top.Repeat
		if top.Type == TypeRepeat {
			f.Repeat = top.Path
		}
	}
	f.Path = parent + "/" + f.Name
	f.Row = len(b.def.Fields) + 2 + b.ends
	b.def.Fields = append(b.def.Fields, f)
	if f.Type.IsContainer() {
		b.stack = append(b.stack, f)
	}
}

func (b *builder) end() {
	b.stack = b.stack[:len(b.stack)-1]
	b.ends++
}

func (b *builder) list(name string, choices ...Choice) {
	b.def.ChoiceLists = append(b.def.ChoiceLists, ChoiceList{Name: name, Choices: choices})
}

func (b *builder) done() *Definition {
	if len(b.stack) != 0 {
		panic(fmt.Sprintf("template %s: %d groups left open", b.def.FormID, len(b.stack)))
	}
	return b.def
}

var nonNegative = tr("Enter zero or more.", "Introduzca cero o más.", "Saisissez zéro ou plus.", "Vul nul of meer in.")

func firmResults() *Definition {
	b := newBuilder("firm_results", tr("Annual firm results survey", "Encuesta anual de resultados de empresas",
		"Enquête annuelle sur les résultats des entreprises", "Jaarlijkse enquête naar bedrijfsresultaten"), "2026.1")
	b.add(Field{Name: "intro", Type: TypeNote, Label: tr(
		"This survey asks for your firm's results over the last full year. Your answers are kept confidential and reported only in totals.",
		"Esta encuesta pide los resultados de su empresa en el último año completo. Sus respuestas son confidenciales y solo se publican en totales.",
		"Cette enquête porte sur les résultats de votre entreprise au cours de la dernière année complète. Vos réponses restent confidentielles et ne sont publiées qu'en totaux.",
		"Deze enquête vraagt naar de resultaten van uw bedrijf over het laatste volledige jaar. Uw antwoorden blijven vertrouwelijk en worden alleen als totalen gepubliceerd.")})
	b.add(Field{Name: "firm_name", Type: TypeText, Required: true, Label: tr("Name of the firm", "Nombre de la empresa", "Nom de l'entreprise", "Naam van het bedrijf")})
	b.add(Field{Name: "year", Type: TypeInteger, Required: true, Constraint: ". >= 2000 and . <= 2100",
		Label:             tr("Year the results refer to", "Año al que se refieren los resultados", "Année à laquelle se rapportent les résultats", "Jaar waarop de resultaten betrekking hebben"),
		ConstraintMessage: tr("Enter a year such as 2025.", "Introduzca un año como 2025.", "Saisissez une année, par exemple 2025.", "Vul een jaar in, bijvoorbeeld 2025.")})
	b.add(Field{Name: "employment", Type: TypeGroup, Label: tr("Employment", "Empleo", "Emploi", "Werkgelegenheid")})
	b.add(Field{Name: "employees_total", Type: TypeInteger, Required: true, Constraint: ". >= 0", ConstraintMessage: nonNegative,
		Label: tr("Employees at the end of the year (total)", "Empleados al final del año (total)", "Salariés en fin d'année (total)", "Werknemers aan het eind van het jaar (totaal)"),
		Hint:  tr("Count full-time and part-time employees, including the owners who work in the firm.", "Cuente los empleados a tiempo completo y parcial, incluidos los propietarios que trabajan en la empresa.", "Comptez les salariés à temps plein et à temps partiel, y compris les propriétaires qui travaillent dans l'entreprise.", "Tel voltijdse en deeltijdse werknemers, inclusief eigenaren die in het bedrijf werken.")})
	b.add(Field{Name: "employees_women", Type: TypeInteger, Required: true, Constraint: ". >= 0 and . <= ${employees_total}",
		Label:             tr("Of whom women", "De los cuales mujeres", "Dont femmes", "Van wie vrouwen"),
		ConstraintMessage: tr("Women cannot outnumber all employees.", "Las mujeres no pueden superar el total de empleados.", "Les femmes ne peuvent pas dépasser le total des salariés.", "Het aantal vrouwen kan niet groter zijn dan het totaal.")})
	b.add(Field{Name: "employees_youth", Type: TypeInteger, Required: true, Constraint: ". >= 0 and . <= ${employees_total}",
		Label:             tr("Of whom young people (15–35 years old)", "De los cuales jóvenes (15 a 35 años)", "Dont jeunes (15 à 35 ans)", "Van wie jongeren (15 tot 35 jaar)"),
		ConstraintMessage: tr("Young employees cannot outnumber all employees.", "Los jóvenes no pueden superar el total de empleados.", "Les jeunes ne peuvent pas dépasser le total des salariés.", "Het aantal jongeren kan niet groter zijn dan het totaal.")})
	b.add(Field{Name: "jobs_created", Type: TypeInteger, Required: true, Constraint: ". >= 0", ConstraintMessage: nonNegative,
		Label: tr("New jobs created during the year", "Empleos nuevos creados durante el año", "Nouveaux emplois créés pendant l'année", "Nieuwe banen gecreëerd tijdens het jaar")})
	b.end()
	b.add(Field{Name: "finance", Type: TypeGroup, Label: tr("Sales and investment", "Ventas e inversión", "Ventes et investissement", "Omzet en investeringen")})
	usd := tr("In US dollars, for the whole year.", "En dólares estadounidenses, para todo el año.", "En dollars américains, pour toute l'année.", "In Amerikaanse dollar, voor het hele jaar.")
	b.add(Field{Name: "revenue", Type: TypeDecimal, Required: true, Constraint: ". >= 0", ConstraintMessage: nonNegative, Hint: usd,
		Label: tr("Revenue (sales)", "Ingresos (ventas)", "Chiffre d'affaires", "Omzet")})
	b.add(Field{Name: "exports", Type: TypeDecimal, Required: true, Constraint: ". >= 0 and . <= ${revenue}", Hint: usd,
		Label:             tr("Of which exports", "De los cuales exportaciones", "Dont exportations", "Waarvan export"),
		ConstraintMessage: tr("Exports cannot exceed revenue.", "Las exportaciones no pueden superar los ingresos.", "Les exportations ne peuvent pas dépasser le chiffre d'affaires.", "De export kan niet groter zijn dan de omzet.")})
	b.add(Field{Name: "investment", Type: TypeDecimal, Constraint: ". >= 0", ConstraintMessage: nonNegative, Hint: usd,
		Label: tr("Investment in equipment, buildings and technology", "Inversión en equipos, edificios y tecnología", "Investissement en équipements, bâtiments et technologies", "Investeringen in apparatuur, gebouwen en technologie")})
	b.end()
	b.add(Field{Name: "new_products_markets", Type: TypeSelectMultiple, ChoiceList: "innovation", Appearance: "minimal",
		Constraint: "not(selected(., 'none') and count-selected(.) > 1)",
		Label:      tr("During the year, did the firm introduce…", "Durante el año, ¿la empresa introdujo…", "Au cours de l'année, l'entreprise a-t-elle introduit…", "Heeft het bedrijf tijdens het jaar het volgende ingevoerd…"),
		ConstraintMessage: tr("“None of these” cannot be chosen with another answer.", "«Ninguno» no puede elegirse junto con otra respuesta.",
			"« Aucun » ne peut pas être choisi avec une autre réponse.", "‘Geen van deze’ kan niet samen met een ander antwoord gekozen worden.")})
	b.add(Field{Name: "certifications", Type: TypeInteger, Constraint: ". >= 0", ConstraintMessage: nonNegative,
		Label: tr("Certifications obtained during the year", "Certificaciones obtenidas durante el año", "Certifications obtenues pendant l'année", "Certificeringen behaald tijdens het jaar"),
		Hint:  tr("Such as ISO 9001, HACCP, organic or Fairtrade; renewals do not count.", "Como ISO 9001, HACCP, orgánico o comercio justo; las renovaciones no cuentan.", "Par exemple ISO 9001, HACCP, bio ou commerce équitable ; les renouvellements ne comptent pas.", "Zoals ISO 9001, HACCP, biologisch of Fairtrade; verlengingen tellen niet.")})
	b.add(Field{Name: "certification_names", Type: TypeText, Relevant: "${certifications} > 0",
		Label: tr("Which certifications?", "¿Qué certificaciones?", "Quelles certifications ?", "Welke certificeringen?")})
	b.add(Field{Name: "partners", Type: TypeRepeat, Label: tr("Cooperation partners", "Socios de cooperación", "Partenaires de coopération", "Samenwerkingspartners"),
		Hint: tr("Add one entry for each organisation the firm cooperated with during the year.", "Añada una entrada por cada organización con la que la empresa cooperó durante el año.", "Ajoutez une entrée par organisation avec laquelle l'entreprise a coopéré pendant l'année.", "Voeg een regel toe voor elke organisatie waarmee het bedrijf dit jaar heeft samengewerkt.")})
	b.add(Field{Name: "partner_name", Type: TypeText, Required: true, Label: tr("Name of the organisation", "Nombre de la organización", "Nom de l'organisation", "Naam van de organisatie")})
	b.add(Field{Name: "partner_type", Type: TypeSelectOne, ChoiceList: "partner_type", Required: true,
		Label: tr("Type of organisation", "Tipo de organización", "Type d'organisation", "Soort organisatie")})
	b.add(Field{Name: "cooperation_kind", Type: TypeSelectMultiple, ChoiceList: "cooperation_kind", Required: true,
		Label: tr("Kind of cooperation", "Tipo de cooperación", "Type de coopération", "Soort samenwerking")})
	b.end()
	b.add(Field{Name: "partner_count", Type: TypeCalculate, Calculation: "count(${partners})"})
	b.add(Field{Name: "comments", Type: TypeText, Appearance: "multiline",
		Label: tr("Anything else you would like to tell us", "¿Algo más que quiera contarnos?", "Autre chose à nous dire ?", "Wilt u ons nog iets anders vertellen?")})
	b.list("innovation",
		Choice{Name: "new_product", Label: tr("A new product or service", "Un producto o servicio nuevo", "Un nouveau produit ou service", "Een nieuw product of nieuwe dienst")},
		Choice{Name: "new_domestic_market", Label: tr("A new market at home", "Un mercado nuevo en el país", "Un nouveau marché national", "Een nieuwe markt in eigen land")},
		Choice{Name: "new_export_market", Label: tr("A new export market", "Un mercado de exportación nuevo", "Un nouveau marché d'exportation", "Een nieuwe exportmarkt")},
		Choice{Name: "new_process", Label: tr("A new production process", "Un proceso de producción nuevo", "Un nouveau procédé de production", "Een nieuw productieproces")},
		Choice{Name: "none", Label: tr("None of these", "Ninguno", "Aucun", "Geen van deze")})
	b.list("partner_type",
		Choice{Name: "firm", Label: tr("Firm", "Empresa", "Entreprise", "Bedrijf")},
		Choice{Name: "bso", Label: tr("Business support organisation", "Organización de apoyo empresarial", "Organisation d'appui aux entreprises", "Bedrijfsondersteunende organisatie")},
		Choice{Name: "research", Label: tr("University or research centre", "Universidad o centro de investigación", "Université ou centre de recherche", "Universiteit of onderzoekscentrum")},
		Choice{Name: "government", Label: tr("Government agency", "Organismo público", "Administration publique", "Overheidsinstantie")},
		Choice{Name: "finance", Label: tr("Bank or investor", "Banco o inversor", "Banque ou investisseur", "Bank of investeerder")},
		Choice{Name: "other", Label: tr("Other", "Otro", "Autre", "Anders")})
	b.list("cooperation_kind",
		Choice{Name: "joint_project", Label: tr("Joint project", "Proyecto conjunto", "Projet commun", "Gezamenlijk project")},
		Choice{Name: "supply", Label: tr("Buying or supplying", "Compra o suministro", "Achat ou fourniture", "Inkoop of levering")},
		Choice{Name: "knowledge_exchange", Label: tr("Knowledge exchange or training", "Intercambio de conocimientos o formación", "Échange de connaissances ou formation", "Kennisuitwisseling of opleiding")},
		Choice{Name: "joint_marketing", Label: tr("Joint marketing or sales", "Comercialización o ventas conjuntas", "Marketing ou ventes en commun", "Gezamenlijke marketing of verkoop")},
		Choice{Name: "formal_agreement", Label: tr("Formal agreement", "Acuerdo formal", "Accord formel", "Formele overeenkomst")})
	return b.done()
}

func clusterProgress() *Definition {
	b := newBuilder("cluster_progress", tr("Quarterly cluster progress report", "Informe trimestral de avance del clúster",
		"Rapport trimestriel d'avancement du cluster", "Kwartaalrapport over de voortgang van het cluster"), "2026.1")
	b.add(Field{Name: "cluster_name", Type: TypeText, Required: true, Label: tr("Cluster initiative", "Iniciativa de clúster", "Initiative de cluster", "Clusterinitiatief")})
	b.add(Field{Name: "year", Type: TypeInteger, Required: true, Constraint: ". >= 2000 and . <= 2100",
		Label:             tr("Year", "Año", "Année", "Jaar"),
		ConstraintMessage: tr("Enter a year such as 2025.", "Introduzca un año como 2025.", "Saisissez une année, par exemple 2025.", "Vul een jaar in, bijvoorbeeld 2025.")})
	b.add(Field{Name: "quarter", Type: TypeSelectOne, ChoiceList: "quarter", Required: true, Label: tr("Quarter", "Trimestre", "Trimestre", "Kwartaal")})
	b.add(Field{Name: "activities", Type: TypeGroup, Label: tr("Activities", "Actividades", "Activités", "Activiteiten")})
	b.add(Field{Name: "activities_held", Type: TypeInteger, Required: true, Constraint: ". >= 0", ConstraintMessage: nonNegative,
		Label: tr("Activities held in the quarter", "Actividades realizadas en el trimestre", "Activités réalisées au cours du trimestre", "Activiteiten gehouden in het kwartaal"),
		Hint:  tr("Workshops, trainings, missions, fairs and meetings of the cluster.", "Talleres, capacitaciones, misiones, ferias y reuniones del clúster.", "Ateliers, formations, missions, salons et réunions du cluster.", "Workshops, trainingen, missies, beurzen en bijeenkomsten van het cluster.")})
	b.add(Field{Name: "participants_total", Type: TypeInteger, Required: true, Constraint: ". >= 0", ConstraintMessage: nonNegative,
		Label: tr("Participants (total)", "Participantes (total)", "Participants (total)", "Deelnemers (totaal)")})
	b.add(Field{Name: "participants_women", Type: TypeInteger, Constraint: ". >= 0 and . <= ${participants_total}",
		Label:             tr("Of whom women", "De los cuales mujeres", "Dont femmes", "Van wie vrouwen"),
		ConstraintMessage: tr("Women cannot outnumber all participants.", "Las mujeres no pueden superar el total de participantes.", "Les femmes ne peuvent pas dépasser le total des participants.", "Het aantal vrouwen kan niet groter zijn dan het totaal.")})
	b.end()
	b.add(Field{Name: "milestones_reached", Type: TypeInteger, Required: true, Constraint: ". >= 0", ConstraintMessage: nonNegative,
		Label: tr("Plan milestones reached in the quarter", "Hitos del plan alcanzados en el trimestre", "Jalons du plan atteints au cours du trimestre", "Mijlpalen van het plan bereikt in het kwartaal")})
	b.add(Field{Name: "spending", Type: TypeDecimal, Required: true, Constraint: ". >= 0", ConstraintMessage: nonNegative,
		Label: tr("Spending in the quarter", "Gasto en el trimestre", "Dépenses du trimestre", "Uitgaven in het kwartaal"),
		Hint:  tr("In US dollars, all funding sources together.", "En dólares estadounidenses, todas las fuentes de financiación juntas.", "En dollars américains, toutes sources de financement confondues.", "In Amerikaanse dollar, alle financieringsbronnen samen.")})
	b.add(Field{Name: "issues", Type: TypeSelectMultiple, ChoiceList: "issue", Required: true,
		Constraint: "not(selected(., 'none') and count-selected(.) > 1)",
		Label:      tr("Issues met in the quarter", "Problemas encontrados en el trimestre", "Difficultés rencontrées au cours du trimestre", "Problemen in het kwartaal"),
		ConstraintMessage: tr("“No issues” cannot be chosen with another answer.", "«Sin problemas» no puede elegirse junto con otra respuesta.",
			"« Aucune difficulté » ne peut pas être choisi avec une autre réponse.", "‘Geen problemen’ kan niet samen met een ander antwoord gekozen worden.")})
	b.add(Field{Name: "issues_detail", Type: TypeText, Appearance: "multiline", Relevant: "not(selected(${issues}, 'none'))",
		Label: tr("Describe the issues and what is being done about them", "Describa los problemas y qué se está haciendo al respecto", "Décrivez les difficultés et ce qui est fait pour y remédier", "Beschrijf de problemen en wat eraan wordt gedaan")})
	b.add(Field{Name: "next_steps", Type: TypeText, Appearance: "multiline",
		Label: tr("Main steps planned for the next quarter", "Principales acciones previstas para el próximo trimestre", "Principales étapes prévues pour le prochain trimestre", "Belangrijkste stappen voor het volgende kwartaal")})
	b.list("quarter",
		Choice{Name: "q1", Label: tr("January–March", "Enero–marzo", "Janvier–mars", "Januari–maart")},
		Choice{Name: "q2", Label: tr("April–June", "Abril–junio", "Avril–juin", "April–juni")},
		Choice{Name: "q3", Label: tr("July–September", "Julio–septiembre", "Juillet–septembre", "Juli–september")},
		Choice{Name: "q4", Label: tr("October–December", "Octubre–diciembre", "Octobre–décembre", "Oktober–december")})
	b.list("issue",
		Choice{Name: "none", Label: tr("No issues", "Sin problemas", "Aucune difficulté", "Geen problemen")},
		Choice{Name: "delays", Label: tr("Delays", "Retrasos", "Retards", "Vertragingen")},
		Choice{Name: "funding", Label: tr("Funding", "Financiación", "Financement", "Financiering")},
		Choice{Name: "participation", Label: tr("Low participation of firms", "Baja participación de empresas", "Faible participation des entreprises", "Weinig deelname van bedrijven")},
		Choice{Name: "procurement", Label: tr("Procurement", "Adquisiciones", "Passation de marchés", "Aanbesteding")},
		Choice{Name: "other", Label: tr("Other", "Otro", "Autre", "Anders")})
	return b.done()
}
