package indicator

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// RunRecordType names validation runs in the audit log.
const RunRecordType = "validation_run"

// RunKind says how a run was started.
type RunKind string

// The run kinds: on entry of values, or on demand for a scope.
const (
	RunOnEntry  RunKind = "entry"
	RunOnDemand RunKind = "on_demand"
)

// Key is the message key of the kind's label.
func (k RunKind) Key() string { return "indicatorquality.run_kind." + string(k) }

// Violation is a rule that did not hold for one subject and period.
type Violation struct {
	ID          int64      `json:"id,omitempty"`
	RunID       int64      `json:"run_id,omitempty"`
	RuleID      int64      `json:"rule_id"`
	RuleName    string     `json:"rule_name"`
	RuleText    string     `json:"rule"`
	Importance  Importance `json:"importance"`
	Subject     Subject    `json:"subject"`
	SubjectName string     `json:"subject_name"`
	Country     string     `json:"country"`
	Period      string     `json:"period"`
	Left        *float64   `json:"left_value"`
	Right       *float64   `json:"right_value"`
	// Current is false once a later run has checked the subject and period again.
	Current     bool      `json:"current"`
	CreatedAt   time.Time `json:"created_at,omitzero"`
	periodStart string
}

// Decimals is how many decimals the page shows for the sides.
func (v *Violation) Decimals() int {
	d := 0
	for _, x := range []*float64{v.Left, v.Right} {
		if x != nil {
			d = max(d, decimals(*x))
		}
	}
	return d
}

// Run is one check of the rules and what it found.
type Run struct {
	ID         int64     `json:"id"`
	Kind       RunKind   `json:"kind"`
	Country    string    `json:"country"`
	ClusterID  int64     `json:"cluster_id"`
	Subject    string    `json:"subject"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Pairs      int       `json:"pairs"`
	Checks     int       `json:"checks"`
	Violations int       `json:"violations"`
	Actor      string    `json:"started_by"`
	CreatedAt  time.Time `json:"created_at"`
}

// RunInput is the scope of an on-demand run: a country or one cluster
// initiative (or neither: every subject the person may read) and a range of
// periods, from the start of From to the end of To.
type RunInput struct {
	Country   string `json:"country"`
	ClusterID int64  `json:"cluster_id"`
	From      string `json:"from"`
	To        string `json:"to"`
}

func runTooMany(n int) error {
	return problem.Fields{{Field: "from", Message: fmt.Sprintf("The scope holds %d values, more than the %d one check reads; choose a country or a cluster, or fewer periods.", n, MaxRunValues)}}.Err()
}

// runScope adds the conditions of a run's scope on alias t (values or
// violations) and returns the periods.
func runScope(w *where, actor user.Actor, in *RunInput) error {
	var f problem.Fields
	in.Country = strings.ToUpper(strings.TrimSpace(in.Country))
	if in.Country != "" && !iso3Re.MatchString(in.Country) {
		f.Add("country", "%q is not a country: use its ISO 3166-1 alpha-3 code, such as JAM.", in.Country)
	}
	if in.ClusterID < 0 {
		f.Add("cluster_id", "A cluster ID is a positive number.")
	}
	from, ferr := ParsePeriod(in.From)
	if ferr != nil {
		f.Add("from", "%s.", upperFirst(ferr.Error()))
	}
	to, terr := ParsePeriod(in.To)
	if terr != nil {
		f.Add("to", "%s.", upperFirst(terr.Error()))
	}
	if ferr == nil && terr == nil {
		in.From, in.To = from.Key(), to.Key()
		if qualityPeriodEnd(to) <= from.Start() {
			f.Add("to", "The range ends before it starts: %s is before %s.", to.Key(), from.Key())
		}
	}
	if err := f.Err(); err != nil {
		return err
	}
	targetScope(w, actor, false)
	qualityCountryScope(w, in.Country)
	if in.ClusterID > 0 {
		w.raw("t.subject_kind = 'cluster'")
		w.add("t.subject_id = $%d", in.ClusterID)
	}
	w.add("t.period_start >= $%d", from.Start())
	w.add("t.period_start < $%d", qualityPeriodEnd(to))
	return nil
}

// RunRules checks the rules for a scope of subjects and periods now, stores
// the run and its violations, and marks the earlier violations of the
// scope as no longer current. The scope is limited to MaxRunValues values.
func (s *Store) RunRules(ctx context.Context, actor user.Actor, in RunInput) (*Run, error) {
	if !MaySetTargets(actor) {
		return nil, problem.Forbiddenf("Only administrators, programme officers, BSO staff and cluster managers may run the validation rules.")
	}
	var run *Run
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var w where
		if err := runScope(&w, actor, &in); err != nil {
			return err
		}
		if in.ClusterID > 0 {
			if _, _, err := subjectAccess(ctx, tx, actor, Subject{Kind: SubjectCluster, ID: in.ClusterID}); problem.Is(err, problem.NotFound) {
				return problem.Fields{{Field: "cluster_id", Message: fmt.Sprintf("There is no cluster initiative #%d that you may see.", in.ClusterID)}}.Err()
			} else if err != nil {
				return err
			}
		}
		rules, err := compileRules(ctx, tx)
		if err != nil {
			return err
		}
		scope := where{conds: append([]string(nil), w.conds...), args: append([]any(nil), w.args...)}
		pairs, err := loadRulePairs(ctx, tx, &w)
		if err != nil {
			return err
		}
		found, checks := checkRulePairs(rules, pairs)
		run = &Run{Kind: RunOnDemand, Country: in.Country, ClusterID: in.ClusterID, From: in.From, To: in.To,
			Pairs: len(pairs), Checks: checks, Violations: len(found), Actor: actor.Label()}
		if in.ClusterID > 0 {
			run.Subject = Subject{Kind: SubjectCluster, ID: in.ClusterID}.String()
		}
		if err := insertValidationRun(ctx, tx, actor, run); err != nil {
			return err
		}
		if err := supersedeViolations(ctx, tx, &scope, run.ID); err != nil {
			return err
		}
		if err := insertViolations(ctx, tx, run.ID, found); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", RunRecordType, run.ID, nil, run)
	})
	return run, err
}

// checkOnEntry checks the rules for each subject and period that saved
// values touched, inside the saving transaction, and stores what it found
// as a run of kind entry. Nothing is stored when no rule applies.
func checkOnEntry(ctx context.Context, tx *sql.Tx, actor user.Actor, saved []*Value) ([]*Violation, error) {
	found := []*Violation{}
	if len(saved) == 0 {
		return found, nil
	}
	rules, err := compileRules(ctx, tx)
	if err != nil || len(rules) == 0 {
		return found, err
	}
	types := map[PeriodType]bool{}
	for _, r := range rules {
		types[r.PeriodType] = true
	}
	seen := map[string]bool{}
	var all []*rulePair
	var scopes []where
	checks := 0
	for _, v := range saved {
		k := v.Subject.String() + "|" + v.Period
		if seen[k] || !types[v.PeriodType] {
			continue
		}
		seen[k] = true
		var w where
		w.add("t.subject_kind = $%d", string(v.Subject.Kind))
		w.add("t.subject_id = $%d", v.Subject.ID)
		w.add("t.subject_iso3 = $%d", v.Subject.ISO3)
		w.add("t.period_key = $%d", v.Period)
		scopes = append(scopes, where{conds: append([]string(nil), w.conds...), args: append([]any(nil), w.args...)})
		pairs, err := loadRulePairs(ctx, tx, &w)
		if err != nil {
			return nil, err
		}
		f, n := checkRulePairs(rules, pairs)
		found, checks = append(found, f...), checks+n
		all = append(all, pairs...)
	}
	if len(scopes) == 0 {
		return found, nil
	}
	run := &Run{Kind: RunOnEntry, Subject: saved[0].Subject.String(), From: saved[0].Period, To: saved[0].Period,
		Pairs: len(all), Checks: checks, Violations: len(found), Actor: actor.Label()}
	for _, v := range saved {
		run.From, run.To = runMinPeriod(run.From, v.Period), runMaxPeriod(run.To, v.Period)
	}
	if len(seen) > 1 {
		run.Subject = rulePairsText(all)
	}
	if err := insertValidationRun(ctx, tx, actor, run); err != nil {
		return nil, err
	}
	for n := range scopes {
		if err := supersedeViolations(ctx, tx, &scopes[n], run.ID); err != nil {
			return nil, err
		}
	}
	return found, insertViolations(ctx, tx, run.ID, found)
}

func runMinPeriod(a, b string) string {
	if pa, err := ParsePeriod(a); err == nil {
		if pb, err := ParsePeriod(b); err == nil && pb.Start() < pa.Start() {
			return b
		}
	}
	return a
}

func runMaxPeriod(a, b string) string {
	if pa, err := ParsePeriod(a); err == nil {
		if pb, err := ParsePeriod(b); err == nil && qualityPeriodEnd(pb) > qualityPeriodEnd(pa) {
			return b
		}
	}
	return a
}

func insertValidationRun(ctx context.Context, tx *sql.Tx, actor user.Actor, run *Run) error {
	var uid any
	if actor.UserID != 0 {
		uid = actor.UserID
	}
	run.CreatedAt = db.Now()
	err := tx.QueryRowContext(ctx, `INSERT INTO validation_runs (kind, country_iso3, cluster_id, subject, period_from, period_to,
		pairs, checks, violations, created_by, actor, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12) RETURNING id`,
		string(run.Kind), run.Country, run.ClusterID, run.Subject, run.From, run.To, run.Pairs, run.Checks, run.Violations,
		uid, run.Actor, run.CreatedAt).Scan(&run.ID)
	if err != nil {
		return fmt.Errorf("insert validation run: %w", err)
	}
	return nil
}

// supersedeViolations marks the current violations within scope (conditions on
// alias t) as replaced by run.
func supersedeViolations(ctx context.Context, tx *sql.Tx, scope *where, run int64) error {
	args := append(append([]any(nil), scope.args...), run)
	_, err := tx.ExecContext(ctx, fmt.Sprintf(`UPDATE validation_violations SET superseded_by = $%d
		WHERE superseded_by IS NULL AND id IN (SELECT t.id`+ruleFrom("validation_violations")+scope.String()+`)`, len(args)), args...)
	if err != nil {
		return fmt.Errorf("supersede violations: %w", err)
	}
	return nil
}

func insertViolations(ctx context.Context, tx *sql.Tx, run int64, found []*Violation) error {
	now := db.Now()
	for _, v := range found {
		v.RunID, v.CreatedAt = run, now
		err := tx.QueryRowContext(ctx, `INSERT INTO validation_violations (run_id, rule_id, subject_kind, subject_id, subject_iso3,
			country_iso3, period_key, period_start, left_value, right_value, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11)
			RETURNING id`, run, v.RuleID, string(v.Subject.Kind), v.Subject.ID, v.Subject.ISO3, v.Country, v.Period, v.periodStart,
			v.Left, v.Right, now).Scan(&v.ID)
		if err != nil {
			return fmt.Errorf("insert violation: %w", err)
		}
	}
	return nil
}
