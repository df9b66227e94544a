package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/programme"
)

// programmeRoutes serves programmes, their calls for proposals, and each
// published call's public page (which needs no account).
func (a *App) programmeRoutes(mux *http.ServeMux) {
	s := programme.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /programmes", page(programme.HandleProgrammeList(s, rd)))
	mux.Handle("GET /programmes/new", page(programme.HandleProgrammeNew(s, rd)))
	mux.Handle("POST /programmes", page(programme.HandleProgrammeCreate(s, rd)))
	mux.Handle("GET /programmes/{id}", page(programme.HandleProgrammeShow(s, rd)))
	mux.Handle("GET /programmes/{id}/edit", page(programme.HandleProgrammeEdit(s, rd)))
	mux.Handle("POST /programmes/{id}", page(programme.HandleProgrammeUpdate(s, rd)))
	mux.Handle("POST /programmes/{id}/archive", page(programme.HandleProgrammeArchive(s, rd)))
	mux.Handle("POST /programmes/{id}/restore", page(programme.HandleProgrammeRestore(s, rd)))
	mux.Handle("GET /programmes/{id}/calls/new", page(programme.HandleCallNew(s, rd)))
	mux.Handle("POST /programmes/{id}/calls", page(programme.HandleCallCreate(s, rd)))
	mux.Handle("GET /programmes/{id}/calls/{call}", page(programme.HandleCallShow(s, rd)))
	mux.Handle("GET /programmes/{id}/calls/{call}/edit", page(programme.HandleCallEdit(s, rd)))
	mux.Handle("POST /programmes/{id}/calls/{call}", page(programme.HandleCallUpdate(s, rd)))
	mux.Handle("POST /programmes/{id}/calls/{call}/archive", page(programme.HandleCallArchive(s, rd)))
	mux.Handle("POST /programmes/{id}/calls/{call}/restore", page(programme.HandleCallRestore(s, rd)))
	mux.Handle("GET /programmes/{id}/calls/{call}/applications", page(programme.HandleCallApplications(s, rd)))
	mux.Handle("GET /calls/{id}/apply", page(programme.HandleApplicationNew(s, rd)))
	mux.Handle("POST /calls/{id}/apply", page(programme.HandleApplicationCreate(s, rd)))
	mux.Handle("GET /applications", page(programme.HandleMyApplications(s, rd)))
	mux.Handle("GET /applications/{id}", page(programme.HandleApplicationShow(s, rd)))
	mux.Handle("GET /applications/{id}/edit", page(programme.HandleApplicationEdit(s, rd)))
	mux.Handle("POST /applications/{id}", page(programme.HandleApplicationUpdate(s, rd)))
	mux.Handle("POST /applications/{id}/submit", page(programme.HandleApplicationSubmit(s, rd)))
	mux.Handle("POST /applications/{id}/autosave", page(programme.HandleApplicationAutosave(s, rd)))
	mux.Handle("POST /applications/{id}/sharing", page(programme.HandleApplicationShare(s, rd)))
	mux.Handle("POST /applications/{id}/sharing/{user}/remove", page(programme.HandleApplicationUnshare(s, rd)))
	// Public: applicants read a published call without an account, within
	// a rate limit per client address.
	public := a.publicLimiter()
	mux.Handle("GET /calls/{id}", public.Limit(programme.HandleCallPublic(s, rd)))

	a.api(mux, "GET /api/v1/programmes", programme.HandleAPIProgrammeList(s, a.Logger))
	a.api(mux, "POST /api/v1/programmes", programme.HandleAPIProgrammeCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/programmes/{id}", programme.HandleAPIProgrammeGet(s, a.Logger))
	a.api(mux, "PATCH /api/v1/programmes/{id}", programme.HandleAPIProgrammePatch(s, a.Logger))
	a.api(mux, "GET /api/v1/calls", programme.HandleAPICallList(s, a.Logger))
	a.api(mux, "POST /api/v1/calls", programme.HandleAPICallCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/calls/{id}", programme.HandleAPICallGet(s, a.Logger))
	a.api(mux, "PATCH /api/v1/calls/{id}", programme.HandleAPICallPatch(s, a.Logger))
	a.api(mux, "GET /api/v1/applications", programme.HandleAPIApplicationList(s, a.Logger))
	a.api(mux, "POST /api/v1/applications", programme.HandleAPIApplicationCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/applications/{id}", programme.HandleAPIApplicationGet(s, a.Logger))
	a.api(mux, "PATCH /api/v1/applications/{id}", programme.HandleAPIApplicationPatch(s, a.Logger))
	a.api(mux, "POST /api/v1/applications/{id}/submit", programme.HandleAPIApplicationSubmit(s, a.Logger))
	a.api(mux, "GET /api/v1/applications/{id}/co-applicants", programme.HandleAPICoApplicants(s, a.Logger))
	a.api(mux, "POST /api/v1/applications/{id}/co-applicants", programme.HandleAPIShare(s, a.Logger))
	a.api(mux, "DELETE /api/v1/applications/{id}/co-applicants/{user}", programme.HandleAPIUnshare(s, a.Logger))
}
