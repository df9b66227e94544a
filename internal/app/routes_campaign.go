package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/web"
)

// campaignRoutes serves data-collection campaigns: the list, creation,
// opening and closing, response tracking with links and revocation,
// submissions with review, edits and downloads, the respondent's
// answering page at /r/{token}, and the API.
func (a *App) campaignRoutes(mux *http.ServeMux) {
	s := campaign.NewStore(a.DB, campaign.Options{BaseURL: a.Opts.BaseURL, Mailer: a.Mailer, Jobs: a.Jobs})
	rd := a.Render
	mux.Handle("GET /campaigns", page(campaign.HandleList(s, rd)))
	mux.Handle("GET /campaigns/new", page(campaign.HandleNew(s, rd)))
	mux.Handle("POST /campaigns", page(campaign.HandleCreate(s, rd)))
	mux.Handle("GET /campaigns/{id}", page(campaign.HandleShow(s, rd)))
	mux.Handle("POST /campaigns/{id}/open", page(campaign.HandleOpen(s, rd)))
	mux.Handle("POST /campaigns/{id}/close", page(campaign.HandleClose(s, rd)))
	mux.Handle("POST /campaigns/{id}/invitations/{inv}/link", page(campaign.HandleNewLink(s, rd)))
	mux.Handle("POST /campaigns/{id}/invitations/{inv}/revoke", page(campaign.HandleRevoke(s, rd)))
	mux.Handle("GET /campaigns/{id}/submissions", page(campaign.HandleSubmissions(s, rd)))
	mux.Handle("GET /campaigns/{id}/submissions.csv", page(campaign.HandleDownload(s, rd, "csv")))
	mux.Handle("GET /campaigns/{id}/submissions.xlsx", page(campaign.HandleDownload(s, rd, "xlsx")))
	mux.Handle("GET /submissions/{id}", page(campaign.HandleSubmission(s, rd)))
	mux.Handle("POST /submissions/{id}/review", page(campaign.HandleReview(s, rd)))
	mux.Handle("GET /submissions/{id}/edit", page(campaign.HandleEdit(s, rd)))
	mux.Handle("POST /submissions/{id}/edit", page(campaign.HandleEditSave(s, rd)))

	// Answers in Excel: the template, the checked upload and its commit.
	mux.Handle("GET /campaigns/{id}/answers.xlsx", page(campaign.HandleExcelTemplate(s, rd)))
	mux.Handle("GET /campaigns/{id}/answers/upload", page(campaign.HandleExcelPage(s, rd)))
	mux.Handle("POST /campaigns/{id}/answers/upload", page(campaign.HandleExcelUpload(s, rd)))
	mux.Handle("POST /campaigns/{id}/answers/commit", page(campaign.HandleExcelCommit(s, rd)))
	a.api(mux, "GET /api/v1/campaigns/{id}/answers.xlsx", campaign.HandleAPIExcelTemplate(s, a.Logger))
	a.api(mux, "POST /api/v1/campaigns/{id}/answers.xlsx", campaign.HandleAPIExcelImport(s, a.Logger))
	// The files sent with submissions, to staff who run the campaign.
	mux.Handle("GET /submissions/{id}/files/{name}", page(campaign.HandleSubmissionFile(s, rd)))
	a.api(mux, "GET /api/v1/submissions/{id}/files/{name}", campaign.HandleAPISubmissionFile(s, a.Logger))

	// The respondent's pages need no account; like the public call page,
	// they are rate limited per client address.
	public := a.publicLimiter()
	// The page's service worker: served from /r/ so that it covers every
	// link page; the literal path wins over /r/{token}.
	mux.Handle("GET /r/sw.js", web.RespondentServiceWorker())
	mux.Handle("GET /r/{token}", public.Limit(campaign.HandleRespond(s, rd)))
	mux.Handle("POST /r/{token}", public.Limit(campaign.HandleRespondSave(s, rd)))
	mux.Handle("POST /r/{token}/submissions", public.Limit(campaign.HandleRespondSubmit(s, a.Logger)))
	mux.Handle("GET /r/{token}/thanks", public.Limit(campaign.HandleThanks(s, rd)))

	a.api(mux, "GET /api/v1/campaigns", campaign.HandleAPIList(s, a.Logger))
	a.api(mux, "POST /api/v1/campaigns", campaign.HandleAPICreate(s, a.Logger))
	a.api(mux, "POST /api/v1/campaigns/reach", campaign.HandleAPIReach(s, a.Logger))
	a.api(mux, "GET /api/v1/campaigns/{id}", campaign.HandleAPIGet(s, a.Logger))
	a.api(mux, "GET /api/v1/campaigns/{id}/submissions", campaign.HandleAPISubmissions(s, a.Logger))
	a.api(mux, "POST /api/v1/submissions", public.Limit(campaign.HandleAPISubmit(s, a.Logger)))
	a.api(mux, "POST /api/v1/submissions/{id}/review", campaign.HandleAPIReview(s, a.Logger))
}
