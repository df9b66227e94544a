package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/harness"
	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

// campaignSetup is what the clients need: the form version, the campaign's
// keys, one link per respondent and an ODK Collect login.
type campaignSetup struct {
	VersionID   int64
	Version     string // the form version's name, as ODK Collect sends it
	CampaignID  int64
	CampaignKey string
	FormKey     string
	Tokens      []string // one link per invitation
	Invitations []int64  // the invitation of each link
	AppUserID   int64
	AppUser     string
	AppSecret   string
	Took        time.Duration
}

const (
	benchEmail = "bench-ingest@example.org"
	// template is the shipped XLSForm the campaign collects.
	template = "firm_results"
)

// setupActor runs the steps that have no CLI or API, as an administrator.
var setupActor = user.Actor{Name: "Benchmark setup", Role: user.Admin}

// countries are CARIFORUM members the organisations are spread over.
var countries = []string{"JAM", "TTO", "BRB", "GUY", "DOM", "HTI", "BHS", "BLZ", "SUR", "LCA"}

// setupCampaign prepares a migrated, empty database with a campaign that
// takes answers. Every step goes through the product's CLI or API, except
// three that have neither (publishing the form version, opening the
// campaign, which hands out the links, and making the app user): those
// call the product's Go stores on the same database from this process.
func setupCampaign(ctx context.Context, o *options, bin, dbURL string, log io.Writer) (*campaignSetup, error) {
	t0 := time.Now()
	if _, err := harness.Run(ctx, bin, dbURL, "", "migrate"); err != nil {
		return nil, err
	}
	password := randomSecret()
	if _, err := harness.Run(ctx, bin, dbURL, password+"\n", "user", "create", "--email", benchEmail,
		"--name", "Ingest benchmark", "--role", "admin", "--password-stdin"); err != nil {
		return nil, err
	}
	tokOut, err := harness.Run(ctx, bin, dbURL, "", "token", "create", "--email", benchEmail, "--name", "ingest benchmark")
	if err != nil {
		return nil, err
	}
	api := &apiClient{token: harness.LastLine(tokOut), hc: &http.Client{Timeout: 5 * time.Minute, Transport: &http.Transport{Proxy: nil}}}
	orgFile := filepath.Join(o.out, "organisations.csv")
	if err := writeOrganisations(orgFile, o.respondents); err != nil {
		return nil, err
	}
	fmt.Fprintf(log, "%5.1fs importing %d organisations\n", time.Since(t0).Seconds(), o.respondents)
	if _, err := harness.Run(ctx, bin, dbURL, "", "import", "organisations", "--file", orgFile); err != nil {
		return nil, err
	}

	srv, err := harness.Start(ctx, bin, dbURL, filepath.Join(o.out, "setup.log"))
	if err != nil {
		return nil, err
	}
	api.base = srv.Base
	fmt.Fprintf(log, "%5.1fs importing the form through the API\n", time.Since(t0).Seconds())
	cs, err := createCampaign(ctx, api, dbURL, log)
	if serr := srv.Stop(); err == nil && serr != nil {
		err = fmt.Errorf("stop the setup server: %w", serr)
	}
	if err != nil {
		return nil, err
	}

	d, err := db.Open(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer d.Close()
	cstore := campaign.NewStore(d, campaign.Options{BaseURL: "http://127.0.0.1"})
	fmt.Fprintf(log, "%5.1fs opening the campaign (a link per respondent)\n", time.Since(t0).Seconds())
	opened, err := cstore.OpenCampaign(ctx, setupActor, cs.CampaignID)
	if err != nil {
		return nil, fmt.Errorf("open the campaign: %w", err)
	}
	for _, l := range opened.Links {
		cs.Tokens = append(cs.Tokens, l.Token)
		cs.Invitations = append(cs.Invitations, l.InvitationID)
	}
	if len(cs.Tokens) != o.respondents {
		return nil, fmt.Errorf("opening gave %d links for %d respondents", len(cs.Tokens), o.respondents)
	}
	au, secret, err := cstore.CreateAppUser(ctx, setupActor, cs.CampaignID, "Field officer 1")
	if err != nil {
		return nil, fmt.Errorf("app user: %w", err)
	}
	cs.AppUserID, cs.AppUser, cs.AppSecret = au.ID, au.Name, secret
	cs.Took = time.Since(t0)
	return cs, nil
}

// createCampaign imports the template through the API, publishes it,
// lists the organisations through the API and creates the campaign.
func createCampaign(ctx context.Context, api *apiClient, dbURL string, log io.Writer) (*campaignSetup, error) {
	tpl, ok := form.StandardByName(template)
	if !ok {
		return nil, fmt.Errorf("no shipped template %s", template)
	}
	workbook, err := tpl.Workbook()
	if err != nil {
		return nil, err
	}
	var imported form.ImportResponse
	if err := api.upload(ctx, "/api/v1/forms", template+".xlsx", workbook, &imported); err != nil {
		return nil, fmt.Errorf("import the form: %w", err)
	}
	cs := &campaignSetup{VersionID: imported.Version.ID, Version: imported.Version.Version}
	// Publishing has a page but no API: the form store does it.
	if err := publish(ctx, dbURL, cs.VersionID); err != nil {
		return nil, err
	}
	var orgs []int64
	for page := 1; ; page++ {
		var list struct {
			Items []struct {
				ID int64 `json:"id"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := api.call(ctx, http.MethodGet, fmt.Sprintf("/api/v1/organisations?kind=firm&per_page=500&page=%d", page), nil, &list); err != nil {
			return nil, fmt.Errorf("list organisations: %w", err)
		}
		for _, it := range list.Items {
			orgs = append(orgs, it.ID)
		}
		if len(list.Items) == 0 || len(orgs) >= list.Total {
			break
		}
	}
	fmt.Fprintf(log, "creating the campaign for %d organisations through the API\n", len(orgs))
	today := time.Now().UTC()
	in := campaign.Input{Title: "Firm results (ingestion benchmark)", VersionID: cs.VersionID, Period: fmt.Sprint(today.Year() - 1),
		OpensOn: today.AddDate(0, 0, -1).Format(time.DateOnly), ClosesOn: today.AddDate(0, 0, 30).Format(time.DateOnly),
		Deadline: today.AddDate(0, 0, 20).Format(time.DateOnly), OrganisationIDs: orgs}
	body, _ := json.Marshal(in)
	var c campaign.Campaign
	if err := api.call(ctx, http.MethodPost, "/api/v1/campaigns", body, &c); err != nil {
		return nil, fmt.Errorf("create the campaign: %w", err)
	}
	cs.CampaignID, cs.CampaignKey, cs.FormKey = c.ID, c.Key, c.FormKey
	return cs, nil
}

func publish(ctx context.Context, dbURL string, versionID int64) error {
	d, err := db.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer d.Close()
	if _, err := form.NewStore(d, indicator.NewStore(d)).SetPublished(ctx, setupActor, versionID, true); err != nil {
		return fmt.Errorf("publish the form version: %w", err)
	}
	return nil
}

// writeOrganisations writes the organisations import file: n firms without
// email, so that opening the campaign makes a link for each.
func writeOrganisations(path string, n int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	_ = w.Write([]string{"name", "kind", "country", "size_band"})
	for i := range n {
		_ = w.Write([]string{fmt.Sprintf("Ingest Firm %06d", i+1), "firm", countries[i%len(countries)], "micro"})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// apiClient calls the JSON API with a bearer token.
type apiClient struct {
	base, token string
	hc          *http.Client
}

func (a *apiClient) call(ctx context.Context, method, path string, body []byte, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, bytes.NewReader(body))
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return a.do(req, out)
}

func (a *apiClient) upload(ctx context.Context, path, name string, data []byte, out any) error {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, err := mw.CreateFormFile("file", name)
	if err != nil {
		return err
	}
	part.Write(data)
	mw.Close()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.base+path, &body)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return a.do(req, out)
}

func (a *apiClient) do(req *http.Request, out any) error {
	req.Header.Set("Authorization", "Bearer "+a.token)
	req.Header.Set("Accept", "application/json")
	resp, err := a.hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("%s %s: %d %s", req.Method, req.URL.Path, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	return json.Unmarshal(b, out)
}
