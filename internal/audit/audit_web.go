package audit

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// EntryView is one entry as the log page shows it.
type EntryView struct {
	*Entry
	ActionLabel string
	TypeLabel   string
	RecordURL   string
	Changes     []Change
	Unreadable  bool // the stored JSON could not be compared
}

// Option is one choice of a filter select.
type Option struct {
	Value string
	Label string
}

// ListData is the audit log page's data.
type ListData struct {
	Items       []EntryView
	Total       int
	Page, Pages int
	Filter      Filter
	RecordTypes []Option
	Users       []*user.User
	JSONURL     string // the same entries from the API
}

// HandleAuditList shows the audit log, newest first, filtered by record type,
// record ID and account, with each entry's changes field by field. The route
// lets only administrators in.
func HandleAuditList(s *Store, users *user.Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		loc := web.Localizer(r)
		params := web.ParseList(r, "-at", 50)
		// Invalid filter values are dropped; the form shows what applies.
		f, _ := parseFilter(r.URL.Query(), params)
		entries, total, err := s.FindEntries(ctx, f)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		types, err := s.RecordTypes(ctx)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		accounts, err := users.FindUsers(ctx)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		data := &ListData{Total: total, Page: params.Page, Pages: params.Pages(total), Filter: f, Users: accounts,
			JSONURL: apiURL(f, params)}
		for _, t := range types {
			data.RecordTypes = append(data.RecordTypes, Option{Value: t, Label: label(loc, "audit.record.", t)})
		}
		for _, e := range entries {
			v := EntryView{Entry: e, ActionLabel: label(loc, "audit.action.", e.Action), TypeLabel: label(loc, "audit.record.", e.RecordType),
				RecordURL: recordURL(e.RecordType, e.RecordID)}
			changes, err := Diff(e.Before, e.After)
			if err != nil {
				v.Unreadable = true
			}
			for _, c := range changes {
				c.Old, c.New = shorten(c.Old), shorten(c.New)
				v.Changes = append(v.Changes, c)
			}
			data.Items = append(data.Items, v)
		}
		p := rd.NewPage(r, loc.T("audit.title"), data)
		p.Section = user.AdminSection
		p.Crumbs = []web.Crumb{{Label: loc.T("admin.title"), URL: "/admin"}, {Label: loc.T("audit.title")}}
		rd.Render(w, r, http.StatusOK, "audit/list", p)
	})
}

// apiURL is the API address of the entries a page shows.
func apiURL(f Filter, p web.ListParams) string {
	q := url.Values{}
	for k, v := range map[string]string{"record_type": f.RecordType, "record_id": f.RecordID} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.UserID != 0 {
		q.Set("user_id", strconv.FormatInt(f.UserID, 10))
	}
	if p.Page > 1 {
		q.Set("page", strconv.Itoa(p.Page))
	}
	if len(q) == 0 {
		return "/api/v1/audit"
	}
	return "/api/v1/audit?" + q.Encode()
}
