package demo

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
	"golang.org/x/sync/errgroup"
)

// generateActivity adds what the region's people did on the platform: the
// programme with its calls, applications, reviews and plans, and the
// initiatives' events. It runs after the region's transaction, like
// deriveISICSet, because every store writes in transactions of its own.
func generateActivity(ctx context.Context, d *db.DB, scale int, counts map[string]int) error {
	s, err := loadStored(ctx, d)
	if err != nil {
		return err
	}
	s.workers = 1
	if d.Dialect == db.Postgres {
		s.workers = 4
	}
	start := time.Now()
	if err := generateProgramme(ctx, d, s, scale, counts); err != nil {
		return fmt.Errorf("programme: %w", err)
	}
	lastTimings.programme = time.Since(start)
	start = time.Now()
	if err := generateEvents(ctx, d, s, scale, counts); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	lastTimings.events = time.Since(start)
	return nil
}

// lastTimings keeps how long the last generation's programme and events
// took, for the timing test.
var lastTimings struct{ programme, events time.Duration }

// generateProgramme runs the region's programme through the platform: the
// funder's programme, the closed 2024 call with its applications, panel
// review, decisions and plans, and the open 2026 call with its first
// applications. Everything goes through the programme and plan stores, so
// eligibility results, co-financing checks and audit entries are theirs;
// only dates are set directly afterwards (see backdate). It adds the
// applications and plans to counts.
func generateProgramme(ctx context.Context, d *db.DB, s *stored, scale int, counts map[string]int) error {
	ps := programme.NewStore(d)
	officer := s.officer()
	prog, err := ps.CreateProgramme(ctx, officer, programme.ProgrammeInput{Name: programmeName, FunderID: s.funderID, Currency: programmeCurrency,
		Description: "The funder's regional programme for cluster initiatives: it funds cluster competitiveness improvement plans " +
			"that raise the sales, exports and employment of the firms working together in a value chain.",
		Countries: s.countries, StartsOn: "2024-01-01", EndsOn: "2028-12-31"})
	if err != nil {
		return fmt.Errorf("programme: %w", err)
	}
	// Submission is refused once a call has closed, and the rules are
	// evaluated only at submission. So the 2024 call is created open, its
	// applications are submitted through the store, whose rules then give
	// the real eligibility results and reasons, and only then is the call
	// moved to its real dates in 2024 (backdate).
	call, err := ps.CreateCall(ctx, officer, closedCallInput(prog.ID, db.Now()))
	if err != nil {
		return fmt.Errorf("closed call: %w", err)
	}
	apps := s.planApplications(newRNG(scale, streamApplications), applicationCount(scale), s.featured())
	if err := s.submitAll(ctx, ps, call.ID, apps); err != nil {
		return err
	}
	shortlist := max(4, int(math.Round(12*float64(len(apps))/90)))
	if err := s.runPanel(ctx, ps, newRNG(scale, streamReviews), call, apps, shortlist); err != nil {
		return err
	}
	// approved are the applications whose plans are the implementation
	// baselines (application.planID); the implementation demo starts from
	// them.
	approved, plans, err := s.writePlans(ctx, d, ps, newRNG(scale, streamPlans), call, apps)
	if err != nil {
		return err
	}
	impl, err := s.writeImplementation(ctx, d, newRNG(scale, streamImplementation), approved)
	if err != nil {
		return fmt.Errorf("implementation: %w", err)
	}
	open, err := ps.CreateCall(ctx, officer, openCallInput(prog.ID, db.Now()))
	if err != nil {
		return fmt.Errorf("open call: %w", err)
	}
	opened, err := s.openCallApplications(ctx, ps, newRNG(scale, streamOpenCall), open, apps, scale)
	if err != nil {
		return err
	}
	if err := backdate(ctx, d, newRNG(scale, streamDates), prog.ID, call.ID, apps); err != nil {
		return fmt.Errorf("date the 2024 call: %w", err)
	}
	counts["programmes"] = 1
	counts["calls"] = 2
	counts["applications"] = len(apps) + opened
	counts["plans"] = plans
	counts["approved_plans"] = len(approved)
	counts["spending_entries"], counts["milestone_updates"], counts["progress_reports"] = impl.spending, impl.milestones, impl.reports
	return nil
}

// featured are the clusters of the demo accounts, which apply with strong
// proposals so that those accounts find a plan to work on: the cluster
// manager's initiative and the Saint Lucian BSO's leading initiative.
func (s *stored) featured() []int64 {
	var out []int64
	if a, ok := s.users["manager@demo.example.org"]; ok && a.Scope.Kind == user.ScopeCluster {
		out = append(out, a.Scope.IntID())
	}
	if a, ok := s.users["bso.saintlucia@demo.example.org"]; ok && a.Scope.Kind == user.ScopeBSO {
		rank := map[string]int{"implementing": 3, "plan_approved": 2, "sustaining": 1}
		var best *scluster
		for _, k := range s.clusters {
			if k.lead.id == a.Scope.IntID() && k.stage != "closed" && (best == nil || rank[k.stage] > rank[best.stage]) {
				best = k
			}
		}
		if best != nil && !slices.Contains(out, best.id) {
			out = append(out, best.id)
		}
	}
	return out
}

// submitAll drafts every application as the staff of its BSO, one after
// the other so that their IDs follow the plan, then submits them.
func (s *stored) submitAll(ctx context.Context, ps *programme.Store, callID int64, apps []*application) error {
	for _, a := range apps {
		in := a.in
		in.CallID = callID
		in.LeadOrgID = a.lead.id
		created, err := ps.CreateApplication(ctx, s.staffOf(a.bso), in)
		if err != nil {
			return fmt.Errorf("application %q: %w", in.Title, err)
		}
		a.id = created.ID
	}
	en := i18n.For("en")
	return s.each(ctx, len(apps), func(i int) error {
		a := apps[i]
		sub, err := ps.SubmitApplication(ctx, s.staffOf(a.bso), a.id, en, s.names)
		if err != nil {
			return fmt.Errorf("submit application %d: %w", a.id, err)
		}
		a.eligible = sub.Eligible != nil && *sub.Eligible
		a.results = sub.Results
		return nil
	})
}

// each runs fn for 0..n-1: one after the other on SQLite, which has a
// single writer anyway, and a few at a time on PostgreSQL, where every
// transaction waits for a round trip. The steps run this way create no
// IDs, so the data stays the same; only the audit log's order varies.
func (s *stored) each(ctx context.Context, n int, fn func(i int) error) error {
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(s.workers)
	for i := range n {
		g.Go(func() error { return fn(i) })
	}
	return g.Wait()
}

// greenTitles are the 2026 call's titles by sector group.
var greenTitles = map[string]string{
	"agriculture": "%s: climate-smart production and zero-waste processing",
	"creative":    "%s: greener productions and festivals open to all",
	"tourism":     "%s: a low-carbon, hurricane-ready destination",
	"services":    "%s: greener services and green skills for young people",
	"other":       "%s: sustainable harvesting and resilient supply",
}

// openCallApplications sends the first concept notes to the open call:
// drafts and submitted ones from initiatives that were not shortlisted in
// 2024, among them a draft of the Jamaican BSO's demo account.
func (s *stored) openCallApplications(ctx context.Context, ps *programme.Store, r *rng, call *programme.Call, closed []*application, scale int) (int, error) {
	root := math.Sqrt(float64(scale))
	drafts, submitted := min(20, int(math.Round(4*root))), min(25, int(math.Round(5*root)))
	today := db.Now().Truncate(24 * time.Hour)
	taken := map[int64]bool{}
	for _, a := range closed {
		if a.k != nil && a.decision == programme.AppShortlisted {
			taken[a.k.id] = true
		}
	}
	var cands []*scluster
	for _, k := range s.clusters {
		if !taken[k.id] && k.stage != "closed" && !k.first.IsZero() && !k.first.After(today.AddDate(-1, 0, 0)) &&
			firmCount(k.membersOn(today)) >= 3 && groupOf(k.sector) != nil {
			cands = append(cands, k)
		}
	}
	// Initiatives at the applying stage are the likeliest applicants,
	// then those still being diagnosed or identified.
	stages := map[string]float64{"applying": 0, "diagnosed": 1, "identified": 1.5}
	keys := map[int64]float64{}
	for _, k := range cands {
		base, ok := stages[k.stage]
		if !ok {
			base = 3
		}
		keys[k.id] = base + 2*r.float()
	}
	slices.SortStableFunc(cands, func(a, b *scluster) int { return cmp.Compare(keys[a.id], keys[b.id]) })
	// The demo BSO accounts find their own work: the Jamaican BSO a draft,
	// the Saint Lucian one a submitted application.
	lift := func(email string, to int) {
		a, ok := s.users[email]
		if !ok {
			return
		}
		for i, k := range cands {
			if k.lead.id == a.Scope.IntID() {
				cands = slices.Insert(slices.Delete(cands, i, i+1), min(to, len(cands)-1), k)
				return
			}
		}
	}
	lift("bso.jamaica@demo.example.org", 0)
	lift("bso.saintlucia@demo.example.org", drafts)
	en := i18n.For("en")
	n := 0
	for i, k := range cands {
		if i >= drafts+submitted {
			break
		}
		g := groupOf(k.sector)
		a := s.clusterApplication(r, g, k, today)
		a.in.Title = fmt.Sprintf(greenTitles[g.key], k.name)
		total := int64(r.between(120, 300)) * 1000_00
		a.in.Grant = min(roundDown(int64(float64(total)*(0.6+0.2*r.float()))), 250_000_00)
		a.in.CounterpartInKind = roundDown((total - a.in.Grant) * int64(20+r.intn(30)) / 100)
		a.in.CounterpartCash = total - a.in.Grant - a.in.CounterpartInKind
		a.in.CallID, a.in.LeadOrgID = call.ID, a.lead.id
		actor := s.staffOf(a.bso)
		// Drafts come first and are still being written: the documents
		// are not all attached yet.
		if i < drafts {
			a.in.Documents = a.in.Documents[:r.intn(2)]
		}
		created, err := ps.CreateApplication(ctx, actor, a.in)
		if err != nil {
			return 0, fmt.Errorf("open call application %q: %w", a.in.Title, err)
		}
		n++
		if i >= drafts {
			if _, err := ps.SubmitApplication(ctx, actor, created.ID, en, s.names); err != nil {
				return 0, fmt.Errorf("submit open call application %d: %w", created.ID, err)
			}
		}
	}
	return n, nil
}

// groupOf is the sector group of a cluster's sector, nil if none.
func groupOf(sector string) *appGroup {
	for i := range appGroups {
		if slices.Contains(appGroups[i].sectors, sector) {
			return &appGroups[i]
		}
	}
	return nil
}

// at is a moment on a day of the call's zone, as UTC.
func at(day time.Time, hour, minute int) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, callZone).UTC()
}

// backdate gives the 2024 call and what came of it the dates they would
// have had: the stores stamp every record with the moment of writing, and
// the call had to be open while its applications were submitted. The call
// moves to its real dates, the applications to the weeks it was open, the
// reviews and decisions to the summer after, and the plans to the autumn
// and the following winter. The audit log keeps the moments the demo
// wrote them.
func backdate(ctx context.Context, d *db.DB, r *rng, programmeID, callID int64, apps []*application) error {
	clock := func(day time.Time) time.Time { return at(day, 8+r.intn(9), r.intn(60)) }
	days := func(from time.Time, lo, hi int) time.Time { return from.AddDate(0, 0, r.between(lo, hi)) }
	return d.Tx(ctx, func(tx *sql.Tx) error {
		exec := func(q string, args ...any) error {
			_, err := tx.ExecContext(ctx, q, args...)
			return err
		}
		if err := exec(`UPDATE programmes SET created_at = $1, updated_at = $1 WHERE id = $2`, at(time.Date(2023, 11, 20, 0, 0, 0, 0, time.UTC), 10, 15), programmeID); err != nil {
			return err
		}
		if err := exec(`UPDATE calls SET opens_at = $1, closes_at = $2, full_plan_due_at = $3, created_at = $4, updated_at = $5 WHERE id = $6`,
			closedOpens.UTC(), closedCloses.UTC(), closedPlansDue.UTC(), at(time.Date(2024, 2, 12, 0, 0, 0, 0, time.UTC), 10, 30),
			at(time.Date(2024, 2, 26, 0, 0, 0, 0, time.UTC), 11, 0), callID); err != nil {
			return err
		}
		decided := at(time.Date(2024, 7, 31, 0, 0, 0, 0, time.UTC), 15, 0)
		first, last := time.Date(2024, 3, 11, 0, 0, 0, 0, time.UTC), time.Date(2024, 5, 31, 0, 0, 0, 0, time.UTC)
		for _, a := range apps {
			submitted := clock(r.day(first, last))
			if submitted.After(closedCloses) {
				submitted = closedCloses.Add(-time.Duration(1+r.intn(120)) * time.Minute).UTC()
			}
			created := maxTime(submitted.AddDate(0, 0, -r.between(3, 35)), closedOpens.UTC().Add(time.Hour))
			if err := exec(`UPDATE applications SET created_at = $1, submitted_at = $2, updated_at = $3 WHERE id = $4`,
				created, submitted, decided, a.id); err != nil {
				return err
			}
		}
		if err := exec(`UPDATE application_decisions SET decided_at = $1 WHERE application_id IN (SELECT id FROM applications WHERE call_id = $2)`,
			decided, callID); err != nil {
			return err
		}
		type review struct {
			id     int64
			status string
		}
		var reviews []review
		err := db.Each(ctx, tx, `SELECT id, status FROM application_reviews WHERE call_id = $1 ORDER BY id`, []any{callID}, func(rows *sql.Rows) error {
			var rv review
			err := rows.Scan(&rv.id, &rv.status)
			reviews = append(reviews, rv)
			return err
		})
		if err != nil {
			return err
		}
		assigned := at(time.Date(2024, 6, 7, 0, 0, 0, 0, time.UTC), 14, 0)
		for _, rv := range reviews {
			declared := clock(days(assigned, 1, 6))
			var submitted any
			updated := declared
			if rv.status == string(programme.ReviewSubmitted) {
				t := clock(days(declared, 2, 30))
				submitted, updated = t, t
			}
			if err := exec(`UPDATE application_reviews SET assigned_at = $1, declared_at = $2, submitted_at = $3, updated_at = $4 WHERE id = $5`,
				assigned, declared, submitted, updated, rv.id); err != nil {
				return err
			}
		}
		type planRow struct {
			id      int64
			status  string
			version int
		}
		var plans []planRow
		err = db.Each(ctx, tx, `SELECT id, status, version FROM plans WHERE call_id = $1 ORDER BY id`, []any{callID}, func(rows *sql.Rows) error {
			var p planRow
			err := rows.Scan(&p.id, &p.status, &p.version)
			plans = append(plans, p)
			return err
		})
		if err != nil {
			return err
		}
		for _, p := range plans {
			created := clock(days(time.Date(2024, 8, 5, 0, 0, 0, 0, time.UTC), 0, 14))
			saved := created
			for v := 1; v <= p.version; v++ {
				if v > 1 {
					saved = clock(days(saved, 10, 30))
				}
				if err := exec(`UPDATE plan_versions SET saved_at = $1 WHERE plan_id = $2 AND version = $3`, saved, p.id, v); err != nil {
					return err
				}
			}
			var submittedAt, approvedAt any
			updated := saved
			if p.status != "draft" {
				t := clock(days(saved, 1, 7))
				submittedAt, updated = t, t
				if p.status == "approved" {
					t = clock(days(t, 20, 75))
					approvedAt, updated = t, t
				}
			}
			if err := exec(`UPDATE plans SET created_at = $1, submitted_at = $2, approved_at = $3, updated_at = $4 WHERE id = $5`,
				created, submittedAt, approvedAt, updated, p.id); err != nil {
				return err
			}
		}
		return nil
	})
}
