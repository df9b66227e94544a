package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/campaign"
)

// openRosaRoutes serve a campaign to ODK Collect at /openrosa/{key} (form
// list, form, manifest, submission) and the pages where officers manage
// the app users that sign in there.
func (a *App) openRosaRoutes(mux *http.ServeMux) {
	s := campaign.NewStore(a.DB, campaign.Options{BaseURL: a.Opts.BaseURL, Mailer: a.Mailer, Jobs: a.Jobs})
	rd := a.Render
	mux.Handle("GET /campaigns/{id}/app-users", page(campaign.HandleAppUsers(s, rd)))
	mux.Handle("POST /campaigns/{id}/app-users", page(campaign.HandleAppUserCreate(s, rd)))
	mux.Handle("POST /campaigns/{id}/app-users/{user}/revoke", page(campaign.HandleAppUserRevoke(s, rd)))

	mux.Handle("GET /openrosa/{key}/formList", campaign.HandleOpenRosaFormList(s))
	mux.Handle("GET /openrosa/{key}/forms/{form}/form.xml", campaign.HandleOpenRosaForm(s))
	mux.Handle("GET /openrosa/{key}/forms/{form}/manifest", campaign.HandleOpenRosaManifest(s))
	mux.Handle("HEAD /openrosa/{key}/submission", campaign.HandleOpenRosaSubmissionHead(s))
	mux.Handle("POST /openrosa/{key}/submission", campaign.HandleOpenRosaSubmission(s))
}
