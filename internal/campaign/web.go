package campaign

import (
	"encoding/base64"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

const navSection = "campaigns"

func campaignPath(id int64) string { return fmt.Sprintf("/campaigns/%d", id) }

func crumbs(loc *i18n.Localizer, c *Campaign) []web.Crumb {
	out := []web.Crumb{{Label: loc.T("campaign.list_title"), URL: "/campaigns"}}
	if c != nil {
		out = append(out, web.Crumb{Label: c.Title, URL: campaignPath(c.ID)})
	}
	return out
}

// ListData is the campaign list page's data.
type ListData struct {
	Campaigns []*Campaign
	Total     int
	Status    Status
	Statuses  []Status
	Page      int
	Pages     int
	// Quality holds each listed campaign's data-quality score; ByBSO sums
	// them per BSO over the latest campaigns (quality.go).
	Quality map[int64]*Quality
	ByBSO   []BSOQuality
}

// HandleList shows the campaigns the viewer runs.
func HandleList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		lp := web.ParseList(r, "", 50)
		f := Filter{Status: Status(r.URL.Query().Get("status")), Limit: lp.PerPage, Offset: lp.Offset()}
		cs, total, err := s.FindCampaigns(r.Context(), actor, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &ListData{Campaigns: cs, Total: total, Status: f.Status, Statuses: Statuses, Page: lp.Page, Pages: lp.Pages(total)}
		if d.Quality, err = s.Qualities(r.Context(), cs); err == nil {
			d.ByBSO, err = s.QualityByBSO(r.Context(), actor, d.Quality)
		}
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("campaign.list_title"), d)
		p.Section = navSection
		rd.Render(w, r, http.StatusOK, "campaign/list", p)
	})
}

// NewData is the new-campaign page's data.
type NewData struct {
	Options  *NewOptions
	Input    Input
	OrgIDs   string
	Days     string
	Errors   *web.FormErrors
	Clusters map[int64]bool
	// Reach is who the campaign would invite, once the period and the
	// clusters or organisations are chosen.
	Reach *Reach
}

// HandleNew shows the new-campaign form.
func HandleNew(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		in := Input{}
		if v, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64); err == nil {
			in.VersionID = v
		}
		renderNew(s, rd, w, r, in, "", "7, 2", nil, nil)
	})
}

func renderNew(s *Store, rd *web.Renderer, w http.ResponseWriter, r *http.Request, in Input, orgs, days string, reach *Reach, err error) {
	opts, oerr := s.FindNewOptions(r.Context(), user.ActorFrom(r.Context()))
	if oerr != nil {
		rd.Error(w, r, oerr)
		return
	}
	d := &NewData{Options: opts, Input: in, OrgIDs: orgs, Days: days, Clusters: map[int64]bool{}, Reach: reach}
	for _, id := range in.ClusterIDs {
		d.Clusters[id] = true
	}
	status := http.StatusOK
	if err != nil {
		if d.Errors = web.NewFormErrors(err); d.Errors == nil {
			rd.Error(w, r, err)
			return
		}
		status = problem.KindOf(err).Status()
	}
	loc := web.Localizer(r)
	p := rd.NewPage(r, loc.T("campaign.new_title"), d)
	p.Section = navSection
	p.Crumbs = crumbs(loc, nil)
	rd.Render(w, r, status, "campaign/new", p)
}

func formIDs(v []string) []int64 {
	var out []int64
	for _, s := range v {
		for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\n' || r == '\r' || r == ';' }) {
			if n, err := strconv.ParseInt(part, 10, 64); err == nil {
				out = append(out, n)
			} else {
				out = append(out, -1)
			}
		}
	}
	return out
}

// HandleCreate creates a campaign from the new-campaign form.
func HandleCreate(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f := r.PostForm
		in := Input{Title: f.Get("title"), Period: f.Get("period"), OpensOn: f.Get("opens_on"), ClosesOn: f.Get("closes_on"),
			Deadline: f.Get("deadline"), ClusterIDs: formIDs(f["cluster_ids"])}
		in.VersionID, _ = strconv.ParseInt(f.Get("version_id"), 10, 64)
		in.PrefillFrom, _ = strconv.ParseInt(f.Get("prefill_from"), 10, 64)
		orgs := f.Get("organisation_ids")
		in.OrganisationIDs = formIDs([]string{orgs})
		var bad problem.Fields
		for _, id := range in.OrganisationIDs {
			if id < 0 {
				bad.Add("organisation_ids", "Write organisation numbers separated by commas, such as 12, 40.")
				break
			}
		}
		days, ok := ParseDays(f.Get("reminder_days"))
		if !ok {
			bad.Add("reminder_days", "Write the days as numbers separated by commas, such as 7, 2.")
		}
		in.ReminderDays = days
		actor := user.ActorFrom(r.Context())
		// reach counts who would be invited; nil when the period or the
		// choice of respondents is not right yet.
		reach := func() *Reach {
			rc, err := s.FindReach(r.Context(), actor, in)
			if err != nil {
				return nil
			}
			return rc
		}
		if err := bad.Err(); err != nil {
			renderNew(s, rd, w, r, in, orgs, f.Get("reminder_days"), reach(), err)
			return
		}
		// "Count who is invited" shows the number and keeps the form.
		if f.Get("action") == "count" {
			rc, err := s.FindReach(r.Context(), actor, in)
			renderNew(s, rd, w, r, in, orgs, f.Get("reminder_days"), rc, err)
			return
		}
		c, err := s.CreateCampaign(r.Context(), actor, in)
		if err != nil {
			renderNew(s, rd, w, r, in, orgs, f.Get("reminder_days"), reach(), err)
			return
		}
		web.Flash(w, web.Localizer(r).T("campaign.flash.created", "n", c.Respondents))
		http.Redirect(w, r, campaignPath(c.ID), http.StatusSeeOther)
	})
}

// ShowData is the campaign page's data: details, response tracking and
// respondents.
type ShowData struct {
	Campaign    *Campaign
	Clusters    []ClusterRate
	Invitations []*Invitation
	Missing     bool
	Quality     *Quality
}

// HandleShow shows a campaign with its response tracking.
func HandleShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		c, err := s.pathCampaign(r, actor)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		id := c.ID
		d := &ShowData{Campaign: c, Missing: r.URL.Query().Get("missing") == "1"}
		if d.Clusters, err = s.ClusterRates(r.Context(), actor, id); err == nil {
			d.Invitations, err = s.FindInvitations(r.Context(), actor, id, InvitationFilter{Missing: d.Missing})
		}
		if err == nil {
			d.Quality, err = s.CampaignQuality(r.Context(), actor, c)
		}
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, c.Title, d)
		p.Section = navSection
		p.Crumbs = crumbs(loc, nil)
		rd.Render(w, r, http.StatusOK, "campaign/show", p)
	})
}

// LinksData is the page that shows links just made, the only time their
// tokens are known.
type LinksData struct {
	Campaign *Campaign
	Links    []LinkView
	Emailed  int
	Opened   bool
}

// LinkView is a link with its QR code.
type LinkView struct {
	*IssuedLink
	QR template.URL
}

func linkViews(links []*IssuedLink) []LinkView {
	out := make([]LinkView, 0, len(links))
	for _, l := range links {
		v := LinkView{IssuedLink: l}
		if png, err := QRCode(l.URL); err == nil {
			// A data URL the code built from a PNG it made: safe to trust.
			v.QR = template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		}
		out = append(out, v)
	}
	return out
}

func renderLinks(rd *web.Renderer, w http.ResponseWriter, r *http.Request, d *LinksData) {
	loc := web.Localizer(r)
	p := rd.NewPage(r, loc.T("campaign.links_title"), d)
	p.Section = navSection
	p.Crumbs = crumbs(loc, d.Campaign)
	w.Header().Set("Cache-Control", "no-store")
	rd.Render(w, r, http.StatusOK, "campaign/links", p)
}

// HandleOpen opens a draft campaign and shows the links to pass on by hand.
func HandleOpen(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		o, err := s.OpenCampaign(r.Context(), user.ActorFrom(r.Context()), id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		renderLinks(rd, w, r, &LinksData{Campaign: o.Campaign, Links: linkViews(o.Links), Emailed: o.Emailed, Opened: true})
	})
}

// HandleClose closes an open campaign.
func HandleClose(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := s.CloseCampaign(r.Context(), user.ActorFrom(r.Context()), id); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("campaign.flash.closed"))
		http.Redirect(w, r, campaignPath(id), http.StatusSeeOther)
	})
}

// invitationOf reads the campaign and invitation IDs of the path.
func invitationOf(r *http.Request) (int64, int64, error) {
	cid, err := web.ParseID(r.PathValue("id"))
	if err != nil {
		return 0, 0, err
	}
	iid, err := web.ParseID(r.PathValue("inv"))
	return cid, iid, err
}

// HandleNewLink makes a new link for an invitation and shows it once.
func HandleNewLink(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		cid, iid, err := invitationOf(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		c, err := s.FindCampaign(r.Context(), actor, cid)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if inv, _, err := s.loadInvitation(r.Context(), s.db.Read(), actor, iid); err != nil || inv.CampaignID != cid {
			rd.Error(w, r, problem.NotFoundf(""))
			return
		}
		l, err := s.RegenerateLink(r.Context(), actor, iid)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		renderLinks(rd, w, r, &LinksData{Campaign: c, Links: linkViews([]*IssuedLink{l})})
	})
}

// HandleRevoke revokes an invitation.
func HandleRevoke(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		cid, iid, err := invitationOf(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if inv, _, err := s.loadInvitation(r.Context(), s.db.Read(), actor, iid); err != nil || inv.CampaignID != cid {
			rd.Error(w, r, problem.NotFoundf(""))
			return
		}
		inv, err := s.RevokeInvitation(r.Context(), actor, iid)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T("campaign.flash.revoked", "org", inv.OrganisationName))
		http.Redirect(w, r, campaignPath(cid), http.StatusSeeOther)
	})
}

// HandleDownload sends a campaign's submissions as CSV or XLSX; ?table=
// limits a CSV to one table.
func HandleDownload(s *Store, rd *web.Renderer, format string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		tables, err := s.ExportTables(r.Context(), user.ActorFrom(r.Context()), id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		name := fmt.Sprintf("campaign-%d-submissions", id)
		if format == "xlsx" {
			b, err := WriteXLSX(tables)
			if err != nil {
				rd.Error(w, r, err)
				return
			}
			w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
			w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.xlsx"`)
			w.Write(b)
			return
		}
		if t := r.URL.Query().Get("table"); t != "" {
			var keep []Table
			for _, tb := range tables {
				if tb.Name == t {
					keep = append(keep, tb)
				}
			}
			if keep == nil {
				rd.Error(w, r, problem.NotFoundf("The download has no table %q.", t))
				return
			}
			tables, name = keep, name+"-"+url.PathEscape(t)
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		_ = WriteCSV(w, tables)
	})
}
