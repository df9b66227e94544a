// Package apptest starts the real application handler on a real database
// for integration tests, with helpers to make accounts and sign in.
package apptest

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/app"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Password is the password of every account the helpers make.
const Password = "correct horse battery"

// Env is a running application on a test database.
type Env struct {
	T      testing.TB
	DB     *db.DB
	App    *app.App
	Server *httptest.Server
	Mail   *MailBox
}

// MailBox keeps the messages the application sends.
type MailBox struct {
	msgs []mail.Message
}

// Send records a message.
func (m *MailBox) Send(_ context.Context, msg mail.Message) error {
	m.msgs = append(m.msgs, msg)
	return nil
}

// Last returns the newest message sent to an address.
func (m *MailBox) Last(to string) (mail.Message, bool) {
	for i := len(m.msgs) - 1; i >= 0; i-- {
		if m.msgs[i].To == to {
			return m.msgs[i], true
		}
	}
	return mail.Message{}, false
}

// New starts the application on d.
func New(t testing.TB, d *db.DB) *Env {
	t.Helper()
	box := &MailBox{}
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		logger = slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	a, err := app.New(d, logger, app.Options{BaseURL: "http://example.test", Mailer: box, LoginPerMinute: 1000,
		Jobs: job.Config{Test: true, PollInterval: 50 * time.Millisecond, ReportEvery: 10 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(a.Handler())
	t.Cleanup(srv.Close)
	return &Env{T: t, DB: d, App: a, Server: srv, Mail: box}
}

type testWriter struct{ t testing.TB }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

var seq atomic.Int64

// CreateUser makes an account with a role and scope ("bso:3", "" for none).
func (e *Env) CreateUser(role user.Role, scope string) *user.User {
	e.T.Helper()
	sc, err := user.ParseScope(scope)
	if err != nil {
		e.T.Fatal(err)
	}
	var u *user.User
	err = e.DB.Tx(context.Background(), func(tx *sql.Tx) error {
		u, err = e.App.Users.CreateUser(context.Background(), tx, user.NewUser{
			Email: fmt.Sprintf("%s%d@example.test", role, seq.Add(1)), Name: "Test " + string(role),
			Role: role, Scope: sc, Password: Password,
		})
		return err
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return u
}

// Browser returns an HTTP client signed in as u through the sign-in form,
// keeping cookies and not following redirects.
func (e *Env) Browser(u *user.User) *http.Client {
	e.T.Helper()
	c := e.Anonymous()
	if u == nil {
		return c
	}
	resp, err := c.PostForm(e.Server.URL+"/login", url.Values{"email": {u.Email}, "password": {Password}})
	if err != nil {
		e.T.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		e.T.Fatalf("sign in as %s: status %d", u.Email, resp.StatusCode)
	}
	return c
}

// Anonymous returns a client with a cookie jar that does not follow redirects.
func (e *Env) Anonymous() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// Token makes an API token for u.
func (e *Env) Token(u *user.User) string {
	e.T.Helper()
	var secret string
	err := e.DB.Tx(context.Background(), func(tx *sql.Tx) error {
		_, s, err := e.App.Users.CreateAPIToken(context.Background(), tx, u.ID, "test")
		secret = s
		return err
	})
	if err != nil {
		e.T.Fatal(err)
	}
	return secret
}

// Response is a finished response with its body read.
type Response struct {
	*http.Response
	Body string
}

// JSON decodes the body into v, failing the test if it is not JSON.
func (r *Response) JSON(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(r.Body), v); err != nil {
		t.Fatalf("response is not JSON (%v): %s", err, r.Body)
	}
}

// API calls the JSON API with a bearer token ("" for none); body is
// marshalled to JSON unless it is a string or nil.
func (e *Env) API(method, path, token string, body any) *Response {
	e.T.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			e.T.Fatal(err)
		}
		rd = strings.NewReader(string(j))
	}
	req, err := http.NewRequest(method, e.Server.URL+path, rd)
	if err != nil {
		e.T.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return e.Do(http.DefaultClient, req)
}

// Get fetches a page with a client.
func (e *Env) Get(c *http.Client, path string) *Response {
	e.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, e.Server.URL+path, nil)
	return e.Do(c, req)
}

// PostForm submits a form with a client, as a browser on the same origin.
func (e *Env) PostForm(c *http.Client, path string, form url.Values) *Response {
	e.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, e.Server.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.Server.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return e.Do(c, req)
}

// Do sends a request and reads the whole body.
func (e *Env) Do(c *http.Client, req *http.Request) *Response {
	e.T.Helper()
	resp, err := c.Do(req)
	if err != nil {
		e.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		e.T.Fatal(err)
	}
	return &Response{Response: resp, Body: string(b)}
}
