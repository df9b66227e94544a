package mapping

import (
	"context"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// IndustryRow is one industry of a cluster in one area and year.
type IndustryRow struct {
	Code, Title string
	Employment  int64
	Suppressed  bool
	Present     bool // the dataset has a cell for it
	LQ          Value
	LQText      string
}

// OrgRow is a registered organisation in the cluster's industries and area.
type OrgRow struct {
	ID                int64
	Name, Kind, ISIC  string
	SizeBand, Country string
}

// DetailData is the area × cluster page's data.
type DetailData struct {
	Form        ExploreForm
	Run         *Run
	Row         CandidateRow
	Series      []CandidateRow
	Industries  []IndustryRow
	Orgs        []OrgRow
	Area        DatasetArea
	Thresholds  *Thresholds
	StartURL    string
	BackURL     string
	CanStart    bool
	MoreOrgs    bool
	ClusterType ClusterType
}

// orgsShown bounds the organisations listed on the detail page.
const orgsShown = 50

// HandleExploreDetail shows one area × cluster: its figures over the years,
// its industries, and the registered organisations that belong to it.
func HandleExploreDetail(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		loc := web.Localizer(r)
		form, err := ParseExploreForm(r.URL.Query())
		if err == nil && (form.Query.Area == "" || form.Query.Cluster == "") {
			var f problem.Fields
			f.Add("area", "Choose an area and a cluster (?area=&cluster=).")
			err = f.Err()
		}
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, ok, err := s.Resolve(ctx, &form); err != nil || !ok {
			if err == nil {
				err = problem.NotFoundf("There is nothing to compute: no dataset with a definition set of its classification.")
			}
			rd.Error(w, r, err)
			return
		}
		run, err := s.Run(ctx, RunInput{DatasetID: form.Dataset, SetID: form.Set, Reference: form.Reference, From: form.From, To: form.To})
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &DetailData{Form: form, Run: run}
		ex := &ExploreData{Run: run}
		base := form.Values()
		for _, y := range run.Result.Years {
			rows, _ := Candidates(run.Result, Query{Year: y, Area: form.Query.Area, Cluster: form.Query.Cluster})
			if len(rows) == 1 {
				row := ex.row(&rows[0], loc, base)
				d.Series = append(d.Series, row)
				if y == form.Year {
					d.Row = row
				}
			}
		}
		if d.Row.Area == "" {
			rd.Error(w, r, problem.NotFoundf("No figures for area %q and cluster %q in %d.", form.Query.Area, form.Query.Cluster, form.Year))
			return
		}
		for i := range run.Result.Thresholds {
			if t := &run.Result.Thresholds[i]; t.Year == form.Year && t.Cluster == form.Query.Cluster {
				d.Thresholds = t
			}
		}
		for _, a := range run.Areas {
			if a.Code == form.Query.Area {
				d.Area = a
			}
		}
		defs, err := s.LoadDefinitionSet(ctx, run.Set.ID)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		ci := slices.IndexFunc(defs.Clusters, func(c Cluster) bool { return c.Code == form.Query.Cluster })
		if ci < 0 {
			rd.Error(w, r, problem.NotFoundf("The definition set has no cluster %q.", form.Query.Cluster))
			return
		}
		cl := defs.Clusters[ci]
		d.ClusterType = cl.Type
		if d.Industries, err = s.industryRows(ctx, run, cl, form, loc); err != nil {
			rd.Error(w, r, err)
			return
		}
		if d.Orgs, d.MoreOrgs, err = s.clusterOrgs(ctx, user.ActorFrom(ctx), run.Dataset.Classification, cl.Industries, d.Area); err != nil {
			rd.Error(w, r, err)
			return
		}
		d.StartURL, d.CanStart = startURL(d, cl, run.Dataset.Classification), d.Area.Country != ""
		back := maps.Clone(base) // Del below only drops keys, so sharing the value slices is safe
		back.Del("area")
		back.Del("cluster")
		d.BackURL = "/mapping?" + back.Encode()
		title := loc.T("mapexplore.detail_title", "cluster", d.Row.ClusterName, "area", d.Row.AreaName)
		p := rd.NewPage(r, title, d)
		p.Section = navSection
		p.Crumbs = []web.Crumb{{Label: loc.T("common.region"), URL: "/"}, {Label: loc.T("mapexplore.title"), URL: d.BackURL}, {Label: title}}
		rd.Render(w, r, http.StatusOK, "mapping/explore_detail", p)
	})
}

// startURL opens the registry's new-cluster form with this candidate:
// its name, the area's country and, for ISIC data, the cluster's industries.
func startURL(d *DetailData, cl Cluster, classification string) string {
	v := url.Values{}
	v.Set("name", fmt.Sprintf("%s – %s", d.Row.ClusterName, d.Row.AreaName))
	if d.Area.Country != "" {
		v.Set("country", d.Area.Country)
	}
	if classification == "isic4" {
		v.Set("isic", strings.Join(cl.Industries, ","))
	}
	return "/clusters/new?" + v.Encode()
}

// industryRows computes each industry's employment and textbook LQ in the
// area and year, against the same reference as the cluster figures.
func (s *Store) industryRows(ctx context.Context, run *Run, cl Cluster, form ExploreForm, loc *i18n.Localizer) ([]IndustryRow, error) {
	inRef := map[string]bool{}
	for _, a := range run.Result.Reference.Areas {
		inRef[a] = true
	}
	var n, N int64
	for _, a := range run.Result.Areas {
		if a.Year == form.Year && a.Area == form.Query.Area {
			n = a.All
		}
	}
	for _, t := range run.Result.References {
		if t.Year == form.Year {
			N = t.All
		}
	}
	args := []any{run.Dataset.ID, form.Year}
	ph := make([]string, len(cl.Industries))
	for i, code := range cl.Industries {
		args = append(args, code)
		ph[i] = fmt.Sprintf("$%d", i+3)
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT area_code, industry, COALESCE(employment, 0), suppressed FROM employment_cells
		WHERE dataset_id = $1 AND year = $2 AND industry IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("industry cells: %w", err)
	}
	defer rows.Close()
	own := map[string]*IndustryRow{}
	refEmp := map[string]int64{}
	for rows.Next() {
		var area, ind string
		var emp int64
		var supp bool
		if err := rows.Scan(&area, &ind, &emp, &supp); err != nil {
			return nil, err
		}
		if len(inRef) == 0 || inRef[area] {
			refEmp[ind] += emp
		}
		if area == form.Query.Area {
			own[ind] = &IndustryRow{Code: ind, Employment: emp, Suppressed: supp, Present: true}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	titles, err := s.industryTitles(ctx, run.Dataset.Classification, cl.Industries)
	if err != nil {
		return nil, err
	}
	out := make([]IndustryRow, 0, len(cl.Industries))
	for _, code := range cl.Industries {
		row := IndustryRow{Code: code}
		if o := own[code]; o != nil {
			row = *o
		}
		row.Title = titles[code]
		row.LQText = "–"
		if row.Present && !row.Suppressed {
			row.LQ = LocationQuotient(row.Employment, n, refEmp[code], N)
			if v, ok := row.LQ.Get(); ok {
				row.LQText = loc.Float(v, 2)
			}
		}
		out = append(out, row)
	}
	slices.SortStableFunc(out, func(a, b IndustryRow) int { return int(b.Employment - a.Employment) })
	return out, nil
}

func (s *Store) industryTitles(ctx context.Context, classification string, codes []string) (map[string]string, error) {
	table := "isic_codes"
	if classification == "naics2012" {
		table = "naics_codes"
	}
	args := make([]any, len(codes))
	ph := make([]string, len(codes))
	for i, c := range codes {
		args[i], ph[i] = c, fmt.Sprintf("$%d", i+1)
	}
	out := map[string]string{}
	if len(codes) == 0 {
		return out, nil
	}
	rows, err := s.db.Read().QueryContext(ctx, `SELECT code, title FROM `+table+` WHERE code IN (`+strings.Join(ph, ",")+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("industry titles: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var c, t string
		if err := rows.Scan(&c, &t); err != nil {
			return nil, err
		}
		out[c] = t
	}
	return out, rows.Err()
}

// clusterOrgs lists the registered organisations the actor may read in the
// cluster's industries (ISIC data only: the registry records ISIC codes) and
// in the area: the platform area when the dataset's area is one, otherwise
// its country.
func (s *Store) clusterOrgs(ctx context.Context, actor user.Actor, classification string, industries []string, area DatasetArea) ([]OrgRow, bool, error) {
	if classification != "isic4" || len(industries) == 0 || (area.AreaID == 0 && area.Country == "") {
		return nil, false, nil
	}
	var args []any
	ph := make([]string, len(industries))
	for i, c := range industries {
		args = append(args, c)
		ph[i] = fmt.Sprintf("$%d", i+1)
	}
	where := "o.archived_at IS NULL AND o.isic_code IN (" + strings.Join(ph, ",") + ")"
	if area.AreaID != 0 {
		args = append(args, area.AreaID)
		where += fmt.Sprintf(" AND o.area_id = $%d", len(args))
	} else {
		args = append(args, area.Country)
		where += fmt.Sprintf(" AND o.country_iso3 = $%d", len(args))
	}
	cond, scopeArgs := user.OrgReadFilter(actor, "o", len(args)+1)
	args = append(args, scopeArgs...)
	rows, err := s.db.Read().QueryContext(ctx, `SELECT o.id, o.name, o.kind, COALESCE(o.isic_code, ''), o.size_band, o.country_iso3
		FROM organisations o WHERE `+where+` AND `+cond+fmt.Sprintf(` ORDER BY o.name_norm, o.id LIMIT %d`, orgsShown+1), args...)
	if err != nil {
		return nil, false, fmt.Errorf("organisations of the cluster: %w", err)
	}
	defer rows.Close()
	var out []OrgRow
	for rows.Next() {
		var o OrgRow
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, &o.ISIC, &o.SizeBand, &o.Country); err != nil {
			return nil, false, err
		}
		out = append(out, o)
	}
	more := len(out) > orgsShown
	if more {
		out = out[:orgsShown]
	}
	return out, more, rows.Err()
}
