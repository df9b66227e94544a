package campaign_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/user"
)

// collectInstance is what ODK Collect sends for the firm survey through a
// campaign: the respondent question first, then the survey.
func collectInstance(respondent, instanceID, total string) string {
	return `<?xml version="1.0"?><firm_results xmlns:orx="http://openrosa.org/xforms" id="firm_results" version="2026.1">
<respondent_ref>` + respondent + `</respondent_ref><firm_name>Negril Spice</firm_name><year>2025</year>
<employment><employees_total>` + total + `</employees_total><employees_women>2</employees_women><employees_youth>1</employees_youth><jobs_created>0</jobs_created></employment>
<finance><revenue>1000</revenue><exports>0</exports></finance><new_products_markets>new_product new_process</new_products_markets>
<partners><partner_name>Acme</partner_name><partner_type>firm</partner_type><cooperation_kind>supply joint_project</cooperation_kind></partners>
<orx:meta><orx:instanceID>` + instanceID + `</orx:instanceID></orx:meta></firm_results>`
}

func collectRequest(t *testing.T, base, name, secret, xml string) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("xml_submission_file", "instance.xml")
	part.Write([]byte(xml))
	mw.Close()
	r, _ := http.NewRequest(http.MethodPost, base+"/submission", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("X-OpenRosa-Version", "1.0")
	if name != "" {
		r.SetBasicAuth(name, secret)
	}
	return r
}

func TestOpenRosa(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		w := newWorld(t, d)
		e := w.e
		staff := e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", w.bso))
		actor := staff.Actor()
		s := campaign.NewStore(d, campaign.Options{BaseURL: e.Server.URL})
		c, err := s.CreateCampaign(ctx, actor, campaign.Input{Title: "Firm results 2025", VersionID: w.version, Period: "2025",
			OpensOn: day(-1), ClosesOn: day(30), Deadline: day(20), ClusterIDs: []int64{w.clusterA}})
		if err != nil {
			t.Fatal(err)
		}
		opened, err := s.OpenCampaign(ctx, actor, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		invs, err := s.FindInvitations(ctx, actor, c.ID, campaign.InvitationFilter{})
		if err != nil || len(invs) == 0 {
			t.Fatalf("invitations: %v %d", err, len(invs))
		}
		ref := fmt.Sprint("i", invs[0].ID)

		// App users: made on the campaign's page, the secret shown once.
		b := e.Browser(staff)
		page := fmt.Sprintf("/campaigns/%d/app-users", c.ID)
		r := e.PostForm(b, page, url.Values{"name": {"a:b"}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(r.Body, "may not contain a colon") {
			t.Fatalf("bad app user name: %d", r.StatusCode)
		}
		r = e.PostForm(b, page, url.Values{"name": {"Field officer 1"}})
		secret := regexp.MustCompile(`<code>([A-Za-z0-9_-]{43})</code>`).FindStringSubmatch(r.Body)
		if r.StatusCode != 200 || secret == nil || !strings.Contains(r.Body, "/openrosa/"+opened.Campaign.Key) {
			t.Fatalf("create app user: %d\n%s", r.StatusCode, r.Body)
		}
		if r := e.Get(b, page); strings.Contains(r.Body, secret[1]) {
			t.Error("the secret is shown again")
		}

		base := e.Server.URL + "/openrosa/" + opened.Campaign.Key
		get := func(path, name, pass string) (*http.Response, string) {
			req, _ := http.NewRequest(http.MethodGet, base+path, nil)
			if name != "" {
				req.SetBasicAuth(name, pass)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var buf bytes.Buffer
			buf.ReadFrom(res.Body)
			return res, buf.String()
		}
		res, _ := get("/formList", "", "")
		if res.StatusCode != 401 || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Basic") || res.Header.Get("X-OpenRosa-Version") != "1.0" {
			t.Fatalf("anonymous form list: %d %v", res.StatusCode, res.Header)
		}
		if res, _ := get("/formList", "Field officer 1", strings.Repeat("A", 43)); res.StatusCode != 401 {
			t.Errorf("wrong secret: %d", res.StatusCode)
		}
		res, body := get("/formList", "Field officer 1", secret[1])
		if res.StatusCode != 200 || !strings.Contains(body, "<formID>firm_results</formID>") || !strings.Contains(body, "<hash>md5:") ||
			!strings.Contains(body, "/openrosa/"+opened.Campaign.Key+"/forms/firm_results/form.xml") {
			t.Fatalf("form list: %d\n%s", res.StatusCode, body)
		}
		res, body = get("/forms/firm_results/form.xml", "Field officer 1", secret[1])
		if res.StatusCode != 200 || !strings.Contains(body, `nodeset="/firm_results/respondent_ref"`) || !strings.Contains(body, "<value>"+ref+"</value>") {
			t.Fatalf("form: %d\n%.3000s", res.StatusCode, body)
		}
		if res, body := get("/forms/firm_results/manifest", "Field officer 1", secret[1]); res.StatusCode != 200 || !strings.Contains(body, "xformsManifest") {
			t.Errorf("manifest: %d %s", res.StatusCode, body)
		}
		head, _ := http.NewRequest(http.MethodHead, base+"/submission", nil)
		head.SetBasicAuth("Field officer 1", secret[1])
		if res, err := http.DefaultClient.Do(head); err != nil || res.StatusCode != 204 || res.Header.Get("X-OpenRosa-Accept-Content-Length") == "" {
			t.Fatalf("pre-flight: %v %v", err, res)
		}

		send := func(xml string) (int, string) {
			res, err := http.DefaultClient.Do(collectRequest(t, base, "Field officer 1", secret[1], xml))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var buf bytes.Buffer
			buf.ReadFrom(res.Body)
			return res.StatusCode, buf.String()
		}
		id := "uuid:3b0e7a52-9d7c-4d8e-8f2a-1c2d3e4f5a6b"
		if code, body := send(collectInstance(ref, id, "12")); code != 201 || !strings.Contains(body, `nature="submit_success"`) {
			t.Fatalf("submission: %d %s", code, body)
		}
		stateOf := func(instance string) (state, comment string) {
			t.Helper()
			if err := d.Read().QueryRowContext(ctx, `SELECT state, review_comment FROM submissions WHERE instance_id = $1`, instance).Scan(&state, &comment); err != nil {
				t.Fatal(err)
			}
			return state, comment
		}
		if state, comment := stateOf(id); state != "received" || comment != "" {
			t.Errorf("a submission that keeps the rules: %s %q", state, comment)
		}
		// ODK Collect counts only 201 and 202 as success: a retry is 201.
		if code, body := send(collectInstance(ref, id, "12")); code != 201 || !strings.Contains(body, "Already received") {
			t.Errorf("retry: %d, want 201", code)
		}
		if code, body := send(collectInstance(ref, id, "13")); code != 409 {
			t.Errorf("same instance, other answers: %d %s", code, body)
		}
		if code, body := send(collectInstance("i999999", "uuid:4b0e7a52-9d7c-4d8e-8f2a-1c2d3e4f5a6b", "12")); code != 422 || !strings.Contains(body, "i999999") {
			t.Errorf("unknown respondent: %d %s", code, body)
		}
		if code, body := send(strings.Replace(collectInstance(ref, "uuid:5b0e7a52-9d7c-4d8e-8f2a-1c2d3e4f5a6b", "12"), `version="2026.1"`, `version="1"`, 1)); code != 409 || !strings.Contains(body, "download the form again") {
			t.Errorf("old version: %d %s", code, body)
		}
		var n int
		var answers string
		d.Read().QueryRowContext(ctx, `SELECT COUNT(*), MAX(answers) FROM submissions WHERE campaign_id = $1 AND channel = 'openrosa'`, c.ID).Scan(&n, &answers)
		if n != 1 || !strings.Contains(answers, `"new_products_markets":"new_product new_process"`) || strings.Contains(answers, "respondent_ref") {
			t.Errorf("stored %d OpenRosa submissions: %s", n, answers)
		}

		// Answers that break the form's rules are kept (nobody can correct
		// them on the phone any more) and flagged for an officer.
		flagged := "uuid:0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9"
		if code, body := send(strings.Replace(collectInstance(ref, flagged, "1"), "<employees_women>2<", "<employees_women>3<", 1)); code != 201 {
			t.Fatalf("flagged submission: %d %s", code, body)
		}
		if state, comment := stateOf(flagged); state != "has_issues" || comment != "The form's rules, checked on receipt: employees_women: Women cannot outnumber all employees." {
			t.Errorf("flagged submission: %s %q", state, comment)
		}

		// Revoking the app user closes the door at once.
		users, _ := s.FindAppUsers(ctx, actor, c.ID)
		if r := e.PostForm(b, fmt.Sprintf("%s/%d/revoke", page, users[0].ID), nil); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("revoke: %d", r.StatusCode)
		}
		if res, _ := get("/formList", "Field officer 1", secret[1]); res.StatusCode != 401 {
			t.Errorf("revoked app user: %d", res.StatusCode)
		}
	})
}
