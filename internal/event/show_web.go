package event

import (
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ShowData is the event page's data.
type ShowData struct {
	Event       *Event
	CountryName string
	Attendees   []*Attendee
	Listed      Counts // the attendee rows added up
	CanEdit     bool
}

// HandleEventShow shows an event with its participants and the
// organisations that took part.
func HandleEventShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		e, err := s.FindEventByID(ctx, actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &ShowData{Event: e}
		if d.CanEdit, err = s.CanWrite(ctx, actor, id); err != nil {
			rd.Error(w, r, err)
			return
		}
		if d.Attendees, err = loadAttendees(ctx, s.db.Read(), id); err != nil {
			rd.Error(w, r, err)
			return
		}
		for _, a := range d.Attendees {
			d.Listed = d.Listed.plus(a.Counts)
		}
		_, names, err := s.Countries(ctx)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d.CountryName = names[e.Country]
		loc := web.Localizer(r)
		p := rd.NewPage(r, e.Title, d)
		p.Section = section
		p.Crumbs = eventCrumbs(loc, e)
		rd.Render(w, r, http.StatusOK, "event/show", p)
	})
}
