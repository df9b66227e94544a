package portfolio

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Project is a project of an approved plan, as its BSO follows it.
type Project struct {
	Title            string
	StartsOn, EndsOn string
}

// Line is one of an applicant's applications with its plan and money.
type Line struct {
	Application *programme.Application
	PlanID      int64
	PlanStatus  string // "" without a plan
	Approved    bool   // the plan has an implementation baseline
	Money       Money
	Projects    []Project
}

// Applicant is a BSO's or cluster's own portfolio.
type Applicant struct {
	Lines []Line
	Total Money
	// More is set when the applicant has more applications than are shown.
	More bool
}

// maxApplicantLines bounds the page; a BSO has a handful of applications.
const maxApplicantLines = 200

// ForApplicant lists the applications the actor applies for or co-applies
// to, with their plans, approved projects and money.
func (s *Store) ForApplicant(ctx context.Context, actor user.Actor) (*Applicant, error) {
	if !programme.MayApply(actor) {
		return nil, problem.Forbiddenf("The applicant's portfolio is for BSO staff and cluster managers; programme officers see each programme's.")
	}
	apps, total, err := programme.NewStore(s.db).FindApplications(ctx, actor, programme.ApplicationFilter{Limit: maxApplicantLines})
	if err != nil {
		return nil, err
	}
	out := &Applicant{More: total > len(apps)}
	index := map[int64]int{}
	ids := make([]any, 0, len(apps))
	for i, a := range apps {
		out.Lines = append(out.Lines, Line{Application: a})
		index[a.ID] = i
		ids = append(ids, a.ID)
	}
	if len(ids) == 0 {
		return out, nil
	}
	in := db.Placeholders(1, len(ids))
	planOf := map[int64]int{} // plan ID → line
	err = db.Each(ctx, s.db.Read(), `SELECT p.application_id, p.id, p.status, v.content FROM plans p
		LEFT JOIN plan_versions v ON v.plan_id = p.id AND v.version = p.baseline_version
		WHERE p.application_id IN (`+in+`)`, ids, func(rows *sql.Rows) error {
		var (
			appID, planID int64
			status        string
			content       sql.NullString
		)
		if err := rows.Scan(&appID, &planID, &status, &content); err != nil {
			return err
		}
		l := &out.Lines[index[appID]]
		l.PlanID, l.PlanStatus = planID, status
		planOf[planID] = index[appID]
		if !content.Valid {
			return nil
		}
		var c plan.Content
		if err := json.Unmarshal([]byte(content.String), &c); err != nil {
			return fmt.Errorf("plan content: %w", err)
		}
		l.Approved = true
		l.Money.addBudget(c.Budget)
		for _, p := range c.Projects {
			l.Projects = append(l.Projects, Project{Title: p.Title, StartsOn: p.StartsOn, EndsOn: p.EndsOn})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(planOf) > 0 {
		pids := make([]any, 0, len(planOf))
		for id := range planOf {
			pids = append(pids, id)
		}
		err = db.Each(ctx, s.db.Read(), `SELECT plan_id, source, SUM(amount) FROM plan_spending WHERE plan_id IN (`+
			db.Placeholders(1, len(pids))+`) GROUP BY plan_id, source`, pids, func(rows *sql.Rows) error {
			var (
				planID int64
				source string
				sum    int64
			)
			if err := rows.Scan(&planID, &source, &sum); err != nil {
				return err
			}
			out.Lines[planOf[planID]].Money.addSpent(source, sum)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	for _, l := range out.Lines {
		out.Total.add(l.Money)
	}
	return out, nil
}
