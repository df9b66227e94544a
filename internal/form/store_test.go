package form

import (
	"context"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

func newStore(d *db.DB) *Store { return NewStore(d, indicator.NewStore(d)) }

var (
	officer = user.Actor{Name: "officer", Role: user.ProgrammeOfficer}
	manager = user.Actor{Name: "manager", Role: user.ClusterManager}
)

func templateBook(t *testing.T, name string) []byte {
	t.Helper()
	tpl, _ := StandardByName(name)
	b, err := tpl.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withVersion returns the template's workbook with another version string.
func withVersion(t *testing.T, name, version string) []byte {
	t.Helper()
	tpl, _ := StandardByName(name)
	def := tpl.Definition()
	def.Version = version
	b, err := WriteXLSForm(def)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestVersions(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newStore(d)
		first, err := s.Import(ctx, officer, templateBook(t, "firm_results"), "firm_results.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if first.Form.FormID != "firm_results" || first.Version.Version != "2026.1" || first.Form.Versions != 1 || first.Version.Published {
			t.Errorf("first = %+v %+v", first.Form, first.Version)
		}
		// The same version again is refused, and changes nothing.
		_, err = s.Import(ctx, officer, templateBook(t, "firm_results"), "again.xlsx")
		if !problem.Is(err, problem.Conflict) || !strings.Contains(err.Error(), "already has a version 2026.1") {
			t.Fatalf("repeated version: %v", err)
		}
		second, err := s.Import(ctx, officer, withVersion(t, "firm_results", "2026.2"), "firm_results_v2.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		if second.Form.ID != first.Form.ID || second.Form.Versions != 2 || second.Form.LatestVersion != "2026.2" {
			t.Errorf("second = %+v", second.Form)
		}
		versions, err := s.FindVersions(ctx, manager, first.Form.ID)
		if err != nil || len(versions) != 2 || versions[0].Version != "2026.2" {
			t.Fatalf("versions = %v, %v", versions, err)
		}
		// The first version keeps its workbook, definition and XForm.
		wb, name, err := s.Workbook(ctx, manager, first.Version.ID)
		if err != nil || name != "firm_results.xlsx" || string(wb) != string(templateBook(t, "firm_results")) && len(wb) == 0 {
			t.Errorf("workbook %q, %d bytes, %v", name, len(wb), err)
		}
		x, sum, err := s.XForm(ctx, manager, first.Version.ID)
		if err != nil || !strings.Contains(string(x), `version="2026.1"`) || sum != first.Version.XFormMD5 {
			t.Errorf("xform: %s %v", sum, err)
		}
		def, err := s.Definition(ctx, manager, first.Version.ID)
		if err != nil || def.FormID != "firm_results" || len(def.Fields) != len(first.Definition.Fields) {
			t.Errorf("definition: %v", err)
		}
		v, err := s.FindVersion(ctx, manager, first.Form.ID, "2026.1")
		if err != nil || v.ID != first.Version.ID || len(v.Languages) != 4 {
			t.Errorf("find version: %+v %v", v, err)
		}
		if _, err := s.FindVersion(ctx, manager, first.Form.ID, "9"); !problem.Is(err, problem.NotFound) {
			t.Errorf("missing version: %v", err)
		}
		// Publication.
		pub, err := s.SetPublished(ctx, officer, first.Version.ID, true)
		if err != nil || !pub.Published || pub.PublishedAt == nil {
			t.Fatalf("publish: %+v %v", pub, err)
		}
		f, _ := s.FindFormByKey(ctx, manager, "firm_results")
		if f.Published != 1 {
			t.Errorf("published versions = %d", f.Published)
		}
		if un, err := s.SetPublished(ctx, officer, first.Version.ID, false); err != nil || un.Published {
			t.Errorf("unpublish: %v", err)
		}
		// Roles.
		if _, err := s.Import(ctx, manager, withVersion(t, "firm_results", "3"), "x.xlsx"); !problem.Is(err, problem.Forbidden) {
			t.Errorf("cluster manager import: %v", err)
		}
		if _, err := s.SetPublished(ctx, manager, first.Version.ID, true); !problem.Is(err, problem.Forbidden) {
			t.Errorf("cluster manager publish: %v", err)
		}
		if _, err := s.FindForms(ctx, user.Actor{}); !problem.Is(err, problem.Unauthorized) {
			t.Errorf("anonymous read: %v", err)
		}
		forms, err := s.FindForms(ctx, manager)
		if err != nil || len(forms) != 1 {
			t.Errorf("forms = %v %v", forms, err)
		}
		// A bad workbook stores nothing.
		if _, err := s.Import(ctx, officer, []byte("nope"), "x.xlsx"); err == nil {
			t.Error("garbage imported")
		}
		var n int
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM form_versions`).Scan(&n)
		if n != 2 {
			t.Errorf("%d versions stored, want 2", n)
		}
	})
}

func TestMappings(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := newStore(d)
		imp, err := s.Import(ctx, officer, templateBook(t, "firm_results"), "firm_results.xlsx")
		if err != nil {
			t.Fatal(err)
		}
		is := indicator.NewStore(d)
		jobs, err := is.CreateIndicator(ctx, user.System, indicator.Input{Code: "TEST_JOBS", Name: "Jobs", Definition: "Jobs created.",
			Unit: "jobs", Level: indicator.Levels[0], Calculation: indicator.Calculations[0], Direction: indicator.Directions[0],
			SubjectAggregation: "sum", TimeAggregation: "sum", Dimensions: []string{"sex", "youth"}, MeansOfVerification: "Survey",
			Frequency: indicator.Frequencies[0], ResponsibleRole: user.BSOStaff})
		if err != nil {
			t.Fatal(err)
		}
		plain, err := is.CreateIndicator(ctx, user.System, indicator.Input{Code: "TEST_REVENUE", Name: "Revenue", Definition: "Sales.",
			Unit: "USD", Level: indicator.Levels[0], Calculation: indicator.Calculations[0], Direction: indicator.Directions[0],
			SubjectAggregation: "sum", TimeAggregation: "sum", MeansOfVerification: "Survey",
			Frequency: indicator.Frequencies[0], ResponsibleRole: user.BSOStaff})
		if err != nil {
			t.Fatal(err)
		}
		vid := imp.Version.ID
		bad := []struct {
			in    MappingInput
			field string
			msg   string
		}{
			{MappingInput{Field: "nope", IndicatorID: jobs.ID}, "indicator_nope", "no field"},
			{MappingInput{Field: "firm_name", IndicatorID: jobs.ID}, "indicator_firm_name", "only integer and decimal"},
			{MappingInput{Field: "employees_total", IndicatorID: 999999}, "indicator_employees_total", "No indicator"},
			{MappingInput{Field: "employees_women", IndicatorID: jobs.ID, Category: "firm_size:micro"}, "category_employees_women", "no category"},
			{MappingInput{Field: "employees_women", IndicatorID: jobs.ID, Category: "sex:girls"}, "category_employees_women", "sex:women"},
			{MappingInput{Field: "revenue", IndicatorID: plain.ID, Category: "sex:women"}, "category_revenue", "not disaggregated"},
		}
		for _, b := range bad {
			_, err := s.SaveMappings(ctx, officer, vid, []MappingInput{b.in})
			p := problem.As(err)
			if p == nil || len(p.Details) != 1 || p.Details[0].Field != b.field || !strings.Contains(p.Details[0].Message, b.msg) {
				t.Errorf("%+v: %v", b.in, err)
			}
		}
		got, err := s.SaveMappings(ctx, officer, vid, []MappingInput{
			{Field: "employees_total", IndicatorID: jobs.ID},
			{Field: "employees_women", IndicatorID: jobs.ID, Category: "sex:women"},
			{Field: "employees_youth", IndicatorID: jobs.ID, Category: "youth:youth"},
			{Field: "revenue", IndicatorID: plain.ID},
			{Field: "investment"},
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 4 || got[1].Category.String() != "sex:women" || got[0].IndicatorCode != "TEST_JOBS" {
			t.Errorf("mappings = %+v", got)
		}
		if _, err := s.SaveMappings(ctx, manager, vid, nil); !problem.Is(err, problem.Forbidden) {
			t.Errorf("manager: %v", err)
		}
		// Saving again replaces the set.
		got, err = s.SaveMappings(ctx, officer, vid, []MappingInput{{Field: "jobs_created", IndicatorID: jobs.ID}})
		if err != nil || len(got) != 1 {
			t.Fatalf("replace: %v %v", got, err)
		}
		list, _ := s.FindMappings(ctx, manager, vid)
		if len(list) != 1 || list[0].Field != "jobs_created" {
			t.Errorf("stored = %+v", list)
		}
	})
}
