package main

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// target is one page or API call to measure.
type target struct {
	Name string // short name used by --targets
	Path string
	Kind targetKind
}

// targetKind says how a target is called and what a good answer looks like.
type targetKind int

const (
	pageKind   targetKind = iota // HTML page, signed in with the session cookie
	apiKind                      // API list, with the bearer token
	publicKind                   // anonymous request, any body (baselines)
)

// targetNames lists the targets measured by default, in order.
func targetNames() []string {
	return []string{"region", "country", "cluster", "orgs-api", "orgs-api-filtered"}
}

// baselineNames are targets that touch little or no data, measured only when
// named in --targets: they show the cost of the server's own plumbing.
func baselineNames() []string { return []string{"healthz", "login"} }

// credentials are how the load signs its requests: the session cookie of a
// signed-in browser for pages, a bearer token for the API.
type credentials struct {
	base    string // http://127.0.0.1:PORT
	cookies []*http.Cookie
	token   string
}

// request builds a GET for a target, with the headers a browser (pages) or a
// script (API) sends, accepting gzip as both do.
func (c *credentials) request(ctx context.Context, t target) *http.Request {
	r, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+t.Path, nil)
	if err != nil {
		panic(err) // the base and paths are built here and always parse
	}
	r.Header.Set("Accept-Encoding", "gzip")
	switch t.Kind {
	case apiKind:
		r.Header.Set("Accept", "application/json")
		r.Header.Set("Authorization", "Bearer "+c.token)
	case pageKind:
		r.Header.Set("Accept", "text/html,application/xhtml+xml")
		for _, ck := range c.cookies {
			r.AddCookie(ck)
		}
	}
	return r
}

// signIn posts the sign-in form as a browser on the same origin would and
// keeps the cookies it sets.
func signIn(ctx context.Context, hc *http.Client, base, email, password string) ([]*http.Cookie, error) {
	form := url.Values{"email": {email}, "password": {password}, "next": {"/"}}
	r, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r.Header.Set("Origin", base)
	r.Header.Set("Sec-Fetch-Site", "same-origin")
	resp, err := hc.Do(r)
	if err != nil {
		return nil, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther && resp.StatusCode != http.StatusFound {
		return nil, fmt.Errorf("sign-in answered %s, want a redirect", resp.Status)
	}
	cookies := resp.Cookies()
	for _, ck := range cookies {
		if ck.Name == "session" && ck.Value != "" {
			return cookies, nil
		}
	}
	return nil, fmt.Errorf("sign-in set no session cookie")
}

// probe is what one request to a target showed before the load.
type probe struct {
	Status     int
	Bytes      int // as sent
	Plain      int // after decompression
	Compressed bool
}

// fetch sends one request and reads the whole body, inflating it if gzipped,
// to check the target works and to report its size.
func fetch(ctx context.Context, hc *http.Client, c *credentials, t target) (probe, []byte, error) {
	resp, err := hc.Do(c.request(ctx, t))
	if err != nil {
		return probe{}, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return probe{}, nil, err
	}
	p := probe{Status: resp.StatusCode, Bytes: len(raw), Plain: len(raw)}
	body := raw
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			return p, nil, fmt.Errorf("%s: bad gzip body: %w", t.Path, err)
		}
		if body, err = io.ReadAll(zr); err != nil {
			return p, nil, fmt.Errorf("%s: bad gzip body: %w", t.Path, err)
		}
		p.Compressed, p.Plain = true, len(body)
	}
	return p, body, nil
}

// checkBody makes sure a successful answer is what the target should give:
// a JSON list from the API, an HTML page otherwise.
func checkBody(t target, body []byte) error {
	switch t.Kind {
	case publicKind:
		return nil
	case apiKind:
		var list struct {
			Items []json.RawMessage `json:"items"`
			Total *int              `json:"total"`
		}
		if err := json.Unmarshal(body, &list); err != nil || list.Total == nil {
			return fmt.Errorf("%s: the answer is not an API list (%v)", t.Path, err)
		}
		return nil
	}
	if !strings.Contains(strings.ToLower(string(body[:min(len(body), 512)])), "<!doctype html") {
		return fmt.Errorf("%s: the answer is not an HTML page", t.Path)
	}
	return nil
}
