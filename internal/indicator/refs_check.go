package indicator

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// checkRefs adds field problems for references to other indicators that do
// not hold: a code another indicator already has, a weight indicator or a
// formula input that does not exist or is archived, and a formula that
// leads back to itself through other formulas. self is the indicator's ID
// when editing (0 when creating).
func checkRefs(ctx context.Context, q db.Querier, in *Input, self int64, f *problem.Fields) error {
	if !f.Has("code") && self == 0 {
		var other int64
		err := q.QueryRowContext(ctx, `SELECT id FROM indicators WHERE code = $1`, in.Code).Scan(&other)
		switch {
		case err == nil:
			f.Add("code", "Another indicator already has the code %s.", in.Code)
		case !errors.Is(err, sql.ErrNoRows):
			return fmt.Errorf("check code: %w", err)
		}
	}
	if in.WeightCode != "" && !f.Has("weight_code") {
		archived, ok, err := codeState(ctx, q, in.WeightCode)
		switch {
		case err != nil:
			return err
		case !ok:
			f.Add("weight_code", "There is no indicator with the code %s.", in.WeightCode)
		case archived:
			f.Add("weight_code", "%s is archived and cannot weigh an average.", in.WeightCode)
		}
	}
	if in.Formula == "" || f.Has("formula") {
		return nil
	}
	expr, err := ParseFormula(in.Formula)
	if err != nil {
		// check() has reported it already.
		return nil
	}
	for _, r := range expr.Refs() {
		archived, ok, err := codeState(ctx, q, r.Code)
		switch {
		case err != nil:
			return err
		case !ok:
			f.Add("formula", "At character %d the formula refers to %s, but there is no indicator with that code.", r.Pos, r.Code)
			return nil
		case archived:
			f.Add("formula", "At character %d the formula refers to %s, which is archived.", r.Pos, r.Code)
			return nil
		}
	}
	deps, err := formulaGraph(ctx, q)
	if err != nil {
		return err
	}
	deps[in.Code] = expr.Codes()
	if cycle := FindCycle(in.Code, deps); cycle != nil {
		pos := 1
		for _, r := range expr.Refs() {
			if r.Code == cycle[1] {
				pos = r.Pos
			}
		}
		f.Add("formula", "At character %d the formula leads back to %s itself: %s.", pos, in.Code, strings.Join(cycle, " → "))
	}
	return nil
}

// codeState reports whether an indicator code exists and is archived.
func codeState(ctx context.Context, q db.Querier, code string) (archived, ok bool, err error) {
	var at sql.NullTime
	err = q.QueryRowContext(ctx, `SELECT archived_at FROM indicators WHERE code = $1`, code).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) {
		return false, false, nil
	}
	if err != nil {
		return false, false, fmt.Errorf("indicator %s: %w", code, err)
	}
	return at.Valid, true, nil
}

// formulaGraph maps each formula indicator's code to the codes its formula uses.
func formulaGraph(ctx context.Context, q db.Querier) (map[string][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT code, formula FROM indicators WHERE formula <> '' AND archived_at IS NULL`)
	if err != nil {
		return nil, fmt.Errorf("formulas: %w", err)
	}
	defer rows.Close()
	deps := map[string][]string{}
	for rows.Next() {
		var code, formula string
		if err := rows.Scan(&code, &formula); err != nil {
			return nil, err
		}
		if e, err := ParseFormula(formula); err == nil {
			deps[code] = e.Codes()
		}
	}
	return deps, rows.Err()
}

// usersOf lists the active indicators whose formula or weighted average
// uses code.
func usersOf(ctx context.Context, q db.Querier, code string) ([]string, error) {
	deps, err := formulaGraph(ctx, q)
	if err != nil {
		return nil, err
	}
	var out []string
	for c, ds := range deps {
		if oneOf(code, ds) {
			out = append(out, c)
		}
	}
	rows, err := q.QueryContext(ctx, `SELECT code FROM indicators WHERE weight_code = $1 AND archived_at IS NULL ORDER BY code`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		if !oneOf(c, out) {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return out, rows.Err()
}
