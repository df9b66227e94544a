package demo

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/clusterobservatory/observatory/internal/programme"
)

// The applications to the closed call: which clusters apply, with what
// datasheet and budget, and which of them fail an eligibility rule, for a
// genuine reason the rules then find at submission.

// appGroup is a group of sectors with its share of the call's applications.
type appGroup struct {
	key     string
	sectors []string
	share   float64
	title   string // a title template: %s is the cluster's name
	aim     string // what the proposal is for, a sentence
}

// appGroups are the sector mix of the real call's applications.
var appGroups = []appGroup{
	{"agriculture", []string{"agro_processing", "fisheries"}, 41, "%s: quality, certification and access to export markets",
		"It will pool the members' processing and cold storage, certify their products for export and agree joint supply contracts with buyers in the region and abroad."},
	{"creative", []string{"creative"}, 17, "%s: from local talent to regional audiences",
		"It will build a shared catalogue, train members in rights management and digital distribution, and take their work to regional festivals and markets."},
	{"tourism", []string{"tourism"}, 17, "%s: a destination experience for new markets",
		"It will design joint packages, raise service standards through training and certification, and market the destination to visitors from new source markets."},
	{"services", []string{"ict", "health_wellness"}, 16, "%s: skills, standards and certification for new markets",
		"It will bring the members' services and products to international standards, train staff and approach clients in North America and Europe together."},
	{"other", []string{"natural_products"}, 9, "%s: standards and a shared brand for natural products",
		"It will bring the members' products to export standards, register them with regulators abroad and launch a shared regional brand."},
}

// The reasons an application fails eligibility, each a genuine fault of
// its concept note.
const (
	failFirms    = "firms"    // the datasheet lists only two private firms
	failYoung    = "young"    // the lead organisation has operated for less than 12 months
	failDocument = "document" // a required document is missing
	failGrant    = "grant"    // the grant asks for more than 80 % of the budget
)

var failReasons = []string{failFirms, failYoung, failDocument, failGrant}

// application is one application the generator sends, and what came of it.
type application struct {
	k        *scluster // nil for a cluster proposed without an initiative in the registry
	group    *appGroup
	country  string
	lead     *sorg
	bso      *sorg // the BSO whose staff apply
	in       programme.ApplicationInput
	fail     string
	quality  float64 // 0–1: how good the proposal is, which the reviewers' scores follow
	featured bool    // a cluster of a demo account, kept among the best
	id       int64
	eligible bool
	results  []programme.Result
	planID   int64 // the plan of a shortlisted application, once opened
	rank     int
	total    float64
	decision programme.AppStatus
}

// applicationCount is how many applications the closed call receives: 90
// at scale 1, growing with the square root of the scale, at most 300.
func applicationCount(scale int) int {
	return min(300, int(math.Round(90*math.Sqrt(float64(scale)))))
}

// quotas shares n out over the groups by their shares, largest remainder.
func quotas(n int) []int {
	total := 0.0
	for _, g := range appGroups {
		total += g.share
	}
	out := make([]int, len(appGroups))
	type rem struct {
		i int
		r float64
	}
	var rems []rem
	left := n
	for i, g := range appGroups {
		x := float64(n) * g.share / total
		out[i] = int(x)
		left -= out[i]
		rems = append(rems, rem{i, x - float64(out[i])})
	}
	slices.SortStableFunc(rems, func(a, b rem) int { return cmp.Compare(b.r, a.r) })
	for i := 0; i < left; i++ {
		out[rems[i%len(rems)].i]++
	}
	return out
}

// monthsBetween counts the whole months from a to b.
func monthsBetween(a, b time.Time) int {
	m := (b.Year()-a.Year())*12 + int(b.Month()) - int(a.Month())
	if b.Day() < a.Day() {
		m--
	}
	return max(m, 0)
}

func firmCount(ms []smember) int {
	n := 0
	for _, m := range ms {
		if m.org.kind == "firm" {
			n++
		}
	}
	return n
}

// callClose is the closing day of the 2024 call, for datasheets and ages.
var callClose = time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)

// datasheet lists the members an initiative applies with: its members on
// the closing day or, for an initiative the call brought together and that
// started working only afterwards, its founding members (those who joined
// in its first six months). Firms founded after the call are left out.
func datasheet(k *scluster, day time.Time) []smember {
	var ms []smember
	if !k.first.IsZero() && !k.first.After(day) {
		ms = k.membersOn(day)
	} else {
		for _, m := range k.members {
			if !m.joined.After(k.first.AddDate(0, 6, 0)) {
				ms = append(ms, m)
			}
		}
	}
	return slices.DeleteFunc(ms, func(m smember) bool { return m.org.founded > day.Year() })
}

// monthsOperating is how long the lead organisation has operated on a
// day, counted from the middle of the year it was founded (the registry
// keeps years only), or from its start when that is still to come; an
// organisation of unknown age has operated ten years.
func monthsOperating(o *sorg, day time.Time) int {
	if o.founded == 0 {
		return 120
	}
	start := time.Date(o.founded, 7, 1, 0, 0, 0, 0, time.UTC)
	if start.After(day) {
		start = time.Date(o.founded, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return max(1, monthsBetween(start, day))
}

// planApplications chooses the applicants of the closed call and writes
// their concept notes. featured are clusters of demo accounts that apply
// with strong proposals.
func (s *stored) planApplications(r *rng, n int, featured []int64) []*application {
	usable := func(k *scluster) bool {
		if k.stage == "closed" && (k.first.IsZero() || k.first.After(callClose)) {
			return false
		}
		return firmCount(datasheet(k, callClose)) >= 3
	}
	// The countries: the thirteen with most initiatives that could apply.
	perCountry := map[string]int{}
	for _, k := range s.clusters {
		if usable(k) {
			perCountry[k.country]++
		}
	}
	countries := slices.Clone(s.countries)
	slices.SortStableFunc(countries, func(a, b string) int { return cmp.Compare(perCountry[b], perCountry[a]) })
	countries = countries[:min(13, len(countries))]

	q := quotas(n)
	var apps []*application
	for gi := range appGroups {
		g := &appGroups[gi]
		var cands []*scluster
		for _, k := range s.sectorClusters(g.sectors) {
			if usable(k) && slices.Contains(countries, k.country) {
				cands = append(cands, k)
			}
		}
		// Spread the applicants over the countries, the larger ones
		// sending more: each country's first initiative comes before the
		// second initiatives of the others, weighted by size; initiatives
		// working since before the call come first.
		keys := map[int64]float64{}
		seen := map[string]int{}
		for _, k := range cands {
			keys[k.id] = (float64(seen[k.country]) + r.float()) / math.Sqrt(float64(perCountry[k.country]))
			seen[k.country]++
			if k.first.After(callClose) {
				keys[k.id] += 100
			}
			if slices.Contains(featured, k.id) {
				keys[k.id] = -1
			}
		}
		slices.SortStableFunc(cands, func(a, b *scluster) int { return cmp.Compare(keys[a.id], keys[b.id]) })
		for i := 0; i < q[gi]; i++ {
			if i < len(cands) {
				apps = append(apps, s.clusterApplication(r, g, cands[i], callClose))
				continue
			}
			if a := s.proposedApplication(r, g, countries, i); a != nil {
				apps = append(apps, a)
			}
		}
	}
	for _, a := range apps {
		a.featured = a.k != nil && slices.Contains(featured, a.k.id)
	}

	// About one in eight fails a rule, the reasons taking turns.
	fails := int(math.Round(float64(len(apps)) * 0.12))
	order := r.r.Perm(len(apps))
	for i := 0; i < fails; i++ {
		reason := failReasons[i%len(failReasons)]
		if reason == failYoung && !s.youngLead(apps, order) {
			reason = failFirms
		}
		if reason == failYoung {
			continue
		}
		for _, j := range order {
			a := apps[j]
			if a.featured || a.fail != "" {
				continue
			}
			a.fail = reason
			a.spoil(r)
			break
		}
	}
	for _, a := range apps {
		a.quality = a.baseQuality(r)
	}
	return apps
}

// youngLead makes one application fail for its age: an initiative whose
// lead firm was founded less than a year before the call applies with
// that firm as its lead organisation. It reports whether there was one.
func (s *stored) youngLead(apps []*application, order []int) bool {
	for _, j := range order {
		a := apps[j]
		if a.k == nil || a.featured || a.fail != "" {
			continue
		}
		for _, m := range datasheet(a.k, callClose) {
			if m.role == "lead_firm" && monthsOperating(m.org, callClose) < 12 {
				a.lead = m.org
				a.in.MonthsOperating = monthsOperating(m.org, callClose)
				a.fail = failYoung
				return true
			}
		}
	}
	return false
}

// memberRoles maps a membership role to the datasheet's.
var memberRoles = map[string]programme.MemberRole{
	"lead_firm": programme.RoleLeadFirm, "member": programme.RoleMemberFirm, "bso": programme.RoleBSO,
	"research": programme.RoleResearch, "government": programme.RoleGovernment,
}

// clusterApplication is the concept note of a registry initiative: led by
// its lead BSO or, one time in four, by its lead firm, with its datasheet
// on the day.
func (s *stored) clusterApplication(r *rng, g *appGroup, k *scluster, day time.Time) *application {
	a := &application{k: k, group: g, country: k.country, lead: k.lead, bso: k.lead}
	ms := datasheet(k, day)
	for _, m := range ms {
		// One time in four the lead firm leads, when it has operated long
		// enough to.
		if m.role == "lead_firm" && monthsOperating(m.org, day) >= 24 && r.chance(0.25) {
			a.lead = m.org
		}
	}
	firms, women := 0, 0
	for _, m := range ms {
		role, ok := memberRoles[m.role]
		if !ok {
			role = programme.RoleOther
		}
		a.in.Members = append(a.in.Members, programme.MemberInput{OrganisationID: m.org.id, Role: role})
		if m.org.kind == "firm" {
			firms++
			if m.org.women {
				women++
			}
		}
	}
	id := k.id
	a.in.ClusterID = &id
	a.in.Title = fmt.Sprintf(g.title, k.name)
	a.in.Summary = fmt.Sprintf("%s brings together %d firms, %d of them led by women, and %d support institutions in %s. %s",
		k.name, firms, women, len(ms)-firms, s.names[k.country], g.aim)
	a.in.MonthsOperating = monthsOperating(a.lead, day)
	a.finish(r)
	return a
}

// proposedApplication is a concept note for a cluster that is not yet an
// initiative of the registry: a BSO of one of the countries proposes it
// with firms of the sector, for a group whose initiatives have all applied.
func (s *stored) proposedApplication(r *rng, g *appGroup, countries []string, i int) *application {
	for try := range countries {
		c := countries[(i+try)%len(countries)]
		p := profileOf(c)
		bsos := s.bsosBy[c]
		if p == nil || len(bsos) == 0 {
			continue
		}
		for _, key := range p.themes {
			t := themeByKey(key)
			if t == nil || !slices.Contains(g.sectors, t.sector) {
				continue
			}
			var firms []*sorg
			for _, f := range s.firmsBy[c] {
				if slices.Contains(t.isic, f.isic) {
					firms = append(firms, f)
				}
			}
			if len(firms) < 4 {
				continue
			}
			shuffle(r, firms)
			firms = firms[:min(len(firms), r.between(4, 8))]
			slices.SortFunc(firms, func(a, b *sorg) int { return cmp.Compare(a.id, b.id) })
			bso := bsos[i%len(bsos)]
			a := &application{group: g, country: c, lead: bso, bso: bso}
			a.in.Members = append(a.in.Members, programme.MemberInput{OrganisationID: bso.id, Role: programme.RoleBSO})
			for j, f := range firms {
				role := programme.RoleMemberFirm
				if j == 0 {
					role = programme.RoleLeadFirm
				}
				a.in.Members = append(a.in.Members, programme.MemberInput{OrganisationID: f.id, Role: role})
			}
			name := fmt.Sprintf("Proposed %s cluster of %s", t.product.en, s.names[c])
			a.in.Title = fmt.Sprintf(g.title, name)
			a.in.Summary = fmt.Sprintf("%s proposes a cluster of %d firms working in %s, which do not yet work together as an initiative. %s",
				bso.name, len(firms), t.chain.en, g.aim)
			a.in.MonthsOperating = monthsOperating(bso, callClose)
			a.finish(r)
			return a
		}
	}
	return nil
}

// roundDown rounds an amount in cents down to whole US$500.
func roundDown(cents int64) int64 { return cents / 500_00 * 500_00 }

// finish completes a sound concept note: declarations, documents and a
// budget that meets the call's co-financing rules.
func (a *application) finish(r *rng) {
	a.in.FormallyRegistered, a.in.NoTaxDebt, a.in.MonitoringCommitment = true, true, true
	a.in.Documents = []string{docIncorporation, docCommitment}
	total := int64(r.between(180, 500)) * 1000_00
	grant := min(roundDown(int64(float64(total)*(0.62+0.18*r.float()))), 400_000_00)
	counterpart := total - grant
	a.in.Grant = grant
	a.in.CounterpartInKind = roundDown(int64(float64(counterpart) * (0.2 + 0.3*r.float())))
	a.in.CounterpartCash = counterpart - a.in.CounterpartInKind
}

// spoil gives a sound concept note the fault its failure reason names.
func (a *application) spoil(r *rng) {
	switch a.fail {
	case failFirms:
		// Only two firms signed the cluster's letter of intent.
		var kept []programme.MemberInput
		firms := 0
		for _, m := range a.in.Members {
			if m.Role.Firm() {
				if firms == 2 {
					continue
				}
				firms++
			}
			kept = append(kept, m)
		}
		a.in.Members = kept
	case failDocument:
		missing := docCommitment
		if r.chance(0.4) {
			missing = docIncorporation
		}
		a.in.Documents = slices.DeleteFunc(a.in.Documents, func(d string) bool { return d == missing })
	case failGrant:
		total := int64(r.between(220, 440)) * 1000_00
		a.in.Grant = min(roundDown(int64(float64(total)*(0.84+0.06*r.float()))), 400_000_00)
		counterpart := total - a.in.Grant
		a.in.CounterpartInKind = roundDown(counterpart / 3)
		a.in.CounterpartCash = counterpart - a.in.CounterpartInKind
	}
}

// baseQuality is how good the proposal is: initiatives that have come
// further write better proposals, and the featured ones are strong.
func (a *application) baseQuality(r *rng) float64 {
	if a.featured {
		return 0.97
	}
	q := 0.15 + 0.6*r.float()
	if a.k != nil {
		switch a.k.stage {
		case "plan_approved", "implementing", "sustaining":
			q += 0.15
		case "identified":
			q -= 0.05
		}
	}
	return min(max(q, 0), 0.92)
}
