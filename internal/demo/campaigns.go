package demo

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Data collection: the two standard forms imported and published, the
// annual firm results survey sent every year from 2021 to 2025 by the BSOs
// of the demo accounts to the member firms of their initiatives in the
// programme, two quarterly progress reports of the cluster organisations,
// and the 2026 survey, open now, with about half of the answers in through
// the answering page, ODK Collect and Excel. Everything goes through the
// form and campaign stores (and, on approval, the indicator store), so
// that checks, versions and audit entries are theirs; the dates are set
// afterwards, as for the programme (see campaigns_dates.go).
//
// The firm survey maps jobs_created, revenue and exports to the standard
// indicators JOBS_CREATED, REVENUE and EXPORTS, and approving a return
// writes them as the firm's values for the year. The results data
// (indicators.go) has each initiative's own yearly figures for those
// indicators; a dashboard adds the values of an initiative and of its
// member firms together, so both would count the same jobs twice. For the
// surveyed initiatives the survey is therefore the source: each of their
// yearly figures is shared out over the firms surveyed (by size, exports
// by the firm's export share), every firm answers its share, and the
// initiative's own figures for those three indicators and years are taken
// out of the results data, but one: a year's total jobs of one initiative,
// left approved beside its firms' answers as a manager might enter it, for
// the check of values counted twice to find (doubledValue). Approved
// returns thus give exactly the values the firms answered, one version
// each, and the initiative's results are its members' approved returns.
// Firms that in a year also belonged to an initiative that kept its own
// figures are not surveyed that year, so that no other figure is counted
// in two places.

// The streams of the data collection (see random.go).
const (
	streamCampaigns uint64 = iota + 201
	streamCampaignFirms
	streamOpenCampaign
	streamProgressReports
)

// surveyMappings are the firm survey's fields that give indicator values.
var surveyMappings = []struct{ field, code string }{
	{"jobs_created", "JOBS_CREATED"}, {"revenue", "REVENUE"}, {"exports", "EXPORTS"},
}

// surveyYears are the years of the closed firm surveys; openYear is the
// year of the open one.
const (
	surveyFrom = resultsFrom
	surveyTo   = resultsTo
	openYear   = resultsTo + 1
)

// demoBaseURL is the address links are made from in the demo; only the
// tokens in them matter.
const demoBaseURL = "https://observatory.example.org"

// fieldOfficer is the name of the ODK Collect app users.
var fieldOfficers = []string{"Odane Campbell", "Kerry-Ann Francis", "Jovan St. Rose"}

// campaignTiming is how long the last generation's data collection took,
// for the timing test.
var campaignTiming time.Duration

// outbox keeps the invitation emails the demo sends, so that the links in
// them can be followed.
type outbox struct {
	mu    sync.Mutex
	links map[string]string // by recipient address, the latest link token
}

var linkToken = regexp.MustCompile(`/r/([A-Za-z0-9_-]+)`)

func (o *outbox) Send(_ context.Context, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if t := linkToken.FindStringSubmatch(m.Body); t != nil {
		o.links[m.To] = t[1]
	}
	return nil
}

// collector is what the data collection works with.
type collector struct {
	d       *db.DB
	s       *stored
	cs      *campaign.Store
	fs      *form.Store
	box     *outbox
	officer user.Actor
	ind     map[string]int64 // standard indicator IDs by code
	firm    *form.Definition // the firm survey as published
	firmVer int64
	progVer int64
	prog    *form.Definition
	firms   map[int64]*firmProfile
	// surveyed are the initiatives whose figures come from the survey, by
	// BSO, in ID order; figures are their figures by cluster, code and year.
	surveyed map[int64][]*scluster
	bsos     []user.Actor
	figures  map[int64]map[string]map[int]float64
	// kept are the initiatives (and years) that keep their own figures.
	kept map[int64]map[int]bool
	// closed are the closed firm surveys by BSO and year.
	closed map[int64]map[int]*campaign.Campaign
	// dated collects what the dates are set from.
	dated []*datedCampaign
	// pending are the returns waiting for approval.
	pending []pendingApproval
	counts  map[string]int
}

// generateCampaigns adds the data collection and its counts.
func generateCampaigns(ctx context.Context, d *db.DB, scale int, counts map[string]int) error {
	start := time.Now()
	s, err := loadStored(ctx, d)
	if err != nil {
		return err
	}
	s.workers = 1
	if d.Dialect == db.Postgres {
		s.workers = 4
	}
	box := &outbox{links: map[string]string{}}
	is := indicator.NewStore(d)
	c := &collector{d: d, s: s, box: box, fs: form.NewStore(d, is), officer: s.officer(),
		cs:     campaign.NewStore(d, campaign.Options{BaseURL: demoBaseURL, Mailer: box}),
		ind:    map[string]int64{},
		closed: map[int64]map[int]*campaign.Campaign{}, counts: map[string]int{}}
	if err := c.importForms(ctx); err != nil {
		return fmt.Errorf("forms: %w", err)
	}
	if err := c.chooseSurveyed(ctx, scale); err != nil {
		return err
	}
	if len(c.bsos) > 0 {
		if err := c.loadFirms(ctx, newRNG(scale, streamCampaignFirms)); err != nil {
			return err
		}
		if err := c.takeOverFigures(ctx); err != nil {
			return fmt.Errorf("results data of the surveyed initiatives: %w", err)
		}
		r := newRNG(scale, streamCampaigns)
		for y := surveyFrom; y <= surveyTo; y++ {
			invited := map[int64]bool{}
			for _, bso := range c.bsos {
				if err := c.closedSurvey(ctx, r, bso, y, invited); err != nil {
					return fmt.Errorf("firm survey %d: %w", y, err)
				}
			}
		}
	}
	if err := c.progressReports(ctx, newRNG(scale, streamProgressReports)); err != nil {
		return fmt.Errorf("progress reports: %w", err)
	}
	if len(c.bsos) > 0 {
		if err := c.openSurvey(ctx, newRNG(scale, streamOpenCampaign)); err != nil {
			return fmt.Errorf("open firm survey: %w", err)
		}
	}
	if err := c.setDates(ctx, newRNG(scale, streamCampaigns+50)); err != nil {
		return fmt.Errorf("date the campaigns: %w", err)
	}
	for k, v := range c.counts {
		counts[k] = v
	}
	var values int
	if err := d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM indicator_values`).Scan(&values); err != nil {
		return err
	}
	counts["indicator_values"] = values
	campaignTiming = time.Since(start)
	return nil
}

// formVersion is the version the demo's forms were imported as, in
// December 2021: the standard templates with a version string of that
// year, so that loading the template today (version 2026.1) adds a new
// version rather than clashing with the demo's.
const formVersion = "2021.1"

// importForms imports both standard templates as the programme officer
// would, publishes them and maps the firm survey's fields.
func (c *collector) importForms(ctx context.Context) error {
	rows, err := c.d.Read().QueryContext(ctx, `SELECT code, id FROM indicators WHERE standard`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var code string
		var id int64
		if err := rows.Scan(&code, &id); err != nil {
			rows.Close()
			return err
		}
		c.ind[code] = id
	}
	rows.Close()
	for _, name := range []string{"firm_results", "cluster_progress"} {
		tpl, _ := form.StandardByName(name)
		def := tpl.Definition()
		def.Version = formVersion
		wb, err := form.WriteXLSForm(def)
		if err != nil {
			return err
		}
		imp, err := c.fs.Import(ctx, c.officer, wb, name+".xlsx")
		if err != nil {
			return fmt.Errorf("import %s: %w", name, err)
		}
		if _, err := c.fs.SetPublished(ctx, c.officer, imp.Version.ID, true); err != nil {
			return err
		}
		if name == "firm_results" {
			c.firmVer, c.firm = imp.Version.ID, imp.Definition
			var in []form.MappingInput
			for _, m := range surveyMappings {
				if id, ok := c.ind[m.code]; ok {
					in = append(in, form.MappingInput{Field: m.field, IndicatorID: id})
				}
			}
			if _, err := c.fs.SaveMappings(ctx, c.officer, imp.Version.ID, in); err != nil {
				return fmt.Errorf("map the firm survey: %w", err)
			}
		} else {
			c.progVer, c.prog = imp.Version.ID, imp.Definition
		}
	}
	c.counts["forms"] = 2
	return nil
}

// inProgramme are the stages of initiatives with results data.
var inProgramme = []string{"plan_approved", "implementing", "sustaining"}

// chooseSurveyed picks the initiatives the demo BSO accounts survey: those
// of their BSO in the programme, the largest first: two at scale 1, a few
// more at larger scales (1 + √scale).
func (c *collector) chooseSurveyed(ctx context.Context, scale int) error {
	c.surveyed = map[int64][]*scluster{}
	limit := 1 + int(math.Sqrt(float64(scale)))
	for _, email := range []string{"bso.jamaica@demo.example.org", "bso.saintlucia@demo.example.org"} {
		a, ok := c.s.users[email]
		if !ok || a.Scope.Kind != user.ScopeBSO {
			continue
		}
		var ks []*scluster
		for _, k := range c.s.clusters {
			if k.lead.id == a.Scope.IntID() && slices.Contains(inProgramme, k.stage) && len(k.members) > 0 {
				ks = append(ks, k)
			}
		}
		slices.SortStableFunc(ks, func(x, y *scluster) int { return len(y.members) - len(x.members) })
		ks = ks[:min(len(ks), limit)]
		slices.SortFunc(ks, func(x, y *scluster) int { return int(x.id - y.id) })
		if len(ks) > 0 {
			c.surveyed[a.Scope.IntID()] = ks
			c.bsos = append(c.bsos, a)
		}
	}
	return nil
}

// firmProfile is what a firm's answers are drawn from, the same every year.
type firmProfile struct {
	org      *sorg
	band     string
	weight   float64 // its share of its initiatives' revenue and jobs
	exports  float64 // its share of their exports, relative to weight
	staff    int     // employees at the end of 2020
	women    float64
	youth    float64
	channel  float64 // how it tends to answer
	lateness float64
}

var bandWeights = map[string]float64{"micro": 1, "small": 4, "medium": 12, "large": 30}

// loadFirms draws a profile for every firm, in ID order.
func (c *collector) loadFirms(ctx context.Context, r *rng) error {
	c.firms = map[int64]*firmProfile{}
	bands := map[int64]string{}
	err := db.Each(ctx, c.d.Read(), `SELECT id, size_band FROM organisations WHERE kind = 'firm' ORDER BY id`, nil, func(rows *sql.Rows) error {
		var id int64
		var b string
		err := rows.Scan(&id, &b)
		bands[id] = b
		return err
	})
	if err != nil {
		return err
	}
	ids := make([]int64, 0, len(bands))
	for id := range bands {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		b := bands[id]
		w, ok := bandWeights[b]
		if !ok {
			b, w = "micro", 1
		}
		p := &firmProfile{org: c.s.orgs[id], band: b, weight: w * (0.6 + 0.8*r.float()), women: 0.3 + 0.3*r.float(),
			youth: 0.2 + 0.25*r.float(), channel: r.float(), lateness: r.float()}
		if !r.chance(0.3) {
			p.exports = 0.5 + r.float()
		}
		switch b {
		case "micro":
			p.staff = r.between(2, 9)
		case "small":
			p.staff = r.between(10, 49)
		case "medium":
			p.staff = r.between(50, 249)
		default:
			p.staff = r.between(250, 600)
		}
		c.firms[id] = p
	}
	return nil
}

// takeOverFigures reads the surveyed initiatives' figures for the mapped
// indicators and takes them out of the results data, and notes the
// initiatives that keep theirs.
func (c *collector) takeOverFigures(ctx context.Context) error {
	var ids []int64
	var sids []any
	for _, bso := range c.bsos {
		for _, k := range c.surveyed[bso.Scope.IntID()] {
			ids = append(ids, k.id)
			sids = append(sids, k.id)
		}
	}
	var inds []any
	for _, m := range surveyMappings {
		if id, ok := c.ind[m.code]; ok {
			inds = append(inds, id)
		}
	}
	codes := map[int64]string{}
	for code, id := range c.ind {
		codes[id] = code
	}
	c.figures, c.kept = map[int64]map[string]map[int]float64{}, map[int64]map[int]bool{}
	if len(inds) == 0 {
		return nil
	}
	in := db.Placeholders(1, len(inds))
	err := db.Each(ctx, c.d.Read(), `SELECT subject_id, indicator_id, period_key, value FROM indicator_values
		WHERE subject_kind = 'cluster' AND dimension_code = '' AND period_type = 'year' AND indicator_id IN (`+in+`)
		ORDER BY subject_id, indicator_id, period_key, version`, inds, func(rows *sql.Rows) error {
		var k, ind int64
		var period string
		var v float64
		if err := rows.Scan(&k, &ind, &period, &v); err != nil {
			return err
		}
		var y int
		fmt.Sscanf(period, "%d", &y)
		if !slices.Contains(ids, k) {
			if c.kept[k] == nil {
				c.kept[k] = map[int]bool{}
			}
			c.kept[k][y] = true
			return nil
		}
		if c.figures[k] == nil {
			c.figures[k] = map[string]map[int]float64{}
		}
		if c.figures[k][codes[ind]] == nil {
			c.figures[k][codes[ind]] = map[int]float64{}
		}
		c.figures[k][codes[ind]][y] = v // the latest version wins
		return nil
	})
	if err != nil {
		return err
	}
	return c.d.Tx(ctx, func(tx *sql.Tx) error {
		keep, err := c.doubledValue(ctx, tx)
		if err != nil {
			return err
		}
		n := len(inds) + len(sids)
		res, err := tx.ExecContext(ctx, `DELETE FROM indicator_values WHERE subject_kind = 'cluster' AND indicator_id IN (`+in+`)
			AND subject_id IN (`+db.Placeholders(len(inds)+1, len(sids))+`) AND period_key >= $`+fmt.Sprint(n+1)+
			` AND period_key < $`+fmt.Sprint(n+2)+` AND id <> $`+fmt.Sprint(n+3),
			append(append(inds, sids...), fmt.Sprint(surveyFrom), fmt.Sprint(surveyTo+1), keep)...)
		if err != nil {
			return err
		}
		taken, _ := res.RowsAffected()
		c.counts["cluster_values_from_survey"] = int(taken)
		return nil
	})
}

// doubledNote is the note of the one initiative figure the demo leaves
// beside its firms' answers, for the check of values counted twice.
const doubledNote = "Total jobs of the cluster's member firms, from the cluster organisation's records."

// doubledValue picks the value the demo leaves counted twice: the total
// jobs of the first initiative the Jamaican BSO surveys, in the latest
// year up to 2024 it reported, as its manager would enter the total of the
// members' jobs, approved. It returns its ID (0: none).
func (c *collector) doubledValue(ctx context.Context, tx *sql.Tx) (int64, error) {
	ind, ok := c.ind["JOBS_CREATED"]
	if !ok || len(c.bsos) == 0 || len(c.surveyed[c.bsos[0].Scope.IntID()]) == 0 {
		return 0, nil
	}
	k := c.surveyed[c.bsos[0].Scope.IntID()][0]
	year := 0
	for y := range c.figures[k.id]["JOBS_CREATED"] {
		if y <= 2024 && y > year {
			year = y
		}
	}
	if year == 0 {
		return 0, nil
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM indicator_values WHERE subject_kind = 'cluster' AND subject_id = $1 AND indicator_id = $2
		AND period_key = $3 AND dimension_code = '' ORDER BY version DESC LIMIT 1`, k.id, ind, fmt.Sprint(year)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("the value counted twice: %w", err)
	}
	_, err = tx.ExecContext(ctx, `UPDATE indicator_values SET state = 'approved', note = $1, review_comment = '', reviewer = $2,
		reviewed_at = COALESCE(reviewed_at, created_at) WHERE id = $3`, doubledNote, demoReviewer, id)
	return id, err
}

// figure is an initiative's yearly figure for an indicator: its own, or
// for a year it did not report, the mean of its other years (the survey
// covers the gap).
func (c *collector) figure(k *scluster, code string, y int, r *rng) float64 {
	ys := c.figures[k.id][code]
	if v, ok := ys[y]; ok {
		return v
	}
	var sum float64
	for _, v := range ys {
		sum += v
	}
	if len(ys) == 0 {
		return 0
	}
	return math.Round(sum / float64(len(ys)) * (0.9 + 0.2*r.float()))
}

// surveyedYears are the years an initiative is surveyed: those it has
// targets for (the years it is in the programme's results framework).
func (c *collector) surveyedYears(ctx context.Context, k *scluster) (map[int]bool, error) {
	out := map[int]bool{}
	err := db.Each(ctx, c.d.Read(), `SELECT DISTINCT period_key FROM indicator_targets WHERE subject_kind = 'cluster'
		AND subject_id = $1 AND kind = 'target' AND period_type = 'year'`, []any{k.id}, func(rows *sql.Rows) error {
		var p string
		if err := rows.Scan(&p); err != nil {
			return err
		}
		var y int
		fmt.Sscanf(p, "%d", &y)
		out[y] = true
		return nil
	})
	return out, err
}

// memberDuring reports whether m was a member at some time in year y.
func memberDuring(m smember, y int) bool {
	from, to := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
	return !m.joined.After(to) && (m.left.IsZero() || !m.left.Before(from))
}

// respondentsOf lists the firms a BSO surveys about year y, each with its
// initiatives, in ID order: the firms that were members at some time in
// the year (those the campaign store invites for the year, also when they
// have left since), except those another survey of the year has, and
// those that also belonged to an initiative that kept its own figures.
func (c *collector) respondentsOf(ctx context.Context, bso int64, y int, taken map[int64]bool) ([]int64, map[int64][]*scluster, error) {
	of := map[int64][]*scluster{}
	for _, k := range c.surveyed[bso] {
		years, err := c.surveyedYears(ctx, k)
		if err != nil {
			return nil, nil, err
		}
		if !years[y] {
			continue
		}
		for _, m := range k.members {
			if memberDuring(m, y) && m.org.kind == "firm" && c.firms[m.org.id] != nil && !slices.Contains(of[m.org.id], k) {
				of[m.org.id] = append(of[m.org.id], k)
			}
		}
	}
	var ids []int64
	for id := range of {
		if taken[id] || c.keepsFigures(id, y) {
			delete(of, id)
			continue
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids, of, nil
}

// keepsFigures reports whether a firm belonged in year y to an initiative
// that reported its own figures for the mapped indicators that year.
func (c *collector) keepsFigures(firm int64, y int) bool {
	for _, k := range c.s.clusters {
		if !c.kept[k.id][y] {
			continue
		}
		for _, m := range k.members {
			if m.org.id == firm && memberDuring(m, y) {
				return true
			}
		}
	}
	return false
}

// shares shares out each initiative's figures for year y over its
// respondents: by the firms' weights, exports by their export shares too,
// in whole jobs and hundreds of dollars, with no firm exporting more than
// it sells. The result is each firm's jobs, revenue and exports.
func (c *collector) shares(ids []int64, of map[int64][]*scluster, y int, r *rng) map[int64]map[string]float64 {
	out := map[int64]map[string]float64{}
	for _, id := range ids {
		out[id] = map[string]float64{}
	}
	var ks []*scluster
	for _, id := range ids {
		for _, k := range of[id] {
			if !slices.Contains(ks, k) {
				ks = append(ks, k)
			}
		}
	}
	slices.SortFunc(ks, func(a, b *scluster) int { return int(a.id - b.id) })
	for _, k := range ks {
		var members []int64
		for _, id := range ids {
			if slices.Contains(of[id], k) {
				members = append(members, id)
			}
		}
		ws, es := make([]float64, len(members)), make([]float64, len(members))
		for i, id := range members {
			p := c.firms[id]
			ws[i] = p.weight * (0.85 + 0.3*r.float())
			es[i] = ws[i] * p.exports
		}
		jobs := split(c.figure(k, "JOBS_CREATED", y, r), 1, ws)
		rev := split(c.figure(k, "REVENUE", y, r), 100, ws)
		exp := split(c.figure(k, "EXPORTS", y, r), 100, es)
		capExports(exp, rev)
		for i, id := range members {
			out[id]["jobs_created"] += jobs[i]
			out[id]["revenue"] += rev[i]
			out[id]["exports"] += exp[i]
		}
	}
	return out
}

// split shares total out by the weights in whole units, so that the parts
// add up to the total rounded to the unit (largest remainders).
func split(total, unit float64, ws []float64) []float64 {
	out := make([]float64, len(ws))
	if len(ws) == 0 || total <= 0 {
		return out
	}
	var sum float64
	for _, w := range ws {
		sum += w
	}
	units := int64(math.Round(total / unit))
	if sum == 0 {
		return out
	}
	type rem struct {
		i int
		f float64
	}
	rs := make([]rem, len(ws))
	var given int64
	for i, w := range ws {
		q := float64(units) * w / sum
		whole := int64(math.Floor(q))
		out[i] = float64(whole)
		given += whole
		rs[i] = rem{i, q - float64(whole)}
	}
	sort.SliceStable(rs, func(a, b int) bool { return rs[a].f > rs[b].f })
	for j := 0; int64(j) < units-given && j < len(rs); j++ {
		out[rs[j].i]++
	}
	for i := range out {
		out[i] *= unit
	}
	return out
}

// capExports keeps every firm's exports within nine tenths of its revenue
// (a firm also sells at home), passing what is over to the exporting firms
// with room, in order. What none has room for is left out: the shares then
// add up to less than the initiative's figure.
func capExports(exp, rev []float64) {
	limit := func(i int) float64 { return math.Floor(rev[i]*0.9/100) * 100 }
	var over float64
	for i := range exp {
		if l := limit(i); exp[i] > l {
			over += exp[i] - l
			exp[i] = l
		}
	}
	for i := range exp {
		if over <= 0 {
			break
		}
		room := math.Min(limit(i)-exp[i], over)
		if exp[i] > 0 && room > 0 {
			exp[i] += room
			over -= room
		}
	}
}

// closedOf lists a BSO's closed firm surveys by year.
func (c *collector) closedOf(bso int64) map[int]*campaign.Campaign {
	if c.closed[bso] == nil {
		c.closed[bso] = map[int]*campaign.Campaign{}
	}
	return c.closed[bso]
}

// firmLang is the language a firm answers in.
func firmLang(o *sorg) string {
	if p := profileOf(o.country); p != nil {
		return p.lang
	}
	return "en"
}

// surveyTitle is the firm survey's title, in English like the demo BSOs.
func surveyTitle(y int) string { return fmt.Sprintf("Annual firm results survey %d", y) }
