package mapping

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// navSection is the main-navigation entry of every cluster mapping page.
const navSection = "mapping"

func definitionPath(id int64) string { return "/mapping/definitions/" + strconv.FormatInt(id, 10) }

// definitionCrumbs is the trail above every definition page.
func definitionCrumbs(loc *i18n.Localizer, set *SetInfo) []web.Crumb {
	c := []web.Crumb{{Label: loc.T("mappingdef.title"), URL: "/mapping/definitions"}}
	if set != nil {
		c = append(c, web.Crumb{Label: set.Name, URL: definitionPath(set.ID)})
	}
	return c
}

// DefinitionListData is the definition-set list page's data.
type DefinitionListData struct {
	Sets         []*SetInfo
	ShowArchived bool
	CanImport    bool
}

// HandleDefinitionList lists the definition sets, the built-in one first.
func HandleDefinitionList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		d := &DefinitionListData{ShowArchived: r.URL.Query().Get("archived") == "1", CanImport: MayImport(actor)}
		var err error
		if d.Sets, err = s.FindDefinitionSets(r.Context(), d.ShowArchived); err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("mappingdef.title"), d)
		p.Section = navSection
		rd.Render(w, r, http.StatusOK, "mapping/definitions", p)
	})
}

// DefinitionIndustry is an industry code with its title.
type DefinitionIndustry struct {
	Code, Title string
}

// DefinitionSubclusterRow is a sub-cluster with its industries' titles.
type DefinitionSubclusterRow struct {
	Code, Name string
	Industries []DefinitionIndustry
}

// DefinitionClusterRow is one cluster as the set's page shows it.
type DefinitionClusterRow struct {
	Code, Name, Type string
	Subclusters      []DefinitionSubclusterRow
	Loose            []DefinitionIndustry // industries in no sub-cluster
	Industries       int
}

// DefinitionShowData is a definition set's page data.
type DefinitionShowData struct {
	Set        *SetInfo
	Clusters   []DefinitionClusterRow
	Traded     int
	Local      int
	CanArchive bool // archive, or restore when archived
	CanDerive  bool
	DeriveName string
	Errors     *web.FormErrors
}

// HandleDefinitionShow shows a set's clusters, sub-clusters and industry
// codes with their titles; /mapping/definitions/{id}.csv downloads it in
// the import format.
func HandleDefinitionShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := r.PathValue("id")
		if id, ok := strings.CutSuffix(raw, ".csv"); ok {
			writeDefinitionCSV(s, rd, w, r, id)
			return
		}
		id, err := web.ParseID(raw)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		renderDefinition(s, rd, w, r, id, "", nil)
	})
}

// renderDefinition renders a set's page, with the derive form's name and
// problems when it is shown again.
func renderDefinition(s *Store, rd *web.Renderer, w http.ResponseWriter, r *http.Request, id int64, deriveName string, formErr error) {
	ctx := r.Context()
	info, err := s.FindDefinitionSet(ctx, id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	set, err := s.LoadDefinitionSet(ctx, id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	titles, err := s.definitionTitles(ctx, info.Classification)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	actor := user.ActorFrom(ctx)
	loc := web.Localizer(r)
	d := &DefinitionShowData{Set: info, CanArchive: MayChange(actor, info.CreatedBy),
		CanDerive: info.Classification == classNAICS && MayImport(actor), DeriveName: deriveName, Errors: web.NewFormErrors(formErr)}
	if d.DeriveName == "" {
		d.DeriveName = loc.T("mappingdef.derive.default_name", "name", info.Name)
	}
	for _, c := range set.Clusters {
		row := DefinitionClusterRow{Code: c.Code, Name: c.Name, Type: c.Type.String(), Industries: len(c.Industries)}
		if c.Type == Traded {
			d.Traded++
		} else {
			d.Local++
		}
		inSub := map[string]bool{}
		for _, sc := range c.Subclusters {
			sr := DefinitionSubclusterRow{Code: sc.Code, Name: sc.Name}
			for _, ind := range sc.Industries {
				sr.Industries = append(sr.Industries, DefinitionIndustry{ind, titles[ind]})
				inSub[ind] = true
			}
			row.Subclusters = append(row.Subclusters, sr)
		}
		for _, ind := range c.Industries {
			if !inSub[ind] {
				row.Loose = append(row.Loose, DefinitionIndustry{ind, titles[ind]})
			}
		}
		d.Clusters = append(d.Clusters, row)
	}
	status := http.StatusOK
	if formErr != nil {
		status = http.StatusUnprocessableEntity
	}
	p := rd.NewPage(r, info.Name, d)
	p.Section = navSection
	p.Crumbs = definitionCrumbs(loc, nil)
	rd.Render(w, r, status, "mapping/definition", p)
}

// writeDefinitionCSV downloads a set in the import format.
func writeDefinitionCSV(s *Store, rd *web.Renderer, w http.ResponseWriter, r *http.Request, rawID string) {
	id, err := web.ParseID(rawID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	set, err := s.LoadDefinitionSet(r.Context(), id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="definition-set-%d.csv"`, id))
	cw := csv.NewWriter(w)
	_ = cw.WriteAll(DefinitionRecords(set))
}

// HandleDefinitionArchive archives a set and returns to the list.
func HandleDefinitionArchive(s *Store, rd *web.Renderer) http.Handler {
	return definitionArchival(rd, s.ArchiveDefinitionSet, "mappingdef.flash.archived", "/mapping/definitions")
}

// HandleDefinitionRestore restores an archived set and returns to its page.
func HandleDefinitionRestore(s *Store, rd *web.Renderer) http.Handler {
	return definitionArchival(rd, s.RestoreDefinitionSet, "mappingdef.flash.restored", "")
}

// definitionArchival runs an archive or restore and says so; an empty next
// returns to the set's own page.
func definitionArchival(rd *web.Renderer, change func(context.Context, user.Actor, int64) (*SetInfo, error), flash, next string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		set, err := change(r.Context(), user.ActorFrom(r.Context()), id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T(flash, "name", set.Name))
		if next == "" {
			next = fmt.Sprintf("/mapping/definitions/%d", set.ID)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}
