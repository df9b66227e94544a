package demo

import (
	"encoding/json"
	"fmt"
	"html"
	"math"
	"strings"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/openrosa"
)

// The answers of the demo's returns: the firm survey's figures come from
// the initiatives' shares (campaigns.go), the rest is drawn from the
// firm's profile; ODK Collect's returns are written as the XML instance it
// sends and read back the way the OpenRosa endpoint reads them.

// certificationNames are what firms certify to.
var certificationNames = []string{"ISO 9001", "HACCP", "ISO 22000", "Organic (USDA NOP)", "Fairtrade", "GlobalG.A.P.",
	"Sustainable tourism (Blue Flag)"}

// surveyComments are what some firms add at the end, in their language.
var surveyComments = []text{
	{"Sales picked up after the cluster's trade fair.", "Las ventas mejoraron después de la feria del clúster.",
		"Les ventes ont repris après le salon du cluster.", "De verkoop trok aan na de beurs van het cluster."},
	{"Shipping costs to Europe are still our main problem.", "Los costos de envío a Europa siguen siendo nuestro principal problema.",
		"Les frais d'expédition vers l'Europe restent notre principal problème.", "De verzendkosten naar Europa blijven ons grootste probleem."},
	{"We would like more training in digital marketing.", "Nos gustaría más capacitación en mercadeo digital.",
		"Nous aimerions davantage de formations au marketing numérique.", "We zouden graag meer training in digitale marketing krijgen."},
	{"Two staff left for jobs abroad; we are training new people.", "Dos empleados se fueron a trabajar al extranjero; estamos formando a personas nuevas.",
		"Deux salariés sont partis travailler à l'étranger ; nous formons de nouvelles personnes.", "Twee medewerkers vertrokken naar het buitenland; we leiden nieuwe mensen op."},
}

var innovations = []string{"new_product", "new_domestic_market", "new_export_market", "new_process"}

var cooperationKinds = []string{"joint_project", "supply", "knowledge_exchange", "joint_marketing", "formal_agreement"}

// partnerTypes gives an organisation kind's answer in the partner roster.
var partnerTypes = map[string]string{"firm": "firm", "bso": "bso", "research": "research", "government": "government"}

// firmAnswers draws a firm's return for year y around its figures. pool
// are the organisations it may name as partners.
func firmAnswers(r *rng, p *firmProfile, y int, fig map[string]float64, pool []*sorg) map[string]any {
	jobs := int(fig["jobs_created"])
	total := max(p.staff, jobs+1)
	a := map[string]any{
		"firm_name": p.org.name, "year": y,
		"employees_total": total, "employees_women": int(math.Round(float64(total) * p.women)),
		"employees_youth": int(math.Round(float64(total) * p.youth)), "jobs_created": jobs,
		"revenue": fig["revenue"], "exports": fig["exports"],
	}
	if r.chance(0.7) {
		a["investment"] = math.Round(fig["revenue"]*(0.01+0.08*r.float())/100) * 100
	}
	if r.chance(0.45) {
		a["new_products_markets"] = "none"
	} else {
		picked := []string{}
		for _, c := range innovations {
			if (c == "new_export_market" && p.exports > 0 && r.chance(0.4)) || r.chance(0.3) {
				picked = append(picked, c)
			}
		}
		if len(picked) == 0 {
			picked = append(picked, pick(r, innovations[:2]))
		}
		a["new_products_markets"] = strings.Join(picked, " ")
	}
	certs := 0
	if r.chance(0.12) {
		certs = 1
		a["certification_names"] = pick(r, certificationNames)
	}
	a["certifications"] = certs
	var rows []any
	shuffle(r, pool)
	for _, o := range pool[:min(len(pool), r.intn(4))] {
		if o.id == p.org.id {
			continue
		}
		t, ok := partnerTypes[o.kind]
		if !ok {
			t = "other"
		}
		kinds := []string{pick(r, cooperationKinds)}
		if k := pick(r, cooperationKinds); k != kinds[0] && r.chance(0.4) {
			kinds = append(kinds, k)
		}
		rows = append(rows, map[string]any{"partner_name": o.name, "partner_type": t, "cooperation_kind": strings.Join(kinds, " ")})
	}
	if len(rows) > 0 {
		a["partners"] = rows
	}
	if r.chance(0.12) {
		a["comments"] = pick(r, surveyComments).in(firmLang(p.org))
	}
	p.staff = total + jobs/3 // part of the new jobs replace people who left
	return a
}

// inThousands is a return with the money given in thousands, the slip a
// reviewer sends back.
func inThousands(a map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for _, k := range []string{"revenue", "exports", "investment"} {
		if v, ok := a[k].(float64); ok {
			out[k] = math.Round(v/100) / 10
		}
	}
	return out
}

// rawJSON encodes answers.
func rawJSON(a map[string]any) json.RawMessage {
	b, err := json.Marshal(a)
	if err != nil {
		panic(err) // the demo's own maps always encode
	}
	return b
}

// collectDefinition is the form as ODK Collect gets it from a campaign:
// the respondent question first.
func collectDefinition(def *form.Definition) *form.Definition {
	out := *def
	root := "/" + def.FormID
	out.Fields = append([]form.Field{{Name: "respondent_ref", Type: form.TypeText, Path: root + "/respondent_ref", Required: true}},
		def.Fields...)
	return &out
}

// instanceXML writes a return as the instance ODK Collect sends: every
// field of the form in order, empty when not answered, the calculation
// computed, and the meta block with the instance IDs.
func instanceXML(def *form.Definition, invitation int64, a map[string]any, instanceID, deprecatedID string) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><%s xmlns:orx="http://openrosa.org/xforms" id="%s" version="%s">`,
		def.FormID, def.FormID, html.EscapeString(def.Version))
	fmt.Fprintf(&b, "<respondent_ref>i%d</respondent_ref>", invitation)
	writeFields(&b, def, "", a)
	b.WriteString("<orx:meta>")
	if deprecatedID != "" {
		fmt.Fprintf(&b, "<orx:deprecatedID>%s</orx:deprecatedID>", deprecatedID)
	}
	fmt.Fprintf(&b, "<orx:instanceID>%s</orx:instanceID></orx:meta></%s>", instanceID, def.FormID)
	return []byte(b.String())
}

// writeFields writes the children of the container at path parent ("" for
// the top level) from the answers a.
func writeFields(b *strings.Builder, def *form.Definition, parent string, a map[string]any) {
	for _, f := range def.Fields {
		if f.Parent != parent {
			continue
		}
		switch f.Type {
		case form.TypeGroup:
			fmt.Fprintf(b, "<%s>", f.Name)
			writeFields(b, def, f.Path, a)
			fmt.Fprintf(b, "</%s>", f.Name)
		case form.TypeRepeat:
			rows, _ := a[f.Name].([]any)
			for _, row := range rows {
				fmt.Fprintf(b, "<%s>", f.Name)
				writeFields(b, def, f.Path, row.(map[string]any))
				fmt.Fprintf(b, "</%s>", f.Name)
			}
		case form.TypeCalculate:
			// The firm survey's one calculation counts the partners.
			rows, _ := a["partners"].([]any)
			fmt.Fprintf(b, "<%s>%d</%s>", f.Name, len(rows), f.Name)
		default:
			v, ok := a[f.Name]
			if !ok {
				fmt.Fprintf(b, "<%s/>", f.Name)
				continue
			}
			s := fmt.Sprint(v)
			if x, isFloat := v.(float64); isFloat {
				s = fmt.Sprintf("%.2f", x)
				s = strings.TrimSuffix(strings.TrimSuffix(s, "00"), ".")
			}
			fmt.Fprintf(b, "<%s>%s</%s>", f.Name, html.EscapeString(s), f.Name)
		}
	}
}

// collectAnswers reads an instance back as the OpenRosa endpoint stores
// it: the respondent question dropped, numbers as numbers, a
// select_multiple as its choices separated by spaces, repeats as lists.
func collectAnswers(def *form.Definition, xml []byte) (map[string]any, error) {
	inst, err := openrosa.ParseInstance(collectDefinition(def), xml)
	if err != nil {
		return nil, err
	}
	delete(inst.Answers, "respondent_ref")
	return storedAnswers(inst.Answers), nil
}

func storedAnswers(in map[string]any) map[string]any {
	out := make(map[string]any, len(in))
	for k, v := range in {
		switch x := v.(type) {
		case []string:
			out[k] = strings.Join(x, " ")
		case []map[string]any:
			rows := make([]map[string]any, len(x))
			for i, row := range x {
				rows[i] = storedAnswers(row)
			}
			out[k] = rows
		default:
			out[k] = v
		}
	}
	return out
}

// instanceID draws a version 4 UUID, the instance ID a client makes.
func (g *rng) instanceID() string {
	var b [16]byte
	for i := range b {
		b[i] = byte(g.r.Uint32())
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("uuid:%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
