package importer

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// largeCSV builds an organisations file of n valid rows.
func largeCSV(n int) []byte {
	var b bytes.Buffer
	b.WriteString(orgHeader)
	countries := []string{"JAM", "TTO", "BRB", "GUY", "DOM", "HTI"}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "Firm number %d,firm,%s,,5510,small,no,yes,2001,https://firm%d.example.org,firm%d@example.org,+1 876 555 %04d,Contact %d,A firm made for the test of large files\n",
			i, countries[i%len(countries)], i, i, i%10000, i)
	}
	return b.Bytes()
}

// TestLargeFile checks and commits MaxRows organisations on each engine and
// logs how long each step takes; one more row is refused with nothing stored.
func TestLargeFile(t *testing.T) {
	if testing.Short() {
		t.Skip("large file: skipped in -short mode")
	}
	data := largeCSV(MaxRows)
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		im := New(d)
		ctx := context.Background()
		start := time.Now()
		rep, err := im.Check(ctx, user.System, Organisations, "large.csv", data)
		if err != nil {
			t.Fatal(err)
		}
		checked := time.Since(start)
		if !rep.OK() || rep.Valid != MaxRows {
			t.Fatalf("valid %d of %d:\n%s", rep.Valid, rep.Rows, listProblems(rep.Problems[:min(len(rep.Problems), 10)]))
		}
		start = time.Now()
		res, rep, err := im.Import(ctx, user.System, Organisations, "large.csv", data)
		if err != nil {
			t.Fatal(err)
		}
		total := time.Since(start)
		if res == nil || res.Created != MaxRows || count(t, d, "organisations") != MaxRows {
			t.Fatalf("created %+v, problems %d", res, len(rep.Problems))
		}
		if n := count(t, d, "audit_log"); n != MaxRows+1 {
			t.Errorf("audit entries: %d, want %d", n, MaxRows+1)
		}
		t.Logf("%s: %d rows: dry run %v, import (check again + store) %v", d.Dialect, MaxRows, checked.Round(time.Millisecond), total.Round(time.Millisecond))
	})
}
