package importer

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/user"
)

// checkOrganisations reads and checks an organisations file: every row on
// its own, then the rows together (duplicates within the file), then
// against the registry (duplicates of existing organisations) and the
// actor's scope (the countries they may register organisations in).
func checkOrganisations(ctx context.Context, q db.Querier, actor user.Actor, name string, data []byte) (*Report, []OrgRow, error) {
	rf, err := loadRefs(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	year := currentYear()
	rep := newReport(Organisations, name)
	var rows []OrgRow
	scan(rep, data, func(rec *record) {
		rows = append(rows, readOrgRow(rec, rf, rep, year))
	})
	if len(rep.Problems) > 0 && rep.bad[0] != nil {
		// A problem with the whole file: the rows mean nothing.
		rep.finish()
		return rep, nil, nil
	}
	if err := checkOrgScope(ctx, q, actor, rows, rf, rep); err != nil {
		return nil, nil, err
	}
	checkDuplicatesInFile(rows, rep)
	if err := checkExistingDuplicates(ctx, q, actor, rows, rep); err != nil {
		return nil, nil, err
	}
	rep.finish()
	rep.Preview = orgPreview(rep, rows)
	return rep, rows, nil
}

// checkOrgScope reports rows in countries where the actor may not register
// organisations. The rule is the organisation write filter itself,
// evaluated on a row that has only the country: so an import allows
// exactly what the organisation form allows.
func checkOrgScope(ctx context.Context, q db.Querier, actor user.Actor, rows []OrgRow, rf *refs, rep *Report) error {
	allowed := map[string]bool{}
	for _, o := range rows {
		if o.Country == "" {
			continue
		}
		ok, seen := allowed[o.Country]
		if !seen {
			var err error
			if ok, err = mayCreateIn(ctx, q, actor, o.Country); err != nil {
				return err
			}
			allowed[o.Country] = ok
		}
		if !ok {
			rep.add(o.Row, colCountry, fmt.Sprintf("you may not register organisations in %s", rf.countryName[o.Country]))
		}
	}
	return nil
}

// mayCreateIn reports whether the actor may register an organisation in a
// country.
func mayCreateIn(ctx context.Context, q db.Querier, actor user.Actor, iso3 string) (bool, error) {
	if !user.CanCreateOrg(actor) {
		return false, nil
	}
	cond, args := user.OrgWriteFilter(actor, "o", 2)
	var n int
	err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT CAST($1 AS TEXT) AS country_iso3, CAST(0 AS BIGINT) AS id) o WHERE `+cond,
		append([]any{iso3}, args...)...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("check scope for %s: %w", iso3, err)
	}
	return n > 0, nil
}

// dupKey identifies an organisation for duplicate checks: its normalised
// name and country.
type dupKey struct{ norm, country string }

// checkDuplicatesInFile reports rows naming the same organisation (same
// normalised name and country) as another row, on every such row, unless
// the row is marked allow_duplicate.
func checkDuplicatesInFile(rows []OrgRow, rep *Report) {
	groups := map[dupKey][]int{}
	for _, o := range rows {
		if o.norm != "" && o.Country != "" {
			k := dupKey{o.norm, o.Country}
			groups[k] = append(groups[k], o.Row)
		}
	}
	for _, o := range rows {
		g := groups[dupKey{o.norm, o.Country}]
		if len(g) < 2 || o.AllowDuplicate || o.norm == "" {
			continue
		}
		var others []string
		for _, r := range g {
			if r != o.Row {
				others = append(others, fmt.Sprint(r))
			}
		}
		rep.add(o.Row, colName, fmt.Sprintf("the file has the same organisation in %s on row %s; remove the repeated rows, or set allow_duplicate to yes if they are different organisations",
			o.Country, strings.Join(others, ", ")))
	}
}

// checkExistingDuplicates reports rows naming an organisation the registry
// already has in that country, unless the row is marked allow_duplicate.
// The registry's names in the file's countries are read once.
func checkExistingDuplicates(ctx context.Context, q db.Querier, actor user.Actor, rows []OrgRow, rep *Report) error {
	want := map[dupKey][]int{}
	countries := map[string]bool{}
	for i, o := range rows {
		if o.norm == "" || o.Country == "" || o.AllowDuplicate || rep.has(o.Row, colCountry) {
			continue
		}
		k := dupKey{o.norm, o.Country}
		want[k] = append(want[k], i)
		countries[o.Country] = true
	}
	if len(want) == 0 {
		return nil
	}
	list := make([]string, 0, len(countries))
	for c := range countries {
		list = append(list, c)
	}
	sort.Strings(list)
	args := make([]any, len(list))
	marks := make([]string, len(list))
	for i, c := range list {
		args[i], marks[i] = c, fmt.Sprintf("$%d", i+1)
	}
	cond, more := user.OrgReadFilter(actor, "o", len(args)+1)
	res, err := q.QueryContext(ctx, `SELECT o.id, o.name, o.country_iso3, o.archived_at IS NOT NULL FROM organisations o
		WHERE o.country_iso3 IN (`+strings.Join(marks, ", ")+`) AND `+cond+` ORDER BY o.id`, append(args, more...)...)
	if err != nil {
		return fmt.Errorf("find existing organisations: %w", err)
	}
	defer res.Close()
	reported := map[int]bool{}
	for res.Next() {
		var id int64
		var name, country string
		var archived bool
		if err := res.Scan(&id, &name, &country, &archived); err != nil {
			return err
		}
		for _, i := range want[dupKey{normaliseName(name), country}] {
			if reported[i] {
				continue
			}
			reported[i] = true
			state := ""
			if archived {
				state = " (archived)"
			}
			rep.add(rows[i].Row, colName, fmt.Sprintf("%q already exists in %s as organisation #%d%s; remove the row, or set allow_duplicate to yes if it is a different organisation",
				name, country, id, state))
		}
	}
	return res.Err()
}
