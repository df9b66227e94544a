package web

import (
	"html/template"
	"testing"
)

func TestFragmentsKeepUntilAWrite(t *testing.T) {
	var gen uint64
	f := NewFragments(func() uint64 { return gen })
	renders := 0
	render := func() (template.HTML, error) {
		renders++
		return template.HTML("<p>table</p>"), nil
	}
	for range 3 {
		if h, err := f.Get("cluster 1", render); err != nil || h != "<p>table</p>" {
			t.Fatalf("Get = %q, %v", h, err)
		}
	}
	if renders != 1 {
		t.Errorf("rendered %d times for three views with no write, want 1", renders)
	}
	f.Get("cluster 2", render)
	if renders != 2 {
		t.Errorf("another key did not render its own fragment")
	}
	gen++ // a transaction committed
	f.Get("cluster 1", render)
	if renders != 3 {
		t.Errorf("a fragment outlived a write")
	}
	// A write during the render: the fragment is shown but not kept.
	f.Get("cluster 3", func() (template.HTML, error) { gen++; return render() })
	f.Get("cluster 3", render)
	if renders != 5 {
		t.Errorf("%d renders: a fragment rendered across a write was kept", renders)
	}
}
