package demo

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// TestScaleTenTiming generates the region at scale 10 on both engines and
// reports how long it took. It is slow, so it only runs when
// OBSERVATORY_DEMO_TIMING=1.
func TestScaleTenTiming(t *testing.T) {
	if os.Getenv("OBSERVATORY_DEMO_TIMING") != "1" {
		t.Skip("set OBSERVATORY_DEMO_TIMING=1 to time the scale-10 region")
	}
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		for _, scale := range []int{1, 10} {
			if scale == 10 {
				d = fresh(t, d)
			}
			start := time.Now()
			res, err := Generate(context.Background(), d, scale)
			if err != nil {
				t.Fatal(err)
			}
			took := time.Since(start)
			t.Logf("%s scale %d: %v (%d organisations, %d clusters, %d memberships)", d.Dialect, scale, took.Round(time.Millisecond),
				res.Counts["organisations"], res.Counts["clusters"], res.Counts["memberships"])
			if scale == 10 && took > 60*time.Second {
				t.Errorf("scale 10 took %v, want under a minute", took)
			}
		}
	})
}

// fresh returns a new empty database of the same engine as d.
func fresh(t *testing.T, d *db.DB) *db.DB {
	if d.Dialect == db.Postgres {
		return dbtest.Postgres(t)
	}
	return dbtest.SQLite(t)
}
