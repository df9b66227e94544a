package db_test

import (
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
)

func TestPlaceholders(t *testing.T) {
	for _, c := range []struct {
		from, n int
		want    string
	}{{1, 3, "$1, $2, $3"}, {4, 1, "$4"}, {1, 0, ""}} {
		if got := db.Placeholders(c.from, c.n); got != c.want {
			t.Errorf("Placeholders(%d, %d) = %q, want %q", c.from, c.n, got, c.want)
		}
	}
}
