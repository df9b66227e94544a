package org

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// registry stores five organisations in three countries.
type registry struct {
	s                                *Store
	bso, coffee, cocoa, steel, digit *Organisation
	kingston                         int64
}

func newRegistry(t *testing.T, d *db.DB) *registry {
	t.Helper()
	s := NewStore(d)
	r := &registry{s: s, kingston: areaOf(t, d, "JAM")}
	r.bso = mustCreate(t, s, admin, Input{Kind: KindBSO, Name: "Jamaica Business Development Corporation", Country: "JAM"})
	r.coffee = mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Blue Mountain Coffee Ltd", Country: "JAM", AreaID: &r.kingston,
		ISIC: "1079", SizeBand: SizeSmall, WomenLed: true, FoundedYear: ptr(1985), Email: "hello@bmc.example.com"})
	r.cocoa = mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Caroni Cocoa", Country: "TTO", ISIC: "1073", SizeBand: SizeMicro,
		YouthLed: true, Email: "sales@caroni.example.org"})
	r.steel = mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Trinidad Steel", Country: "TTO", ISIC: "2410", SizeBand: SizeLarge})
	r.digit = mustCreate(t, s, admin, Input{Kind: KindResearch, Name: "Bridgetown Digital Institute", Country: "BRB", ISIC: "6201", SizeBand: SizeMedium})
	return r
}

func TestCreateAndFind(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegistry(t, d)
		o, err := r.s.FindOrganisationByID(ctx, admin, r.coffee.ID)
		if err != nil {
			t.Fatal(err)
		}
		if o.Name != "Blue Mountain Coffee Ltd" || o.Country != "JAM" || o.CountryName != "Jamaica" || o.AreaID == nil ||
			*o.AreaID != r.kingston || o.AreaName == "" || o.ISIC != "1079" || o.ISICTitle == "" || o.SizeBand != SizeSmall ||
			!o.WomenLed || o.YouthLed || o.FoundedYear == nil || *o.FoundedYear != 1985 || o.CreatedAt.IsZero() || o.Archived() {
			t.Errorf("stored organisation = %+v", o)
		}
		var norm string
		d.Read().QueryRowContext(ctx, `SELECT name_norm FROM organisations WHERE id = $1`, o.ID).Scan(&norm)
		if norm != "blue mountain coffee" {
			t.Errorf("name_norm = %q", norm)
		}
		_, err = r.s.FindOrganisationByID(ctx, admin, 999999)
		wantKind(t, err, problem.NotFound, "")
		if n := auditCount(t, d, r.coffee.ID, "create"); n != 1 {
			t.Errorf("%d create entries, want 1", n)
		}
	})
}

func TestFilterSortAndPage(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegistry(t, d)
		cases := []struct {
			name string
			f    Filter
			want []string
		}{
			{"all by name", Filter{}, []string{"Blue Mountain Coffee Ltd", "Bridgetown Digital Institute", "Caroni Cocoa", "Jamaica Business Development Corporation", "Trinidad Steel"}},
			{"query ignores case, accents and legal form", Filter{Query: "BLUE MOUNTAIN COFFEE LIMITED"}, []string{"Blue Mountain Coffee Ltd"}},
			{"query in the middle of the name", Filter{Query: "cöcoa"}, []string{"Caroni Cocoa"}},
			{"query matches email", Filter{Query: "caroni.example"}, []string{"Caroni Cocoa"}},
			{"query with wildcards", Filter{Query: "%"}, nil},
			{"kind", Filter{Kind: KindResearch}, []string{"Bridgetown Digital Institute"}},
			{"country", Filter{Country: "tto"}, []string{"Caroni Cocoa", "Trinidad Steel"}},
			{"area", Filter{Area: r.kingston}, []string{"Blue Mountain Coffee Ltd"}},
			{"isic section", Filter{ISIC: "C"}, []string{"Blue Mountain Coffee Ltd", "Caroni Cocoa", "Trinidad Steel"}},
			{"isic section J", Filter{ISIC: "j"}, []string{"Bridgetown Digital Institute"}},
			{"isic division", Filter{ISIC: "10"}, []string{"Blue Mountain Coffee Ltd", "Caroni Cocoa"}},
			{"isic group", Filter{ISIC: "107"}, []string{"Blue Mountain Coffee Ltd", "Caroni Cocoa"}},
			{"isic class", Filter{ISIC: "1073"}, []string{"Caroni Cocoa"}},
			{"size", Filter{SizeBand: SizeLarge}, []string{"Trinidad Steel"}},
			{"size unknown", Filter{UnknownSize: true}, []string{"Jamaica Business Development Corporation"}},
			{"women-led", Filter{WomenLed: ptr(true)}, []string{"Blue Mountain Coffee Ltd"}},
			{"youth-led", Filter{YouthLed: ptr(true)}, []string{"Caroni Cocoa"}},
			{"not youth-led in TTO", Filter{YouthLed: ptr(false), Country: "TTO"}, []string{"Trinidad Steel"}},
			{"size ascending, unknown last", Filter{Sort: "size"}, []string{"Caroni Cocoa", "Blue Mountain Coffee Ltd", "Bridgetown Digital Institute", "Trinidad Steel", "Jamaica Business Development Corporation"}},
			{"size descending, unknown last", Filter{Sort: "-size"}, []string{"Trinidad Steel", "Bridgetown Digital Institute", "Blue Mountain Coffee Ltd", "Caroni Cocoa", "Jamaica Business Development Corporation"}},
			{"country", Filter{Sort: "country"}, []string{"Bridgetown Digital Institute", "Blue Mountain Coffee Ltd", "Jamaica Business Development Corporation", "Caroni Cocoa", "Trinidad Steel"}},
			{"kind descending", Filter{Sort: "-kind", Country: "JAM"}, []string{"Blue Mountain Coffee Ltd", "Jamaica Business Development Corporation"}},
			{"created descending", Filter{Sort: "-created"}, []string{"Bridgetown Digital Institute", "Trinidad Steel", "Caroni Cocoa", "Blue Mountain Coffee Ltd", "Jamaica Business Development Corporation"}},
			{"name descending", Filter{Sort: "-name", Kind: KindFirm}, []string{"Trinidad Steel", "Caroni Cocoa", "Blue Mountain Coffee Ltd"}},
			{"unknown sort is by name", Filter{Sort: "email; DROP TABLE organisations", Kind: KindFirm}, []string{"Blue Mountain Coffee Ltd", "Caroni Cocoa", "Trinidad Steel"}},
		}
		for _, c := range cases {
			got, total, err := r.s.FindOrganisations(ctx, admin, c.f)
			if err != nil {
				t.Fatalf("%s: %v", c.name, err)
			}
			if !slices.Equal(names(got), c.want) || total != len(c.want) {
				t.Errorf("%s: got %v (total %d), want %v", c.name, names(got), total, c.want)
			}
		}
		page, total, err := r.s.FindOrganisations(ctx, admin, Filter{Limit: 2, Offset: 2})
		if err != nil || total != 5 || !slices.Equal(names(page), []string{"Caroni Cocoa", "Jamaica Business Development Corporation"}) {
			t.Errorf("page 2 of 2 = %v, total %d, %v", names(page), total, err)
		}
		var streamed []string
		err = r.s.EachOrganisation(ctx, admin, Filter{Country: "TTO", Sort: "-name", Limit: 1}, func(o *Organisation) error {
			streamed = append(streamed, o.Name)
			return nil
		})
		if err != nil || !slices.Equal(streamed, []string{"Trinidad Steel", "Caroni Cocoa"}) {
			t.Errorf("streamed %v, %v (the limit does not apply)", streamed, err)
		}
		counts, err := r.s.CountByCountry(ctx)
		if err != nil || counts["TTO"][KindFirm] != 2 || counts["JAM"][KindBSO] != 1 || counts["BRB"][KindResearch] != 1 || len(counts) != 3 {
			t.Errorf("counts = %v, %v", counts, err)
		}
	})
}

func TestReferencesAreChecked(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d)
		base := Input{Kind: KindFirm, Name: "Trial Firm", Country: "JAM"}
		for _, c := range []struct {
			field  string
			change func(in *Input)
		}{
			{"country", func(in *Input) { in.Country = "XYZ" }},
			{"area_id", func(in *Input) { in.AreaID = ptr(areaOf(t, d, "TTO")) }},
			{"area_id", func(in *Input) { in.AreaID = ptr(int64(987654)) }},
			{"isic", func(in *Input) { in.ISIC = "9999" }},
			{"isic", func(in *Input) { in.ISIC = "0111 " + "x" }},
			{"name", func(in *Input) { in.Name = "" }},
		} {
			in := base
			c.change(&in)
			_, err := s.CreateOrganisation(ctx, admin, in)
			wantKind(t, err, problem.Invalid, c.field)
		}
		if n := countOrgs(t, d); n != 0 {
			t.Errorf("%d organisations stored by refused input", n)
		}
		ok := base
		ok.AreaID, ok.ISIC = ptr(areaOf(t, d, "JAM")), "0111"
		mustCreate(t, s, admin, ok)

		// The transaction variant writes nothing when the caller's transaction fails.
		err := d.Tx(ctx, func(tx *sql.Tx) error {
			if _, err := s.CreateOrganisationTx(ctx, tx, admin, Input{Kind: KindNGO, Name: "Rolled Back", Country: "JAM"}); err != nil {
				return err
			}
			return errRollback
		})
		if !errors.Is(err, errRollback) {
			t.Fatalf("tx: %v", err)
		}
		if _, total, _ := s.FindOrganisations(ctx, admin, Filter{Query: "rolled back"}); total != 0 {
			t.Error("an organisation created in a rolled back transaction was kept")
		}
		var audits int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'organisation'`).Scan(&audits)
		if audits != 1 {
			t.Errorf("%d audit entries, want 1", audits)
		}
	})
}

func TestDuplicates(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := NewStore(d)
		first := mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Blue Mountain Coffee Ltd", Country: "JAM"})

		_, err := s.CreateOrganisation(ctx, admin, Input{Kind: KindFirm, Name: "BLUE MOUNTAIN COFFEE CO.", Country: "jam"})
		wantKind(t, err, problem.Conflict, "name")
		var dup *DuplicateError
		if !errors.As(err, &dup) || dup.Existing.ID != first.ID {
			t.Fatalf("the conflict must name the existing organisation, got %v", err)
		}
		if n := countOrgs(t, d); n != 1 {
			t.Fatalf("%d organisations after a refused duplicate", n)
		}
		// Another country, or a confirmed different organisation, is allowed.
		mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Blue Mountain Coffee", Country: "TTO"})
		second := mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Blue Mountain Coffee", Country: "JAM", AllowDuplicate: true})

		dups, err := s.FindDuplicates(ctx, "Blue Mountain Coffee Limited", "JAM")
		if err != nil || len(dups) != 2 || dups[0].ID != first.ID || dups[1].ID != second.ID {
			t.Errorf("duplicates = %v, %v", names(dups), err)
		}
		// An archived organisation is no longer a duplicate.
		for _, o := range dups {
			if _, err := s.ArchiveOrganisation(ctx, admin, o.ID); err != nil {
				t.Fatal(err)
			}
		}
		mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Blue Mountain Coffee", Country: "JAM"})

		// A name_norm stored without the legal-form rule is still found.
		exec(t, d, `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
			VALUES ('firm', 'Caroni Cocoa Co', 'caroni cocoa co', 'TTO', $1, $1)`, db.Now())
		_, err = s.CreateOrganisation(ctx, admin, Input{Kind: KindFirm, Name: "Caroni Cocoa", Country: "TTO"})
		wantKind(t, err, problem.Conflict, "name")
		if dups, _ := s.FindDuplicates(ctx, "Caroni", "TTO"); len(dups) != 0 {
			t.Errorf("a shorter name is not a duplicate: %v", names(dups))
		}

		// Renaming into a taken name is refused too; keeping one's own name is not.
		steel := mustCreate(t, s, admin, Input{Kind: KindFirm, Name: "Trinidad Steel", Country: "TTO"})
		in := InputOf(steel)
		in.Name = "Caroni Cocoa Limited"
		_, err = s.UpdateOrganisation(ctx, admin, steel.ID, in)
		wantKind(t, err, problem.Conflict, "name")
		in = InputOf(steel)
		in.Description = "Rolling mill."
		if _, err := s.UpdateOrganisation(ctx, admin, steel.ID, in); err != nil {
			t.Errorf("an edit that keeps the name: %v", err)
		}
	})
}

func TestArchiveAndRestore(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		r := newRegistry(t, d)
		s := r.s
		bsoStaff := bsoActor(r.bso.ID)
		o, err := s.ArchiveOrganisation(ctx, bsoStaff, r.coffee.ID)
		if err != nil || !o.Archived() {
			t.Fatalf("archive: %v", err)
		}
		if _, err := s.ArchiveOrganisation(ctx, bsoStaff, r.coffee.ID); err != nil {
			t.Errorf("archiving twice: %v", err)
		}
		if _, total, _ := s.FindOrganisations(ctx, admin, Filter{Country: "JAM"}); total != 1 {
			t.Errorf("archived organisations are listed: total %d", total)
		}
		if _, total, _ := s.FindOrganisations(ctx, admin, Filter{Country: "JAM", IncludeArchived: true}); total != 2 {
			t.Errorf("archived organisations are not listed on request: total %d", total)
		}
		if counts, _ := s.CountByCountry(ctx); counts["JAM"][KindFirm] != 0 {
			t.Errorf("archived organisations are counted: %v", counts["JAM"])
		}
		if _, err := s.FindOrganisationByID(ctx, admin, r.coffee.ID); err != nil {
			t.Errorf("an archived organisation's profile: %v", err)
		}
		_, err = s.UpdateOrganisation(ctx, admin, r.coffee.ID, InputOf(r.coffee))
		wantKind(t, err, problem.Conflict, "")
		_, err = s.RestoreOrganisation(ctx, bsoStaff, r.coffee.ID)
		wantKind(t, err, problem.Forbidden, "")
		if o, err := s.RestoreOrganisation(ctx, admin, r.coffee.ID); err != nil || o.Archived() {
			t.Fatalf("restore: %v", err)
		}
		in := InputOf(r.coffee)
		in.Phone = "+1 876 555 0100"
		if _, err := s.UpdateOrganisation(ctx, admin, r.coffee.ID, in); err != nil {
			t.Fatalf("edit after restore: %v", err)
		}
		for action, want := range map[string]int{"create": 1, "archive": 1, "restore": 1, "update": 1} {
			if n := auditCount(t, d, r.coffee.ID, action); n != want {
				t.Errorf("%d %s entries, want %d", n, action, want)
			}
		}
	})
}
