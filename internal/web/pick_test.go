package web

import (
	"net/http/httptest"
	"testing"
)

func TestPickMatches(t *testing.T) {
	id := func(n int64) int64 { return n }
	named := []int64{3, 7, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18}
	seven := int64(7)
	got := PickMatches(&seven, named, id)
	if len(got) != PickLimit || got[0] != 7 || got[1] != 3 || got[2] != 9 {
		t.Errorf("exact first, once, capped: %v", got)
	}
	if got := PickMatches(nil, named[:2], id); len(got) != 2 || got[0] != 3 {
		t.Errorf("by name only: %v", got)
	}
}

func TestReadPick(t *testing.T) {
	for _, tt := range []struct {
		url, query, forID string
		ok                bool
	}{
		{"/x?q=%20ab%20&for=f-lead_org_id", "ab", "f-lead_org_id", true},
		{"/x?q=a&for=f-x", "a", "f-x", false},
		{"/x?q=abc&for=%22%3E%3Cscript%3E", "abc", "pick", true},
		{"/x?q=abc", "abc", "pick", true},
		{"/x?q=7", "7", "pick", true},
	} {
		d, ok := ReadPick(httptest.NewRequest("GET", tt.url, nil))
		if ok != tt.ok || d.Query != tt.query || d.For != tt.forID || (d.Error != "") == ok {
			t.Errorf("%s: %+v %v", tt.url, d, ok)
		}
	}
}
