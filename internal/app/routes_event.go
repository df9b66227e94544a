package app

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/event"
)

// eventRoutes serves the events of cluster initiatives and their attendance.
func (a *App) eventRoutes(mux *http.ServeMux) {
	s := event.NewStore(a.DB)
	rd := a.Render
	mux.Handle("GET /events", page(event.HandleEventList(s, rd)))
	mux.Handle("GET /events/new", page(event.HandleEventNew(s, rd)))
	mux.Handle("POST /events", page(event.HandleEventCreate(s, rd)))
	mux.Handle("GET /events/{id}", page(event.HandleEventShow(s, rd)))
	mux.Handle("GET /events/{id}/edit", page(event.HandleEventEdit(s, rd)))
	mux.Handle("POST /events/{id}", page(event.HandleEventUpdate(s, rd)))
	mux.Handle("POST /events/{id}/archive", page(event.HandleEventArchive(s, rd)))
	mux.Handle("POST /events/{id}/restore", page(event.HandleEventRestore(s, rd)))
	mux.Handle("GET /events/{id}/attendance", page(event.HandleAttendanceForm(s, rd)))
	mux.Handle("POST /events/{id}/attendance", page(event.HandleAttendanceUpload(s, rd)))

	a.api(mux, "GET /api/v1/events", event.HandleAPIEventList(s, a.Logger))
	a.api(mux, "POST /api/v1/events", event.HandleAPIEventCreate(s, a.Logger))
	a.api(mux, "GET /api/v1/events/{id}", event.HandleAPIEventGet(s, a.Logger))
	a.api(mux, "PATCH /api/v1/events/{id}", event.HandleAPIEventPatch(s, a.Logger))
	a.api(mux, "GET /api/v1/events/{id}/attendance", event.HandleAPIAttendance(s, a.Logger))
}
