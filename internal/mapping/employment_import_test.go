package mapping_test

import (
	"context"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// fileOf opens the same text at every pass.
func fileOf(text string) func() (io.ReadCloser, error) {
	return func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(text)), nil }
}

const firstFile = `year,area,industry,employment,area_name,establishments,wages,suppressed
2020,JM-01,0111,400,,20,1000.25,
2020,JM-02,0111,100,,,,
2020,JAM,1010,50,,,,
2021,XX-9,4711,,Port Town,,,yes
2021,JM-01,0111,410,,21,,
`

func TestImportEmployment(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := mapping.NewStore(d)
		staff := newActor(t, d, user.BSOStaff)
		in := mapping.DatasetInput{Name: " Jamaica parishes ", Classification: "isic4", Description: "STATIN", Source: "Labour force survey", Country: "jam", File: "first.csv"}
		var calls, lastDone, lastTotal int64
		info, err := s.ImportEmployment(ctx, staff, in, fileOf(firstFile), func(done, total int64) { calls++; lastDone, lastTotal = done, total })
		if err != nil {
			t.Fatal(err)
		}
		if info.Name != "Jamaica parishes" || info.Cells != 5 || info.Suppressed != 1 || info.FirstYear != 2020 || info.LastYear != 2021 ||
			info.Areas != 4 || info.Version != 1 || info.CreatedBy != staff.UserID || info.ImportedAt == nil || info.Demo || info.Source != "Labour force survey" {
			t.Fatalf("info %+v", info)
		}
		if calls == 0 || lastDone != 5 || lastTotal != 5 {
			t.Errorf("progress %d calls, last %d/%d", calls, lastDone, lastTotal)
		}
		areas, err := s.DatasetAreas(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]mapping.DatasetArea{}
		for _, a := range areas {
			got[a.Code] = a
		}
		if a := got["JM-01"]; a.AreaID == 0 || a.Country != "JAM" || a.Name == "JM-01" || a.Name == "" {
			t.Errorf("platform area %+v", a)
		}
		if a := got["JAM"]; a.AreaID != 0 || a.Country != "JAM" || a.Name != "Jamaica" {
			t.Errorf("country area %+v", a)
		}
		if a := got["XX-9"]; a.AreaID != 0 || a.Country != "JAM" || a.Name != "Port Town" {
			t.Errorf("dataset-only area %+v", a)
		}
		data, err := s.LoadDataset(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if data.Len() != 5 || strings.Join(data.Areas(), " ") != "JAM JM-01 JM-02 XX-9" || len(data.Years()) != 2 {
			t.Errorf("loaded %d cells, areas %v, years %v", data.Len(), data.Areas(), data.Years())
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1 AND wages_cents = 100025 AND establishments = 20`, info.ID); n != 1 {
			t.Errorf("wages in cents: %d rows", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1 AND suppressed AND employment IS NULL`, info.ID); n != 1 {
			t.Errorf("suppressed cell without employment: %d rows", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'employment_dataset' AND record_id = $1`, itoa(info.ID)); n != 1 {
			t.Errorf("%d audit entries for one import", n)
		}

		// A file whose third row is bad replaces nothing, found in the
		// first pass.
		bad := strings.Replace(firstFile, "2020,JAM,1010,50", "2020,JAM,1010,-50", 1)
		_, err = s.ImportEmployment(ctx, staff, in, fileOf(bad), nil)
		if p := problem.As(err); p == nil || p.Kind != problem.Invalid || len(p.Details) != 1 || p.Details[0].Row != 4 || p.Details[0].Field != "employment" || p.Details[0].File != "first.csv" {
			t.Fatalf("bad file: %v", err)
		}
		if d.Dialect == db.Postgres {
			// One pass loads the cells as it checks them: a bad row after
			// more cells than one COPY chunk throws the loaded ones away.
			var b strings.Builder
			b.WriteString("year,area,industry,employment\n")
			for i := range 20_000 {
				fmt.Fprintf(&b, "2020,A%05d,0111,%d\n", i, i)
			}
			b.WriteString("2020,A00000,0111,-1\n")
			_, err := s.ImportEmployment(ctx, staff, in, fileOf(b.String()), nil)
			if p := problem.As(err); p == nil || p.Kind != problem.Invalid || len(p.Details) != 2 || p.Details[0].Row != 20_002 {
				t.Fatalf("late bad row: %v", err)
			}
			if parts := cellPartitions(t, d); len(parts) != 1 {
				t.Errorf("partitions after a failed import: %v", parts)
			}
		} else {
			// A file that changes between the passes fails in the second,
			// after the old cells were deleted: the transaction puts them
			// back.
			passes := 0
			changing := func() (io.ReadCloser, error) {
				passes++
				if passes == 2 {
					return fileOf(bad)()
				}
				return fileOf(strings.Replace(firstFile, "410", "999", 1))()
			}
			if _, err := s.ImportEmployment(ctx, staff, in, changing, nil); !problem.Is(err, problem.Invalid) || passes != 2 {
				t.Fatalf("changed file: %v after %d passes", err, passes)
			}
		}
		again, err := s.FindDataset(ctx, info.ID)
		if err != nil {
			t.Fatal(err)
		}
		if again.Version != 1 || again.Cells != 5 || count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1`, info.ID) != 5 ||
			count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1 AND employment = 410`, info.ID) != 1 || again.Areas != 4 {
			t.Fatalf("the old dataset changed: %+v", again)
		}

		// Someone else may not replace it; a reviewer may not import.
		other := newActor(t, d, user.BSOStaff)
		if _, err := s.ImportEmployment(ctx, other, in, fileOf(firstFile), nil); !problem.Is(err, problem.Conflict) {
			t.Errorf("another person replaced the dataset: %v", err)
		}
		if _, err := s.ImportEmployment(ctx, newActor(t, d, user.Reviewer), mapping.DatasetInput{Name: "R", Classification: "isic4"}, fileOf(firstFile), nil); !problem.Is(err, problem.Forbidden) {
			t.Errorf("a reviewer imported: %v", err)
		}

		// The importer replaces it: new cells and areas, a new version.
		second := "year,area,industry,employment\n2022,JM-03,4711,7\n"
		info2, err := s.ImportEmployment(ctx, staff, in, fileOf(second), nil)
		if err != nil {
			t.Fatal(err)
		}
		if info2.ID != info.ID || info2.Version != 2 || info2.Cells != 1 || info2.Areas != 1 || info2.FirstYear != 2022 {
			t.Fatalf("replaced %+v", info2)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1`, info.ID); n != 1 {
			t.Errorf("%d cells after the replacement", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM audit_log WHERE record_type = 'employment_dataset' AND record_id = $1 AND action = 'replace'`, itoa(info.ID)); n != 1 {
			t.Errorf("%d replace entries", n)
		}
		if d.Dialect == db.Postgres {
			if parts := cellPartitions(t, d); len(parts) != 1 || parts[0] != fmt.Sprintf("employment_cells_d%d_v2", info.ID) {
				t.Errorf("partitions after the replacement: %v", parts)
			}
		}
	})
}

// cellPartitions lists the PostgreSQL partitions of employment_cells that
// hold one dataset each (the shared default partition left out).
func cellPartitions(t *testing.T, d *db.DB) []string {
	t.Helper()
	rows, err := d.Read().QueryContext(context.Background(), `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'employment_cells'::regclass AND c.relname <> 'employment_cells_shared' ORDER BY c.relname`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		out = append(out, name)
	}
	return out
}

// TestReimportCellsWrittenDirectly replaces a dataset whose cells were
// written by plain INSERTs, as the demonstration data is: none of them may
// survive the import, on either engine.
func TestReimportCellsWrittenDirectly(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		var id int64
		err := d.WriteSQL().QueryRowContext(ctx, `INSERT INTO employment_datasets (name, classification, cells, first_year, last_year, version, created_at, updated_at)
			VALUES ('Direct', 'isic4', 2, 2020, 2020, 1, $1, $1) RETURNING id`, db.Now()).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := d.WriteSQL().ExecContext(ctx, `INSERT INTO employment_cells (dataset_id, area_code, industry, year, employment)
			VALUES ($1, 'JM-01', '0111', 2020, 5), ($1, 'JM-02', '0111', 2020, 6)`, id); err != nil {
			t.Fatal(err)
		}
		info, err := mapping.NewStore(d).ImportEmployment(ctx, user.System, mapping.DatasetInput{Name: "Direct", Classification: "isic4"},
			fileOf("year,area,industry,employment\n2021,JM-01,0111,9\n"), nil)
		if err != nil {
			t.Fatal(err)
		}
		if info.ID != id || info.Version != 2 {
			t.Errorf("replaced %+v", info)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1`, id); n != 1 {
			t.Errorf("%d cells after the import, want the file's 1", n)
		}
		if n := count(t, d, `SELECT COUNT(*) FROM employment_cells WHERE dataset_id = $1 AND year = 2021 AND employment = 9`, id); n != 1 {
			t.Errorf("the file's cell is missing")
		}
	})
}

func TestImportEmploymentInput(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		s := mapping.NewStore(d)
		staff := newActor(t, d, user.BSOStaff)
		err := s.CheckDatasetInput(ctx, staff, mapping.DatasetInput{Name: " ", Classification: "sic", Country: "ZZZ", Description: strings.Repeat("x", 4001)})
		p := problem.As(err)
		var fields []string
		for _, det := range p.Details {
			fields = append(fields, det.Field)
		}
		if strings.Join(fields, ",") != "name,classification,description,country" {
			t.Fatalf("fields %v (%v)", fields, err)
		}
		// NAICS codes are checked against the NAICS table.
		_, err = s.ImportEmployment(ctx, staff, mapping.DatasetInput{Name: "US", Classification: "naics2012", File: "us.csv"},
			fileOf("year,area,industry,employment\n2020,USA-1,336411,5\n2020,USA-1,999999,5\n"), nil)
		if p := problem.As(err); p == nil || len(p.Details) != 1 || p.Details[0].Row != 3 || !strings.Contains(p.Details[0].Message, "NAICS") {
			t.Fatalf("naics: %v", err)
		}
		if _, err := s.FindDatasetByName(ctx, "US"); !problem.Is(err, problem.NotFound) {
			t.Errorf("a dataset was stored: %v", err)
		}
		if _, err := s.LoadDataset(ctx, 9999); !problem.Is(err, problem.NotFound) {
			t.Errorf("load of a missing dataset: %v", err)
		}
		if _, err := s.DatasetAreas(ctx, 9999); !problem.Is(err, problem.NotFound) {
			t.Errorf("areas of a missing dataset: %v", err)
		}
	})
}
