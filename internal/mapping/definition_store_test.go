package mapping_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/refdata"
	"github.com/clusterobservatory/observatory/internal/user"
)

func count(t *testing.T, d *db.DB, query string, args ...any) int {
	t.Helper()
	var n int
	if err := d.Read().QueryRowContext(context.Background(), query, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestBuiltinSetLoaded(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := mapping.NewStore(d)
		info, err := s.FindDefinitionSetByName(ctx, refdata.BuiltinSetName)
		if err != nil {
			t.Fatal(err)
		}
		if !info.Builtin || info.Classification != "naics2012" || info.Clusters != 67 || info.Industries != 978 || info.CreatedBy != 0 {
			t.Fatalf("built-in set: %+v", info)
		}
		set, err := s.LoadDefinitionSet(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		var traded, local, codes, unsub int
		for _, c := range set.Clusters {
			switch c.Type {
			case mapping.Traded:
				traded++
			case mapping.Local:
				local++
			}
			codes += len(c.Industries)
			in := 0
			for _, sc := range c.Subclusters {
				in += len(sc.Industries)
			}
			unsub += len(c.Industries) - in
			if !slices.IsSorted(c.Industries) {
				t.Errorf("cluster %s industries not sorted", c.Code)
			}
		}
		if traded != 51 || local != 16 || codes != 978 || unsub != 15 {
			t.Errorf("traded %d local %d codes %d without sub-cluster %d", traded, local, codes, unsub)
		}
		if set.Clusters[0].Code != "1" || set.Clusters[1].Code != "2" || set.Clusters[66].Code != "116" {
			t.Errorf("clusters not in numeric code order: %s %s … %s", set.Clusters[0].Code, set.Clusters[1].Code, set.Clusters[66].Code)
		}
		if err := set.Validate(); err != nil {
			t.Errorf("built-in set invalid: %v", err)
		}
		// NAICS codes without the pseudo-code 0; the two duplicate pairs merged.
		if n := count(t, d, `SELECT COUNT(*) FROM naics_codes`); n != 1065 {
			t.Errorf("naics_codes = %d, want 1065", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM naics_isic`); n != 1661 {
			t.Errorf("naics_isic = %d, want 1665 - 2 pseudo-code rows - 2 duplicates", n)
		}
		var notes string
		if err := d.Read().QueryRowContext(ctx, `SELECT notes FROM naics_isic WHERE naics_code = '238310' AND isic_code = '4330'`).Scan(&notes); err != nil || notes == "" {
			t.Errorf("merged notes of 238310→4330: %q %v", notes, err)
		}
		// Loading again (a restart, or a refresh) keeps one set with the same ID.
		if _, err := d.Read().ExecContext(ctx, `DELETE FROM settings WHERE key = 'refdata.mapping'`); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			if err := refdata.Load(ctx, d); err != nil {
				t.Fatal(err)
			}
		}
		again, err := s.FindDefinitionSetByName(ctx, refdata.BuiltinSetName)
		if err != nil || again.ID != info.ID || again.Industries != 978 || count(t, d, `SELECT COUNT(*) FROM definition_sets`) != 1 {
			t.Errorf("reload: %+v %v", again, err)
		}
	})
}

// newActor makes an account and returns it as an actor.
func newActor(t *testing.T, d *db.DB, role user.Role) user.Actor {
	t.Helper()
	ctx := context.Background()
	scope := user.Scope{}
	if role == user.BSOStaff {
		scope, _ = user.ParseScope(fmt.Sprintf("bso:%d", seq.Add(1)))
	}
	var u *user.User
	err := d.Tx(ctx, func(tx *sql.Tx) (err error) {
		u, err = user.NewStore(d).CreateUser(ctx, tx, user.NewUser{Email: fmt.Sprintf("%s%d@example.test", role, seq.Add(1)),
			Name: "Test", Role: role, Scope: scope, Password: "correct horse battery"})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return u.Actor()
}

var seq atomic.Int64

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func tinyISIC(name string) *mapping.DefinitionSet {
	return &mapping.DefinitionSet{Name: name, Classification: "isic4", Clusters: []mapping.Cluster{
		{Code: "10", Name: "Cocoa", Type: mapping.Traded, Industries: []string{"0127", "1073"},
			Subclusters: []mapping.Subcluster{{Code: "1", Name: "Growing", Industries: []string{"0127"}}}},
		{Code: "2", Name: "Food for home", Type: mapping.Local, Industries: []string{"1071"}},
	}}
}

func TestSaveDefinitionSet(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := mapping.NewStore(d)
		staff, other, admin := newActor(t, d, user.BSOStaff), newActor(t, d, user.BSOStaff), newActor(t, d, user.Admin)

		// A reviewer may not create sets.
		if _, err := s.SaveDefinitionSet(ctx, user.Actor{UserID: 99, Role: user.Reviewer}, mapping.SetInput{Name: "X", Classification: "isic4"}, tinyISIC("")); !problem.Is(err, problem.Forbidden) {
			t.Fatalf("reviewer: %v", err)
		}
		// Every problem at once: unknown class, a group code, missing name.
		bad := tinyISIC("")
		bad.Clusters[0].Industries = append(bad.Clusters[0].Industries, "9999", "012")
		_, err := s.SaveDefinitionSet(ctx, staff, mapping.SetInput{Name: " ", Classification: "isic4"}, bad)
		p := problem.As(err)
		if p == nil || p.Kind != problem.Invalid || !problem.Fields(p.Details).Has("name") ||
			!problem.Fields(p.Details).Has("clusters[0].industries[2]") || !problem.Fields(p.Details).Has("clusters[0].industries[3]") {
			t.Fatalf("problems: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM definition_sets`); n != 1 {
			t.Fatalf("an invalid set was stored: %d sets", n)
		}

		info, err := s.SaveDefinitionSet(ctx, staff, mapping.SetInput{Name: "Cocoa set", Classification: "isic4", Description: "Hand made"}, tinyISIC(""))
		if err != nil {
			t.Fatal(err)
		}
		if info.Clusters != 2 || info.Industries != 3 || info.CreatedBy != staff.UserID || info.Builtin {
			t.Errorf("saved: %+v", info)
		}
		got, err := s.LoadDefinitionSet(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Clusters[0].Code != "2" || got.Clusters[1].Code != "10" || len(got.Clusters[1].Subclusters) != 1 ||
			got.Clusters[1].Subclusters[0].Name != "Growing" || got.Clusters[1].Type != mapping.Traded {
			t.Errorf("loaded: %+v", got)
		}

		// Another BSO's staff may not take the name; the creator replaces it whole.
		if _, err := s.SaveDefinitionSet(ctx, other, mapping.SetInput{Name: "Cocoa set", Classification: "isic4"}, tinyISIC("")); !problem.Is(err, problem.Conflict) {
			t.Errorf("other's replace: %v", err)
		}
		repl := &mapping.DefinitionSet{Clusters: []mapping.Cluster{{Code: "A", Name: "All food", Type: mapping.Local, Industries: []string{"1071", "1073"}}}}
		again, err := s.SaveDefinitionSet(ctx, staff, mapping.SetInput{Name: "Cocoa set", Classification: "isic4"}, repl)
		if err != nil || again.ID != info.ID || again.Clusters != 1 || again.Industries != 2 {
			t.Fatalf("replace: %+v %v", again, err)
		}
		if _, err := s.SaveDefinitionSet(ctx, admin, mapping.SetInput{Name: refdata.BuiltinSetName, Classification: "isic4"}, tinyISIC("")); !problem.Is(err, problem.Conflict) {
			t.Errorf("replacing the built-in set: %v", err)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'definition_set' AND record_id = $1`, itoa(info.ID)); n != 2 {
			t.Errorf("audit entries = %d, want create and replace", n)
		}

		// Archive: not by someone else; by the creator; the list hides it.
		if _, err := s.ArchiveDefinitionSet(ctx, other, info.ID); !problem.Is(err, problem.Forbidden) {
			t.Errorf("other's archive: %v", err)
		}
		arch, err := s.ArchiveDefinitionSet(ctx, staff, info.ID)
		if err != nil || !arch.Archived() {
			t.Fatalf("archive: %+v %v", arch, err)
		}
		list, err := s.FindDefinitionSets(ctx, false)
		if err != nil || len(list) != 1 || !list[0].Builtin {
			t.Errorf("active sets: %v %v", list, err)
		}
		all, _ := s.FindDefinitionSets(ctx, true)
		if len(all) != 2 || !all[0].Builtin {
			t.Errorf("all sets, built-in first: %v", all)
		}
		if _, err := s.FindDefinitionSet(ctx, 424242); !problem.Is(err, problem.NotFound) {
			t.Errorf("missing set: %v", err)
		}
		if _, err := s.LoadDefinitionSet(ctx, 424242); !problem.Is(err, problem.NotFound) {
			t.Errorf("missing set load: %v", err)
		}
	})
}

func TestDeriveISICSetFromBenchmark(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := mapping.NewStore(d)
		bench, err := s.FindDefinitionSetByName(ctx, refdata.BuiltinSetName)
		if err != nil {
			t.Fatal(err)
		}
		staff := user.Actor{Role: user.BSOStaff}
		info, rep, err := s.DeriveISICSet(ctx, staff, bench.ID, "Benchmark in ISIC")
		if err != nil {
			t.Fatal(err)
		}
		if info.Classification != "isic4" || info.DerivedFrom != bench.ID || info.DerivedFromName != refdata.BuiltinSetName || info.Industries != rep.Classes {
			t.Errorf("derived: %+v", info)
		}
		set, err := s.LoadDefinitionSet(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		clusterOf := map[string]string{}
		for _, c := range set.Clusters {
			for _, ind := range c.Industries {
				clusterOf[ind] = c.Code
			}
		}
		// Known classes: aircraft and spacecraft go to Aerospace (1), hotels
		// to Hospitality and Tourism (22), motor vehicles to Automotive (4),
		// cement to Construction Products and Services (9).
		for class, want := range map[string]string{"3030": "1", "5510": "22", "2910": "4", "2394": "9"} {
			if clusterOf[class] != want {
				t.Errorf("ISIC %s in cluster %q, want %q", class, clusterOf[class], want)
			}
		}
		if len(rep.Split) == 0 || rep.Classes < 300 {
			t.Errorf("report: %d classes, %d split", rep.Classes, len(rep.Split))
		}
		// Every benchmark code reaches a class; Local Industrial Products and
		// Services loses each of its classes to larger clusters.
		if len(rep.Unlinked) != 0 || len(rep.Empty) != 1 || rep.Empty[0].Code != "116" || rep.Clusters != 66 {
			t.Errorf("report: unlinked %v, empty %v, %d clusters", rep.Unlinked, rep.Empty, rep.Clusters)
		}
		// Not from an ISIC set; not for a reviewer.
		if _, _, err := s.DeriveISICSet(ctx, staff, info.ID, "Again"); !problem.Is(err, problem.Invalid) {
			t.Errorf("derive from ISIC: %v", err)
		}
		if _, _, err := s.DeriveISICSet(ctx, user.Actor{Role: user.Reviewer}, bench.ID, "R"); !problem.Is(err, problem.Forbidden) {
			t.Errorf("reviewer derive: %v", err)
		}
	})
}
