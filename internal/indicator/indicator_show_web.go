package indicator

import (
	"context"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ShowData is the reference sheet page's data.
type ShowData struct {
	Indicator    *Indicator
	Changes      []*ChangeEntry
	Targets      []*Target
	TargetsTotal int
	CanEdit      bool
	CanArchive   bool
	Results      []*ResultTable
}

// HandleIndicatorShow shows an indicator's reference sheet, its change log
// and its baselines and targets by subject and period.
func HandleIndicatorShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		actor := user.ActorFrom(ctx)
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		ind, err := s.FindIndicatorByID(ctx, actor, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &ShowData{Indicator: ind, CanEdit: MayEditIndicators(actor) && !ind.Archived(),
			CanArchive: MayEditIndicators(actor) && (!ind.Standard || actor.IsAdmin())}
		if d.Changes, err = s.FindChanges(ctx, actor, id); err != nil {
			rd.Error(w, r, err)
			return
		}
		if d.Targets, d.TargetsTotal, err = s.FindTargets(ctx, actor, TargetFilter{IndicatorID: id, Limit: 500}); err != nil {
			rd.Error(w, r, err)
			return
		}
		if d.Results, err = s.ResultsForIndicator(ctx, actor, ind); err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, ind.Code+" — "+ind.Name, d)
		p.Section = section
		p.Crumbs = listCrumbs(loc, web.Crumb{Label: ind.Code})
		rd.Render(w, r, http.StatusOK, "indicator/show", p)
	})
}

// HandleIndicatorArchive archives an indicator and returns to its page.
func HandleIndicatorArchive(s *Store, rd *web.Renderer) http.Handler {
	return handleArchive(s, rd, (*Store).ArchiveIndicator, "indicator.flash.archived")
}

// HandleIndicatorRestore restores an archived indicator.
func HandleIndicatorRestore(s *Store, rd *web.Renderer) http.Handler {
	return handleArchive(s, rd, (*Store).RestoreIndicator, "indicator.flash.restored")
}

func handleArchive(s *Store, rd *web.Renderer, change func(*Store, context.Context, user.Actor, int64) (*Indicator, error), flashKey string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r, "id")
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		if _, err := change(s, r.Context(), user.ActorFrom(r.Context()), id); err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T(flashKey))
		http.Redirect(w, r, indicatorPath(id), http.StatusSeeOther)
	})
}
