package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 99, 0},
		{"one value", ms(7), 50, 7 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 100 is the 99th", ms(hundred...), 99, 99 * time.Millisecond},
		{"p90 of 100 is the 90th", ms(hundred...), 90, 90 * time.Millisecond},
		{"p99 of ten is the slowest", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 100), 99, 100 * time.Millisecond},
		{"p100 is the maximum", ms(1, 2, 3), 100, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestParseStatusKB(t *testing.T) {
	status := "Name:\tobservatory\nVmPeak:\t 1300000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   70000 kB\n"
	tests := []struct {
		field   string
		want    int64
		wantErr bool
	}{
		{"VmHWM", 81234, false},
		{"VmRSS", 70000, false},
		{"VmSwap", 0, true},
		{"Name", 0, true},
	}
	for _, tt := range tests {
		got, err := parseStatusKB(status, tt.field)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("parseStatusKB(%s) = %d, %v; want %d, error %v", tt.field, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLastLine(t *testing.T) {
	tests := map[string]string{
		"secret\n":                 "secret",
		"note\nsecret\n\n":         "secret",
		"  spaced  \r\n":           "spaced",
		"":                         "",
		"first\nsecond\nthird\r\n": "third",
	}
	for in, want := range tests {
		if got := lastLine(in); got != want {
			t.Errorf("lastLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPickList(t *testing.T) {
	allowed := []string{"sqlite", "postgres"}
	got, err := pickList("--engines", " postgres, sqlite,postgres,", allowed)
	if err != nil || strings.Join(got, ",") != "postgres,sqlite" {
		t.Errorf("pickList = %v, %v; want postgres,sqlite in the given order without repeats", got, err)
	}
	if _, err := pickList("--engines", "sqlite,mysql", allowed); err == nil || !strings.Contains(err.Error(), `"mysql"`) {
		t.Errorf("an unknown engine must be refused by name, got %v", err)
	}
	if _, err := pickList("--engines", " , ", allowed); err == nil {
		t.Error("an empty list must be refused")
	}
}

func TestCommandLineQuotes(t *testing.T) {
	got := commandLine([]string{"-engines", "sqlite", "-note", "tests of others ran; it's noisy"})
	want := `go run ./bench/httpload -engines sqlite -note 'tests of others ran; it'\''s noisy'`
	if got != want {
		t.Errorf("commandLine = %s\nwant          %s", got, want)
	}
	got = commandLine([]string{"-pg", "postgres://bench:s3cret@db.local/postgres"})
	if strings.Contains(got, "s3cret") || !strings.Contains(got, "bench:xxxxx@db.local") {
		t.Errorf("commandLine must hide the database password: %s", got)
	}
}

func TestCheckBody(t *testing.T) {
	tests := []struct {
		name string
		t    target
		body string
		ok   bool
	}{
		{"API list", target{Kind: apiKind}, `{"items":[],"total":0,"page":1,"per_page":50}`, true},
		{"API problem is not a list", target{Kind: apiKind}, `{"title":"Not found","status":404}`, false},
		{"HTML page", target{Kind: pageKind}, "<!DOCTYPE html>\n<html lang=en>", true},
		{"JSON is not a page", target{Kind: pageKind}, `{"status":"ok"}`, false},
		{"baseline takes anything", target{Kind: publicKind}, `{"status":"ok"}`, true},
	}
	for _, tt := range tests {
		if err := checkBody(tt.t, []byte(tt.body)); (err == nil) != tt.ok {
			t.Errorf("%s: checkBody error %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
}

// TestLoadCountsErrorsAndStopsInTime runs the load loop against a local
// server that fails every third request.
func TestLoadCountsErrorsAndStopsInTime(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Accept-Encoding") != "gzip" {
			t.Errorf("Accept-Encoding = %q, want gzip", r.Header.Get("Accept-Encoding"))
		}
		if n.Add(1)%3 == 0 {
			http.Error(w, "boom", http.StatusInternalServerError)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	c := &credentials{base: srv.URL}
	tg := target{Path: "/", Kind: publicKind}
	newReq := func(ctx context.Context) *http.Request { return c.request(ctx, tg) }

	start := time.Now()
	s := load(context.Background(), newClient(4), newReq, 4, 300*time.Millisecond, 1_000_000)
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("load ran %s for a 300ms phase", took)
	}
	if s.Requests == 0 || int64(s.Requests) != n.Load() {
		t.Fatalf("requests = %d, server saw %d", s.Requests, n.Load())
	}
	if want := int(n.Load() / 3); s.Errors != want || s.Statuses[500] != want {
		t.Errorf("errors = %d (statuses %v), want %d answers of 500", s.Errors, s.Statuses, want)
	}
	if s.P50 <= 0 || s.P50 > s.P99 || s.P99 > s.Max {
		t.Errorf("percentiles out of order: p50 %v p99 %v max %v", s.P50, s.P99, s.Max)
	}

	n.Store(0)
	s = load(context.Background(), newClient(4), newReq, 4, time.Minute, 10)
	if s.Requests != 10 {
		t.Errorf("with --max-requests 10 the load sent %d requests", s.Requests)
	}
}

// TestProcCPU reads this test's own CPU time and parent from /proc.
func TestProcCPU(t *testing.T) {
	deadline := time.Now().Add(50 * time.Millisecond)
	for x := 0; time.Now().Before(deadline); x++ {
		_ = x * x
	}
	ticks, _, ppid := procCPU(os.Getpid())
	if ppid != os.Getppid() {
		t.Errorf("parent = %d, want %d", ppid, os.Getppid())
	}
	if ticks <= 0 {
		t.Errorf("CPU ticks = %d after 50ms of work, want more than 0", ticks)
	}
	if got, _, _ := procCPU(-1); got != 0 {
		t.Errorf("a missing process has CPU %d, want 0", got)
	}
}
