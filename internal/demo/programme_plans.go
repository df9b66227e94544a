package demo

import (
	"cmp"
	"context"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/programme"
)

// The plans of the shortlisted clusters: most approved, two waiting for
// approval and two still drafts. Each is opened, written, submitted and
// approved through the plan store, so its co-financing checks are the
// store's own.

// The plans run for two years from the programme's first disbursements.
const (
	planStarts = "2025-03-01"
	planEnds   = "2027-02-28"
)

// planContent is what a plan says, by sector group.
type planContent struct {
	vision     string // %s: the cluster's name
	objectives [3][2]string
	lines      [4]string
	projects   [3]string
	milestones [3][2]string // per project: two milestones
}

var planContents = map[string]planContent{
	"agriculture": {
		vision: "By 2027 %s supplies certified products to buyers in the region and abroad, with members who process, store and ship together.",
		objectives: [3][2]string{
			{"Reach export markets", "Agree supply contracts with at least four buyers abroad."},
			{"Meet buyers' standards", "Certify the members' products and premises to the standards buyers ask for."},
			{"Process and store together", "Share processing, cold storage and logistics to cut costs and waste."}},
		lines:    [4]string{"Market intelligence and buyer missions", "Certification and quality systems", "Shared processing and cold chain", "Training of producers and processors"},
		projects: [3]string{"Shared processing and cold storage centre", "Export certification programme", "Buyer missions and joint marketing"},
		milestones: [3][2]string{{"Equipment installed and commissioned", "First joint shipment"}, {"Gap assessment completed", "First members certified"},
			{"Catalogue and price list agreed", "Supply contracts signed"}},
	},
	"creative": {
		vision: "By 2027 %s reaches regional and international audiences, with members who earn from their rights and work together on productions and marketing.",
		objectives: [3][2]string{
			{"Reach new audiences", "Take the members' work to regional festivals, platforms and buyers."},
			{"Earn from rights", "Train members in rights management and register their works."},
			{"Produce together", "Share equipment and studios for joint productions."}},
		lines:    [4]string{"Festivals and markets", "Rights management", "Shared studio and equipment", "Digital distribution"},
		projects: [3]string{"Shared studio and equipment pool", "Rights management clinic", "Regional showcase tour"},
		milestones: [3][2]string{{"Studio fitted out", "First joint production released"}, {"Clinic opened", "Works registered"},
			{"Showcase programme agreed", "Tour completed"}},
	},
	"tourism": {
		vision: "By 2027 %s sells a distinctive destination experience to visitors from new source markets, with certified, well-trained members.",
		objectives: [3][2]string{
			{"Win new source markets", "Sell joint packages to tour operators in North America and Europe."},
			{"Raise service standards", "Train and certify the members' staff and premises."},
			{"Share the visitor's spending", "Link hotels and tours with local producers, guides and crafts."}},
		lines:    [4]string{"Joint packages and marketing", "Service training and certification", "Local sourcing", "Digital booking"},
		projects: [3]string{"Joint destination packages", "Service excellence programme", "Local sourcing platform"},
		milestones: [3][2]string{{"Packages designed with tour operators", "First season sold"}, {"Trainers certified", "Members certified"},
			{"Producers registered", "First orders from hotels"}},
	},
	"services": {
		vision: "By 2027 %s exports certified services to clients in North America and Europe, with a shared pool of skilled staff.",
		objectives: [3][2]string{
			{"Export services", "Win clients abroad through joint proposals and missions."},
			{"Certify to international standards", "Bring the members' services to the standards clients ask for."},
			{"Build a pool of skills", "Train young people in the skills the members need."}},
		lines:    [4]string{"Market development", "Standards and certification", "Skills academy", "Shared services"},
		projects: [3]string{"International certification programme", "Skills academy for young people", "Joint sales missions"},
		milestones: [3][2]string{{"Gap assessment completed", "Members certified"}, {"First cohort enrolled", "First cohort graduated"},
			{"Target clients identified", "First contracts signed"}},
	},
	"other": {
		vision: "By 2027 %s sells natural products under a shared brand that meets the standards of regulators and buyers abroad.",
		objectives: [3][2]string{
			{"Meet regulators' standards", "Register the members' products with regulators in the target markets."},
			{"Build a shared brand", "Launch a regional brand with a common quality standard."},
			{"Secure sustainable supply", "Agree sustainable harvesting and supply with producers."}},
		lines:    [4]string{"Regulatory registration", "Brand and packaging", "Sustainable sourcing", "Product development"},
		projects: [3]string{"Product registration programme", "Shared brand launch", "Sustainable sourcing agreements"},
		milestones: [3][2]string{{"Dossiers submitted", "Products registered"}, {"Brand and packaging designed", "Brand launched"},
			{"Harvesting code agreed", "Supply agreements signed"}},
	},
}

// planRisks are the risks every plan weighs, with their mitigation.
var planRisks = []plan.Risk{
	{Description: "A hurricane or flood damages members' premises or stock.", Likelihood: plan.Medium, Impact: plan.High,
		Mitigation: "Insurance for shared equipment, a continuity plan and stock kept at two sites."},
	{Description: "Members do not pay their counterpart on time.", Likelihood: plan.Medium, Impact: plan.Medium,
		Mitigation: "Signed commitment letters, quarterly instalments and a committee that follows them up."},
	{Description: "Buyers abroad delay their orders.", Likelihood: plan.Low, Impact: plan.Medium,
		Mitigation: "Several target markets and a regional buyer for each product."},
	{Description: "Key staff of the coordinating BSO leave.", Likelihood: plan.Low, Impact: plan.High,
		Mitigation: "Two people trained for each role and procedures written down."},
}

// planState is where a plan ends up.
type planState int

const (
	planDraft planState = iota
	planSubmitted
	planApproved
)

// writePlans opens and writes the plans of the shortlisted applications:
// the featured and best-ranked approved, then two submitted and the rest
// drafts. It returns how many plans there are and which were approved.
func (s *stored) writePlans(ctx context.Context, d *db.DB, ps *programme.Store, r *rng, call *programme.Call, apps []*application) ([]*application, int, error) {
	var short []*application
	for _, a := range apps {
		if a.decision == programme.AppShortlisted {
			short = append(short, a)
		}
	}
	slices.SortStableFunc(short, func(x, y *application) int {
		if x.featured != y.featured {
			if x.featured {
				return -1
			}
			return 1
		}
		return cmp.Compare(x.rank, y.rank)
	})
	store := plan.NewStore(d)
	en := i18n.For("en")
	officer := s.officer()
	var approved []*application
	for i, a := range short {
		state := planApproved
		switch {
		case i >= len(short)-2:
			state = planDraft
		case i >= len(short)-4:
			state = planSubmitted
		}
		actor := s.facilitatorFor(&a.bso.id, a.k.leadID())
		p, _, err := store.OpenPlan(ctx, actor, a.id)
		if err != nil {
			return nil, 0, fmt.Errorf("open the plan of application %d: %w", a.id, err)
		}
		a.planID = p.ID
		c := s.planFor(r, a, state != planDraft)
		if p, err = store.SavePlan(ctx, actor, p.ID, plan.SaveInput{BaseVersion: p.Version, Content: c}); err != nil {
			return nil, 0, fmt.Errorf("save the plan of application %d: %w", a.id, err)
		}
		if state == planDraft {
			continue
		}
		if _, err := store.Submit(ctx, actor, p.ID, en); err != nil {
			return nil, 0, fmt.Errorf("submit the plan of application %d: %w", a.id, err)
		}
		if state == planApproved {
			if _, err := store.Approve(ctx, officer, p.ID); err != nil {
				return nil, 0, fmt.Errorf("approve the plan of application %d: %w", a.id, err)
			}
			approved = append(approved, a)
		}
	}
	return approved, len(short), nil
}

// leadID is the cluster's lead BSO, 0 for a proposed cluster.
func (k *scluster) leadID() int64 {
	if k == nil {
		return 0
	}
	return k.lead.id
}

// planFor writes a plan's content from the application: objectives,
// action lines, two or three projects led by members with partners,
// milestones, risks and a budget of the application's amounts, spread over
// the projects in the same proportions, so that every line keeps the
// call's co-financing shares. A draft has no risks or budget yet.
func (s *stored) planFor(r *rng, a *application, complete bool) *plan.Content {
	pc := planContents[a.group.key]
	name := a.in.Title
	if a.k != nil {
		name = a.k.name
	}
	c := &plan.Content{Vision: fmt.Sprintf(pc.vision, name), StartsOn: planStarts, EndsOn: planEnds}
	for _, o := range pc.objectives {
		c.Objectives = append(c.Objectives, plan.Objective{Title: o[0], Description: o[1]})
	}
	// The first objective aims at jobs and the second at revenue, with
	// targets for the plan's second year, as facilitators set them. They
	// are drawn from the name, not from r, so that the rest of the demo
	// stays as it was.
	h := fnv.New32a()
	h.Write([]byte(name))
	jobs, revenue := float64(15+h.Sum32()%30), float64(250_000+25_000*(h.Sum32()/30%20))
	c.Objectives[0].Indicators = []plan.IndicatorLink{{Code: "JOBS_CREATED", Target: &jobs, Year: 2026}}
	if len(c.Objectives) > 1 {
		c.Objectives[1].Indicators = []plan.IndicatorLink{{Code: "REVENUE", Target: &revenue, Year: 2026}}
	}
	for i, l := range pc.lines {
		c.ActionLines = append(c.ActionLines, plan.ActionLine{Title: l, Objective: min(i+1, len(c.Objectives))})
	}
	var orgs []int64
	for _, m := range a.in.Members {
		if m.OrganisationID != a.lead.id {
			orgs = append(orgs, m.OrganisationID)
		}
	}
	projects := 2 + r.intn(2)
	periods := [3][2]string{{"2025-03-01", "2026-08-31"}, {"2025-06-01", "2027-02-28"}, {"2025-09-01", "2026-12-31"}}
	dues := [3][2]string{{"2025-10-31", "2026-06-30"}, {"2025-12-15", "2026-11-30"}, {"2026-03-31", "2026-11-30"}}
	for i := range projects {
		p := plan.Project{Title: pc.projects[i], LeadOrgID: a.lead.id, StartsOn: periods[i][0], EndsOn: periods[i][1]}
		if i > 0 && len(orgs) > 0 {
			p.LeadOrgID = orgs[r.intn(len(orgs))]
		}
		for _, id := range orgs {
			if id != p.LeadOrgID && len(p.PartnerIDs) < 2+i && r.chance(0.5) {
				p.PartnerIDs = append(p.PartnerIDs, id)
			}
		}
		c.Projects = append(c.Projects, p)
		for j, m := range pc.milestones[i] {
			c.Milestones = append(c.Milestones, plan.Task{Project: i + 1, Title: m, Due: dues[i][j]})
		}
		c.Activities = append(c.Activities, plan.Task{Project: i + 1, Title: "Steering committee review of " + pc.projects[i], Due: dues[i][0]})
	}
	if !complete {
		return c
	}
	for _, k := range r.r.Perm(len(planRisks))[:3] {
		c.Risks = append(c.Risks, planRisks[k])
	}
	// The budget: a coordination line for the plan as a whole and two
	// lines per project, each a share of every source.
	type part struct {
		project int
		cat     plan.Category
		desc    string
		weight  int
	}
	parts := []part{{0, "personnel", "Cluster coordinator and facilitation", 2}}
	cats := [][2]string{{"equipment", "Equipment and installation"}, {"training", "Training and technical assistance"},
		{"services", "Consultants and certification fees"}, {"travel", "Missions and participation in fairs"}}
	for i := range projects {
		for j := range 2 {
			ct := cats[(i*2+j)%len(cats)]
			parts = append(parts, part{i + 1, plan.Category(ct[0]), ct[1], 2 + r.intn(3)})
		}
	}
	weights := 0
	for _, p := range parts {
		weights += p.weight
	}
	var used plan.BudgetLine
	for i, p := range parts {
		b := plan.BudgetLine{Project: p.project, Category: p.cat, Description: p.desc}
		if i == len(parts)-1 {
			b.Grant, b.Cash, b.InKind = a.in.Grant-used.Grant, a.in.CounterpartCash-used.Cash, a.in.CounterpartInKind-used.InKind
		} else {
			share := func(total int64) int64 { return total * int64(p.weight) / int64(weights) / 100 * 100 }
			b.Grant, b.Cash, b.InKind = share(a.in.Grant), share(a.in.CounterpartCash), share(a.in.CounterpartInKind)
		}
		used.Grant += b.Grant
		used.Cash += b.Cash
		used.InKind += b.InKind
		c.Budget = append(c.Budget, b)
	}
	return c
}
