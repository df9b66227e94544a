package campaign

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/user"
)

// outbox keeps the messages a store sends.
type outbox struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (o *outbox) Send(_ context.Context, m mail.Message) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.msgs = append(o.msgs, m)
	return nil
}

func (o *outbox) to(addr string) []mail.Message {
	o.mu.Lock()
	defer o.mu.Unlock()
	var out []mail.Message
	for _, m := range o.msgs {
		if m.To == addr {
			out = append(out, m)
		}
	}
	return out
}

var admin = user.Actor{Name: "Admin", Role: user.Admin}

func bsoActor(id int64) user.Actor {
	return user.Actor{Name: "BSO staff", Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: fmt.Sprint(id)}}
}

// fixture is a small region: a BSO leading two clusters; firm1 is a member
// of both, firm2 (Haiti) of the second, firm3 (no email) of the first,
// firm4 left the first, firm5 belongs to no cluster. Another BSO leads a
// third cluster. The firm results form is published with employees_total
// and employees_women mapped to an indicator.
type fixture struct {
	s                                 *Store
	d                                 *db.DB
	box                               *outbox
	bso, otherBSO                     int64
	firm1, firm2, firm3, firm4, firm5 int64
	clusterA, clusterB, clusterC      int64
	version                           int64
	jobs                              *indicator.Indicator
}

func newFixture(t testing.TB, d *db.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{d: d, box: &outbox{}}
	f.s = NewStore(d, Options{BaseURL: "https://obs.example", Mailer: f.box})
	f.bso = insertOrg(t, d, "bso", "Jamaica Business Development", "JAM", "")
	f.otherBSO = insertOrg(t, d, "bso", "Trinidad Export Agency", "TTO", "")
	f.firm1 = insertOrg(t, d, "firm", "Blue Mountain Chocolate", "JAM", "info@bluemountain.test")
	f.firm2 = insertOrg(t, d, "firm", "Café Lakay", "HTI", "contact@lakay.test")
	f.firm3 = insertOrg(t, d, "firm", "Negril Spice", "JAM", "")
	f.firm4 = insertOrg(t, d, "firm", "Gone Fishing", "JAM", "gone@fishing.test")
	f.firm5 = insertOrg(t, d, "firm", "Port Royal Crafts", "JAM", "crafts@portroyal.test")
	f.clusterA = insertCluster(t, d, "Kingston Creative", f.bso)
	f.clusterB = insertCluster(t, d, "Cocoa Caribbean", f.bso)
	f.clusterC = insertCluster(t, d, "Tobago Tourism", f.otherBSO)
	member(t, d, f.clusterA, f.firm1, "2020-01-01", "")
	member(t, d, f.clusterB, f.firm1, "2020-01-01", "")
	member(t, d, f.clusterB, f.firm2, "2021-01-01", "")
	member(t, d, f.clusterA, f.firm3, "2022-01-01", "")
	member(t, d, f.clusterA, f.firm4, "2020-01-01", "2023-12-31")
	is := indicator.NewStore(d)
	var err error
	f.jobs, err = is.CreateIndicator(ctx, user.System, indicator.Input{Code: "TEST_EMP", Name: "Employees", Definition: "Employees at year end.",
		Unit: "people", Level: indicator.Levels[0], Calculation: indicator.Calculations[0], Direction: indicator.Directions[0],
		SubjectAggregation: "sum", TimeAggregation: "sum", Dimensions: []string{"sex"}, MeansOfVerification: "Survey",
		Frequency: indicator.FreqYearly, ResponsibleRole: user.BSOStaff})
	if err != nil {
		t.Fatal(err)
	}
	fs := form.NewStore(d, is)
	tpl, _ := form.StandardByName("firm_results")
	wb, err := tpl.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	imp, err := fs.Import(ctx, user.System, wb, "firm_results.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	f.version = imp.Version.ID
	if _, err := fs.SetPublished(ctx, user.System, f.version, true); err != nil {
		t.Fatal(err)
	}
	if _, err := fs.SaveMappings(ctx, user.System, f.version, []form.MappingInput{
		{Field: "employees_total", IndicatorID: f.jobs.ID}, {Field: "employees_women", IndicatorID: f.jobs.ID, Category: "sex:women"}}); err != nil {
		t.Fatal(err)
	}
	return f
}

func insertOrg(t testing.TB, d *db.DB, kind, name, country, email string) int64 {
	t.Helper()
	var id int64
	err := d.Tx(context.Background(), func(tx *sql.Tx) error {
		return tx.QueryRowContext(context.Background(), `INSERT INTO organisations (kind, name, name_norm, country_iso3, email, phone, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, '+1 876 555 0100', $6, $6) RETURNING id`, kind, name, strings.ToLower(name), country, email, db.Now()).Scan(&id)
	})
	if err != nil {
		t.Fatalf("insert organisation %s: %v", name, err)
	}
	return id
}

func insertCluster(t testing.TB, d *db.DB, name string, bso int64) int64 {
	t.Helper()
	var id int64
	ctx := context.Background()
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `INSERT INTO clusters (name, name_norm, sector, stage, lead_bso_id, created_at, updated_at)
			VALUES ($1, $2, 'creative', 'implementing', $3, $4, $4) RETURNING id`, name, strings.ToLower(name), bso, db.Now()).Scan(&id)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO cluster_countries (cluster_id, country_iso3) VALUES ($1, 'JAM')`, id)
		return err
	})
	if err != nil {
		t.Fatalf("insert cluster %s: %v", name, err)
	}
	return id
}

func member(t testing.TB, d *db.DB, cluster, org int64, joined, left string) {
	t.Helper()
	var l any
	if left != "" {
		l = left
	}
	_, err := d.SQL().ExecContext(context.Background(), `INSERT INTO memberships (cluster_id, organisation_id, role, joined_on, left_on, created_at, updated_at)
		VALUES ($1, $2, 'member', $3, $4, $5, $5)`, cluster, org, joined, l, db.Now())
	if err != nil {
		t.Fatal(err)
	}
}

func day(offset int) string { return time.Now().UTC().AddDate(0, 0, offset).Format(dateLayout) }

// input is a campaign over clusters A and B, open from yesterday.
func (f *fixture) input() Input {
	return Input{Title: "Firm results 2025", VersionID: f.version, Period: "2025", OpensOn: day(-1), ClosesOn: day(30), Deadline: day(20),
		ClusterIDs: []int64{f.clusterA, f.clusterB}, BSOID: f.bso}
}

// open creates and opens a campaign; it returns the campaign and the
// links made for respondents without email, by organisation.
func (f *fixture) open(t testing.TB, in Input) (*Campaign, map[int64]string) {
	t.Helper()
	ctx := context.Background()
	c, err := f.s.CreateCampaign(ctx, admin, in)
	if err != nil {
		t.Fatal(err)
	}
	o, err := f.s.OpenCampaign(ctx, admin, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	links := map[int64]string{}
	for _, l := range o.Links {
		var org int64
		f.d.Read().QueryRowContext(ctx, `SELECT organisation_id FROM campaign_invitations WHERE id = $1`, l.InvitationID).Scan(&org)
		links[org] = l.Token
	}
	return o.Campaign, links
}

// link makes a fresh link for an organisation's invitation.
func (f *fixture) link(t testing.TB, c *Campaign, org int64) string {
	t.Helper()
	var inv int64
	if err := f.d.Read().QueryRowContext(context.Background(), `SELECT id FROM campaign_invitations WHERE campaign_id = $1 AND organisation_id = $2`,
		c.ID, org).Scan(&inv); err != nil {
		t.Fatal(err)
	}
	l, err := f.s.RegenerateLink(context.Background(), admin, inv)
	if err != nil {
		t.Fatal(err)
	}
	return l.Token
}

func answers(t testing.TB, total, women int, partners ...string) json.RawMessage {
	t.Helper()
	a := map[string]any{"firm_name": "Blue Mountain Chocolate", "year": 2025, "employees_total": total, "employees_women": women,
		"employees_youth": 1, "jobs_created": 2, "revenue": 125000.5, "exports": 1000}
	var rows []any
	for _, p := range partners {
		rows = append(rows, map[string]any{"partner_name": p, "partner_type": "firm", "cooperation_kind": "supply joint_project"})
	}
	if rows != nil {
		a["partners"] = rows
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
