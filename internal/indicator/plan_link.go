package indicator

import (
	"context"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Figures that other parts of the observatory (the improvement plans) show
// next to the indicators they name: read-only, built from the same
// target-versus-actual table as the results pages.

// ClusterFigures is what the results framework holds for one indicator and
// one cluster initiative: its latest approved actual and its targets by
// year. A nil number is "no data".
type ClusterFigures struct {
	Code         string          `json:"code"`
	Name         string          `json:"name"`
	Unit         string          `json:"unit"`
	Actual       *float64        `json:"actual"`
	ActualPeriod string          `json:"actual_period"`
	Targets      map[int]float64 `json:"targets"` // annual targets by year
}

// TargetFor is the framework's annual target for year, or nil.
func (f *ClusterFigures) TargetFor(year int) *float64 {
	if v, ok := f.Targets[year]; ok {
		return &v
	}
	return nil
}

// FindClusterFigures reads, for cluster initiative clusterID, the figures
// of each indicator code the actor may read (codes that name no indicator
// are left out). Targets and values outside the actor's scope are not read.
func (s *Store) FindClusterFigures(ctx context.Context, actor user.Actor, clusterID int64, codes []string) (map[string]*ClusterFigures, error) {
	out := map[string]*ClusterFigures{}
	if !actor.SignedIn() {
		return nil, problem.New(problem.Unauthorized, "Sign in to read results.")
	}
	if clusterID <= 0 || len(codes) == 0 {
		return out, nil
	}
	var inds []*Indicator
	wanted := []string{}
	for _, code := range codes {
		ind, err := s.FindIndicatorByCode(ctx, actor, code)
		if problem.Is(err, problem.NotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		inds = append(inds, ind)
		wanted = append(wanted, ind.Code)
		if ind.IsFormula() {
			if e, err := ParseFormula(ind.Formula); err == nil {
				wanted = append(wanted, e.Codes()...)
			}
		}
	}
	if len(inds) == 0 {
		return out, nil
	}
	sub := Subject{Kind: SubjectCluster, ID: clusterID}
	targets, _, err := s.FindTargets(ctx, actor, TargetFilter{Subject: sub, Limit: 1000})
	if err != nil {
		return nil, err
	}
	set, err := s.approved(ctx, actor, sub, wanted)
	if err != nil {
		return nil, err
	}
	for _, ind := range inds {
		f := &ClusterFigures{Code: ind.Code, Name: ind.Name, Unit: ind.Unit, Targets: map[int]float64{}}
		if t := set.table(ind, sub, "", targets); t != nil {
			for _, r := range t.Rows {
				if r.Actual != nil {
					v := *r.Actual
					f.Actual, f.ActualPeriod = &v, r.Period
				}
				if r.Target != nil && !strings.Contains(r.Period, "-") {
					if y, err := strconv.Atoi(r.Period); err == nil {
						f.Targets[y] = *r.Target
					}
				}
			}
		}
		out[ind.Code] = f
	}
	return out, nil
}
