package demo

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The programme generator (programme*.go, events.go) runs after the
// region's transaction and writes through the domain stores, each write in
// a transaction of its own, as a person using the platform would. It reads
// back what it needs of the region from the database, in ID order, so that
// it depends on nothing but the stored rows and stays deterministic.

// The streams of the programme phases (see random.go).
const (
	streamApplications uint64 = iota + 101
	streamReviews
	streamPlans
	streamOpenCall
	streamEvents
	streamDates
	streamImplementation
)

// stored is the region as the programme generator reads it back.
type stored struct {
	countries []string          // programme countries, ISO3, sorted
	names     map[string]string // country names by ISO3
	orgs      map[int64]*sorg
	firmsBy   map[string][]*sorg // firms by country, in ID order
	bsosBy    map[string][]*sorg // BSOs by country, in ID order
	clusters  []*scluster        // in ID order
	funderID  int64
	users     map[string]user.Actor // demo accounts by email
	reviewers []user.Actor          // reviewer accounts, in ID order
	workers   int                   // how many store calls may run at once
}

type sorg struct {
	id                  int64
	kind, name, country string
	isic, contact, area string
	founded             int
	women, youth        bool
}

type scluster struct {
	id           int64
	name, sector string
	stage        string
	lead         *sorg // the lead BSO
	country      string
	started      int
	first        time.Time // the first membership: when the initiative began working
	members      []smember
}

type smember struct {
	org          *sorg
	role         string
	joined, left time.Time // left is zero while open
}

// activeOn reports whether the membership was open on day d.
func (m smember) activeOn(d time.Time) bool {
	return !m.joined.After(d) && (m.left.IsZero() || !m.left.Before(d))
}

// membersOn lists the cluster's members on day d, in membership order.
func (k *scluster) membersOn(d time.Time) []smember {
	var out []smember
	for _, m := range k.members {
		if m.activeOn(d) {
			out = append(out, m)
		}
	}
	return out
}

// leadFirm is the cluster's lead firm on day d, nil if none.
func (k *scluster) leadFirm(d time.Time) *sorg {
	for _, m := range k.membersOn(d) {
		if m.role == "lead_firm" {
			return m.org
		}
	}
	return nil
}

func loadStored(ctx context.Context, d *db.DB) (*stored, error) {
	q := d.Read()
	s := &stored{names: map[string]string{}, orgs: map[int64]*sorg{}, firmsBy: map[string][]*sorg{}, bsosBy: map[string][]*sorg{},
		users: map[string]user.Actor{}}
	err := db.Each(ctx, q, `SELECT iso3, name FROM countries WHERE in_region ORDER BY iso3`, nil, func(rows *sql.Rows) error {
		var iso, name string
		if err := rows.Scan(&iso, &name); err != nil {
			return err
		}
		s.countries = append(s.countries, iso)
		s.names[iso] = name
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("countries: %w", err)
	}
	err = db.Each(ctx, q, `SELECT o.id, o.kind, o.name, o.country_iso3, COALESCE(o.isic_code, ''), o.contact_name, COALESCE(a.name, ''),
		COALESCE(o.founded_year, 0), o.women_led, o.youth_led FROM organisations o LEFT JOIN areas a ON a.id = o.area_id
		WHERE o.archived_at IS NULL ORDER BY o.id`, nil, func(rows *sql.Rows) error {
		o := &sorg{}
		if err := rows.Scan(&o.id, &o.kind, &o.name, &o.country, &o.isic, &o.contact, &o.area, &o.founded, &o.women, &o.youth); err != nil {
			return err
		}
		s.orgs[o.id] = o
		switch o.kind {
		case "firm":
			s.firmsBy[o.country] = append(s.firmsBy[o.country], o)
		case "bso":
			s.bsosBy[o.country] = append(s.bsosBy[o.country], o)
		case "funder":
			if s.funderID == 0 {
				s.funderID = o.id
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("organisations: %w", err)
	}
	if s.funderID == 0 {
		// No funder in the registry: the programme is funded by the first
		// organisation, as the brief of the demo allows.
		_ = q.QueryRowContext(ctx, `SELECT MIN(id) FROM organisations`).Scan(&s.funderID)
	}
	byID := map[int64]*scluster{}
	err = db.Each(ctx, q, `SELECT id, name, sector, stage, lead_bso_id, started_year FROM clusters WHERE archived_at IS NULL ORDER BY id`, nil,
		func(rows *sql.Rows) error {
			k := &scluster{}
			var lead int64
			if err := rows.Scan(&k.id, &k.name, &k.sector, &k.stage, &lead, &k.started); err != nil {
				return err
			}
			k.lead = s.orgs[lead]
			if k.lead == nil {
				return nil
			}
			k.country = k.lead.country
			s.clusters = append(s.clusters, k)
			byID[k.id] = k
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("clusters: %w", err)
	}
	err = db.Each(ctx, q, `SELECT cluster_id, organisation_id, role, joined_on, COALESCE(left_on, '') FROM memberships ORDER BY cluster_id, id`, nil,
		func(rows *sql.Rows) error {
			var cid, oid int64
			var role, joined, left string
			if err := rows.Scan(&cid, &oid, &role, &joined, &left); err != nil {
				return err
			}
			k, o := byID[cid], s.orgs[oid]
			if k == nil || o == nil {
				return nil
			}
			m := smember{org: o, role: role, joined: parseDate(joined), left: parseDate(left)}
			if k.first.IsZero() || m.joined.Before(k.first) {
				k.first = m.joined
			}
			k.members = append(k.members, m)
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("memberships: %w", err)
	}
	err = db.Each(ctx, q, `SELECT id, email, name, role, scope_kind, scope_id FROM users WHERE disabled_at IS NULL ORDER BY id`, nil,
		func(rows *sql.Rows) error {
			var id int64
			var email, name, role, kind, scope string
			if err := rows.Scan(&id, &email, &name, &role, &kind, &scope); err != nil {
				return err
			}
			a := user.Actor{UserID: id, Name: name, Role: user.Role(role), Scope: user.Scope{Kind: user.ScopeKind(kind), ID: scope}}
			s.users[email] = a
			if a.Role == user.Reviewer {
				s.reviewers = append(s.reviewers, a)
			}
			return nil
		})
	if err != nil {
		return nil, fmt.Errorf("accounts: %w", err)
	}
	return s, nil
}

// parseDate reads a stored YYYY-MM-DD day; "" is the zero time.
func parseDate(s string) time.Time {
	if len(s) > 10 {
		s = s[:10]
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}
	}
	return t
}

// officer is the demo programme officer, or the system when the demo has
// none.
func (s *stored) officer() user.Actor {
	if a, ok := s.users["officer@demo.example.org"]; ok {
		return a
	}
	return user.System
}

// staffOf is the actor who works on applications for a BSO: the demo
// account of that BSO when there is one, otherwise the BSO's contact
// person, who has no account of their own in the demo.
func (s *stored) staffOf(bso *sorg) user.Actor {
	id := fmt.Sprint(bso.id)
	for _, email := range []string{"bso.jamaica@demo.example.org", "bso.saintlucia@demo.example.org"} {
		if a, ok := s.users[email]; ok && a.Scope.Kind == user.ScopeBSO && a.Scope.ID == id {
			return a
		}
	}
	name := bso.contact
	if name == "" {
		name = bso.name
	}
	return user.Actor{Name: name, Role: user.BSOStaff, Scope: user.Scope{Kind: user.ScopeBSO, ID: id}}
}

// bsoAccount is the demo BSO staff account of a BSO, if any.
func (s *stored) bsoAccount(bsoID int64) (user.Actor, bool) {
	a := s.staffOf(&sorg{id: bsoID})
	return a, a.UserID != 0
}

// sectorClusters lists the clusters of the sectors, in ID order.
func (s *stored) sectorClusters(sectors []string) []*scluster {
	var out []*scluster
	for _, k := range s.clusters {
		if slices.Contains(sectors, k.sector) {
			out = append(out, k)
		}
	}
	return out
}
