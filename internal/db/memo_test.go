package db_test

import (
	"context"
	"errors"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db"
)

func TestMemo(t *testing.T) {
	d, err := db.Open(context.Background(), "sqlite:"+t.TempDir()+"/memo.db")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	builds := 0
	build := func() (any, error) { builds++; return builds, nil }
	type key struct{}
	for range 3 {
		if v, err := d.Memo(key{}, build); err != nil || v != 1 {
			t.Fatalf("Memo = %v, %v", v, err)
		}
	}
	if _, err := d.Memo("failing", func() (any, error) { return nil, errors.New("no") }); err == nil {
		t.Error("a failed build returned no error")
	}
	if v, _ := d.Memo("failing", build); v != 2 {
		t.Errorf("a failed build was kept: %v", v)
	}
	d.Forget(key{})
	if v, _ := d.Memo(key{}, build); v != 3 {
		t.Errorf("after Forget: %v, want a new build", v)
	}
}

// TestInstance checks that each database opened gets its own number, even
// when an earlier one is closed first: caches key on it.
func TestInstance(t *testing.T) {
	seen := map[uint64]bool{}
	for i := range 3 {
		d, err := db.Open(context.Background(), "sqlite:"+t.TempDir()+"/instance.db")
		if err != nil {
			t.Fatal(err)
		}
		n := d.Instance()
		d.Close()
		if n == 0 || seen[n] {
			t.Fatalf("open %d: instance %d again", i, n)
		}
		seen[n] = true
	}
}
