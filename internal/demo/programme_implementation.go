package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/implementation"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// implementedUntil is the day the demo's implementation records stop: the
// end of the history window, so the data never depends on the clock.
var implementedUntil = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)

// implementationCounts are what writeImplementation recorded.
type implementationCounts struct{ spending, milestones, reports int }

// writeImplementation records, for each approved plan, the spending of its
// budget lines quarter by quarter up to implementedUntil (each line about
// as far along as its project's time, some ahead, some behind, and the
// counterpart in kind given in a few large contributions), the progress of
// its milestones due so far (most done on time, a few late or still going),
// and its quarterly reports, accepted by the officer except the last.
func (s *stored) writeImplementation(ctx context.Context, d *db.DB, g *rng, approved []*application) (implementationCounts, error) {
	var n implementationCounts
	is := implementation.NewStore(d)
	officer := s.officer()
	for _, a := range approved {
		w, err := is.Open(ctx, user.System, a.planID)
		if err != nil {
			return n, fmt.Errorf("plan %d: %w", a.planID, err)
		}
		base, cur := w.Baseline, w.Plan.Currency
		pace := 0.75 + 0.5*g.float() // this cluster's speed against its plan
		for i, line := range base.Budget {
			from, to := mustDate(base.StartsOn), mustDate(base.EndsOn)
			if line.Project > 0 && line.Project <= len(base.Projects) {
				p := base.Projects[line.Project-1]
				from, to = mustDate(p.StartsOn), mustDate(p.EndsOn)
			}
			if !from.Before(implementedUntil) {
				continue
			}
			share := min(pace*float64(implementedUntil.Sub(from))/float64(to.Sub(from)), 1)
			for _, part := range []struct {
				source  implementation.Source
				planned int64
			}{{implementation.Grant, line.Grant}, {implementation.Cash, line.Cash}, {implementation.InKind, line.InKind}} {
				spent := int64(float64(part.planned) * share * (0.85 + 0.2*g.float()))
				spent = min(spent, part.planned) / 100 * 100 // whole units
				if spent <= 0 {
					continue
				}
				entries := 1
				if part.source != implementation.InKind {
					entries = g.between(2, 4)
				}
				for k := range entries {
					amount := spent / int64(entries)
					if k == entries-1 {
						amount = spent - amount*int64(entries-1)
					}
					day := g.day(from, minTime(to, implementedUntil))
					in := implementation.EntryInput{Line: i + 1, Source: part.source, SpentOn: day.Format(time.DateOnly),
						Amount: programme.FormatAmount(amount, cur), Description: fmt.Sprintf("%s: %s", line.Description, spendWords[g.intn(len(spendWords))])}
					if part.source == implementation.InKind {
						in.Given, in.Valuation = pick(g, inKindGifts), pick(g, implementation.Valuations[:3])
					}
					if _, err := is.RecordSpending(ctx, user.System, a.planID, in, implementedUntil); err != nil {
						return n, fmt.Errorf("plan %d line %d: %w", a.planID, i+1, err)
					}
					n.spending++
				}
			}
		}
		for m, ms := range base.Milestones {
			due := mustDate(ms.Due)
			in := implementation.ProgressInput{Status: implementation.InProgress, Note: "Work under way with the member firms."}
			switch {
			case due.After(implementedUntil.AddDate(0, 3, 0)):
				continue // not started yet: nothing to record
			case due.After(implementedUntil):
			case g.chance(0.8):
				done := minTime(due.AddDate(0, 0, g.between(-20, 25)), implementedUntil)
				in = implementation.ProgressInput{Status: implementation.Done, CompletedOn: done.Format(time.DateOnly),
					Note: "Completed and reported to the steering committee."}
			}
			if _, err := is.RecordProgress(ctx, user.System, a.planID, m+1, in, implementedUntil); err != nil {
				return n, fmt.Errorf("plan %d milestone %d: %w", a.planID, m+1, err)
			}
			n.milestones++
		}
		start := mustDate(base.StartsOn)
		for q := implementation.PeriodOf(start); ; q = nextQuarter(q) {
			if !quarterStart(q).Before(implementedUntil) {
				break
			}
			r, err := is.SubmitReport(ctx, user.System, a.planID, implementation.ReportInput{Period: q.String(),
				Narrative: pick(g, reportNarratives)}, implementedUntil)
			if err != nil {
				return n, fmt.Errorf("plan %d report %s: %w", a.planID, q, err)
			}
			n.reports++
			// Every report but the last (its quarter is still running) is accepted.
			if quarterStart(nextQuarter(q)).Before(implementedUntil) {
				if _, err := is.AcceptReport(ctx, officer, a.planID, r.ID); err != nil {
					return n, fmt.Errorf("accept plan %d report %s: %w", a.planID, q, err)
				}
			}
		}
	}
	return n, nil
}

func nextQuarter(p implementation.Period) implementation.Period {
	if p.Quarter == 4 {
		return implementation.Period{Year: p.Year + 1, Quarter: 1}
	}
	return implementation.Period{Year: p.Year, Quarter: p.Quarter + 1}
}

func quarterStart(p implementation.Period) time.Time {
	return time.Date(p.Year, time.Month(3*(p.Quarter-1)+1), 1, 0, 0, 0, 0, time.UTC)
}

func mustDate(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(fmt.Sprintf("demo: bad date %q", s))
	}
	return t
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

var spendWords = []string{"invoice paid", "first instalment", "second instalment", "final payment", "advance to the supplier"}

var inKindGifts = []string{"Meeting rooms and equipment of the member firms", "Staff time of the lead firm's quality manager",
	"Use of a member's processing line for trials", "Transport of samples by the member firms"}

var reportNarratives = []string{
	"Activities went as planned; the member firms met monthly and the first joint orders were placed.",
	"Procurement took longer than expected; the work plan was adjusted with the facilitator and no milestone moved.",
	"Training sessions were well attended, including many young staff; two new firms asked to join the cluster.",
	"The joint marketing material is ready; a buyer visit is planned for the next quarter.",
}
