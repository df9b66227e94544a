package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

// TestIngestSurvivesSIGKILL sends submissions from 32 clients, half as the
// respondent page's JSON and half as ODK Collect's OpenRosa XML, kills the
// server with SIGKILL in the middle, restarts it and sends again every
// submission that got no answer, as the page's outbox and ODK Collect do.
// Then every submission that was acknowledged (201 or 200) must be stored
// exactly once, and nothing else: a lost acknowledgement or a duplicate
// fails the test.
func TestIngestSurvivesSIGKILL(t *testing.T) {
	engines := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "ingest.db") },
		"postgres": func(t *testing.T) string { return dbtest.EmptyPostgresURL(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			dbURL := engines[name](t)
			bin := observatoryBinary(t)
			c := setupIngestCampaign(t, bin, dbURL, 600)

			addr := freeAddr(t)
			base := "http://" + addr
			srv := startIngestServer(t, bin, addr, dbURL)
			const clients = 32
			sent := make([][]*ingestSend, clients)
			ctx, stop := context.WithTimeout(context.Background(), 20*time.Second)
			defer stop()
			hc := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{Proxy: nil, MaxIdleConnsPerHost: clients}}
			var ackCount atomic.Int64
			var wg sync.WaitGroup
			for w := range clients {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := 0; ctx.Err() == nil && i < 5000; i++ {
						s := c.next(w, i, clients)
						s.status = s.send(ctx, hc, base)
						sent[w] = append(sent[w], s)
						if s.status == 0 {
							return // the server is gone
						}
						if s.acked() {
							ackCount.Add(1)
						}
					}
				}()
			}
			// Kill once the load is well under way: at least 300
			// acknowledgements, or after 3 seconds whatever the count.
			for start := time.Now(); ackCount.Load() < 300 && time.Since(start) < 3*time.Second; {
				time.Sleep(20 * time.Millisecond)
			}
			srv.Process.Kill() // SIGKILL: no shutdown, no flush
			srv.Wait()
			stop()
			wg.Wait()

			var all []*ingestSend
			unknown := 0
			for _, ws := range sent {
				for _, s := range ws {
					all = append(all, s)
					if s.status == 0 {
						unknown++
					}
				}
			}
			if ackCount.Load() == 0 {
				t.Fatal("no submission was acknowledged before the kill; the load did not run")
			}

			// Restart on the same database and send again what got no
			// answer: each must now be acknowledged, stored once.
			srv2 := startIngestServer(t, bin, addr, dbURL)
			retryCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			for _, s := range all {
				if s.status != 0 {
					continue
				}
				if s.status = s.send(retryCtx, hc, base); !s.acked() {
					t.Errorf("%s %s sent again after the restart: status %d", s.channel, s.instanceID, s.status)
				}
			}
			srv2.Process.Signal(os.Interrupt)
			srv2.Wait()

			want := map[string]bool{}
			refused := map[int]int{}
			for _, s := range all {
				if s.acked() {
					want[s.instanceID] = true
				} else {
					refused[s.status]++
				}
			}
			stored := storedInstances(t, dbURL, c.campaignID)
			missing, extra, dup := 0, 0, 0
			for id := range want {
				if stored[id] == 0 {
					missing++
				}
			}
			for id, n := range stored {
				if n > 1 {
					dup++
				}
				if !want[id] {
					extra++
				}
			}
			t.Logf("%s: %d sent, %d acknowledged before the kill, %d in flight sent again after it, %d refused %v; %d stored",
				name, len(all), ackCount.Load(), unknown, len(all)-len(want), refused, len(stored))
			if missing > 0 {
				t.Errorf("%d acknowledged submissions are not stored after the SIGKILL", missing)
			}
			if dup > 0 || extra > 0 {
				t.Errorf("%d instance IDs stored more than once, %d stored that were never acknowledged", dup, extra)
			}
			if len(refused) > 0 {
				t.Errorf("submissions refused: %v (status → count)", refused)
			}
		})
	}
}

// ingestCampaign is an open campaign with a link per respondent and an
// ODK Collect login.
type ingestCampaign struct {
	campaignID         int64
	versionID          int64
	version, key, form string
	tokens             []string
	invitations        []int64
	appUser, appSecret string
}

// setupIngestCampaign makes n firms through the CLI, then a campaign to
// them with the Go stores: the shipped firm survey, published, opened
// (which makes the links) and an app user.
func setupIngestCampaign(t *testing.T, bin, dbURL string, n int) *ingestCampaign {
	t.Helper()
	ctx := context.Background()
	if out, err := exec.Command(bin, "migrate", "--db", dbURL).CombinedOutput(); err != nil {
		t.Fatalf("migrate: %v\n%s", err, out)
	}
	var csv strings.Builder
	csv.WriteString("name,kind,country\n")
	for i := range n {
		fmt.Fprintf(&csv, "Kill Test Firm %04d,firm,JAM\n", i)
	}
	file := filepath.Join(t.TempDir(), "firms.csv")
	if err := os.WriteFile(file, []byte(csv.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "import", "organisations", "--db", dbURL, "--file", file).CombinedOutput(); err != nil {
		t.Fatalf("import organisations: %v\n%s", err, out)
	}
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	actor := user.Actor{Name: "Kill test", Role: user.Admin}
	tpl, _ := form.StandardByName("firm_results")
	wb, err := tpl.Workbook()
	if err != nil {
		t.Fatal(err)
	}
	forms := form.NewStore(d, indicator.NewStore(d))
	imp, err := forms.Import(ctx, actor, wb, "firm_results.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := forms.SetPublished(ctx, actor, imp.Version.ID, true); err != nil {
		t.Fatal(err)
	}
	var orgs []int64
	rows, err := d.Read().QueryContext(ctx, `SELECT id FROM organisations WHERE name LIKE 'Kill Test Firm %' ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id int64
		rows.Scan(&id)
		orgs = append(orgs, id)
	}
	rows.Close()
	today := time.Now().UTC()
	s := campaign.NewStore(d, campaign.Options{BaseURL: "http://127.0.0.1"})
	cp, err := s.CreateCampaign(ctx, actor, campaign.Input{Title: "Kill test", VersionID: imp.Version.ID, Period: "2025",
		OpensOn: today.AddDate(0, 0, -1).Format(time.DateOnly), ClosesOn: today.AddDate(0, 0, 30).Format(time.DateOnly),
		Deadline: today.AddDate(0, 0, 20).Format(time.DateOnly), OrganisationIDs: orgs})
	if err != nil {
		t.Fatal(err)
	}
	opened, err := s.OpenCampaign(ctx, actor, cp.ID)
	if err != nil {
		t.Fatal(err)
	}
	au, secret, err := s.CreateAppUser(ctx, actor, cp.ID, "Kill test officer")
	if err != nil {
		t.Fatal(err)
	}
	c := &ingestCampaign{campaignID: cp.ID, versionID: imp.Version.ID, version: imp.Version.Version, key: cp.Key, form: cp.FormKey,
		appUser: au.Name, appSecret: secret}
	for _, l := range opened.Links {
		c.tokens = append(c.tokens, l.Token)
		c.invitations = append(c.invitations, l.InvitationID)
	}
	if len(c.tokens) != n {
		t.Fatalf("%d links for %d firms", len(c.tokens), n)
	}
	return c
}

// next is worker w's i-th submission: even workers answer through links
// of their own (a link used again is an edit of the answers sent through
// it before), odd ones send OpenRosa.
func (c *ingestCampaign) next(w, i, clients int) *ingestSend {
	id := campaign.NewInstanceID()
	k := w + clients*(i%(len(c.tokens)/clients))
	total := 5 + (w*31+i)%200
	if w%2 == 0 {
		body, _ := json.Marshal(map[string]any{"instance_id": id, "version_id": c.versionID, "answers": map[string]any{
			"firm_name": "Kill Test", "year": 2025, "employees_total": total, "employees_women": 2, "employees_youth": 1,
			"jobs_created": 0, "revenue": 1000, "exports": 10}})
		return &ingestSend{channel: "web", instanceID: id, path: "/r/" + c.tokens[k] + "/submissions",
			contentType: "application/json", body: body}
	}
	xml := fmt.Sprintf(`<?xml version="1.0"?><%[1]s xmlns:orx="http://openrosa.org/xforms" id="%[1]s" version="%[2]s">`+
		`<respondent_ref>i%[3]d</respondent_ref><firm_name>Kill Test</firm_name><year>2025</year>`+
		`<employment><employees_total>%[4]d</employees_total><employees_women>2</employees_women><employees_youth>1</employees_youth>`+
		`<jobs_created>0</jobs_created></employment><finance><revenue>1000</revenue><exports>10</exports></finance>`+
		`<orx:meta><orx:instanceID>%[5]s</orx:instanceID></orx:meta></%[1]s>`, c.form, c.version, c.invitations[k], total, id)
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="xml_submission_file"; filename="submission.xml"`)
	h.Set("Content-Type", "text/xml")
	part, _ := mw.CreatePart(h)
	part.Write([]byte(xml))
	mw.Close()
	return &ingestSend{channel: "openrosa", instanceID: id, path: "/openrosa/" + c.key + "/submission",
		contentType: mw.FormDataContentType(), body: b.Bytes(), user: c.appUser, secret: c.appSecret}
}

// ingestSend is one submission and what it got: 0 while no answer came.
type ingestSend struct {
	channel, instanceID string
	path, contentType   string
	body                []byte
	user, secret        string
	status              int
}

func (s *ingestSend) acked() bool { return s.status == http.StatusCreated || s.status == http.StatusOK }

// send posts the submission and returns the status, 0 for no answer.
func (s *ingestSend) send(ctx context.Context, hc *http.Client, base string) int {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+s.path, bytes.NewReader(s.body))
	if err != nil {
		return 0
	}
	req.Header.Set("Content-Type", s.contentType)
	if s.user != "" {
		req.Header.Set("X-OpenRosa-Version", "1.0")
		req.SetBasicAuth(s.user, s.secret)
	}
	resp, err := hc.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if _, err := io.Copy(io.Discard, resp.Body); err != nil {
		return 0 // the answer was cut off: as good as none
	}
	return resp.StatusCode
}

// startIngestServer runs the server with the public rate limit off (32
// clients share one address) and waits until it is ready.
func startIngestServer(t *testing.T, bin, addr, dbURL string) *exec.Cmd {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", addr, "--db", dbURL, "--log-level", "error", "--public-rate-limit", "0")
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	waitReady(t, "http://"+addr)
	return cmd
}

// storedInstances counts the stored submissions of the campaign by
// instance ID, with the database checked first on SQLite.
func storedInstances(t *testing.T, dbURL string, campaignID int64) map[string]int {
	t.Helper()
	ctx := context.Background()
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	if d.Dialect == db.SQLite {
		var check string
		d.Read().QueryRowContext(ctx, `PRAGMA integrity_check`).Scan(&check)
		if check != "ok" {
			t.Fatalf("integrity_check: %s", check)
		}
	}
	out := map[string]int{}
	rows, err := d.Read().QueryContext(ctx, `SELECT instance_id FROM submissions WHERE campaign_id = $1`, campaignID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		out[id]++
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
