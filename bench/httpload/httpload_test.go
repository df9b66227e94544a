package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

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
