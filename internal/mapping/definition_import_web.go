package mapping

import (
	"errors"
	"net/http"
	"path/filepath"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// DefinitionImportData is the import form's data: what was entered, the
// problems of the form's fields, and the problems located in the file.
type DefinitionImportData struct {
	Input    SetInput
	Columns  []string
	Errors   *web.FormErrors
	Problems []problem.Detail
}

// HandleDefinitionImportForm shows the import form.
func HandleDefinitionImportForm(rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !MayImport(user.ActorFrom(r.Context())) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		renderDefinitionImport(rd, w, r, SetInput{Classification: classNAICS}, nil)
	})
}

// HandleDefinitionImport reads an uploaded definitions file and stores it
// as a set, or shows the form again with every problem by row and column.
func HandleDefinitionImport(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		actor := user.ActorFrom(r.Context())
		if !MayImport(actor) {
			rd.Error(w, r, problem.Forbiddenf(""))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, MaxDefinitionBytes+64<<10)
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				rd.Error(w, r, problem.New(problem.TooLarge, "The file is larger than %d MB.", MaxDefinitionBytes>>20))
				return
			}
			renderDefinitionImport(rd, w, r, SetInput{}, (&problem.Fields{{Field: "file", Message: "Choose a CSV or Excel file to import."}}).Err())
			return
		}
		defer r.MultipartForm.RemoveAll()
		in := SetInput{Name: r.PostFormValue("name"), Classification: r.PostFormValue("classification"), Description: r.PostFormValue("description")}
		file, header, err := r.FormFile("file")
		if err != nil {
			renderDefinitionImport(rd, w, r, in, (&problem.Fields{{Field: "file", Message: "Choose a CSV or Excel file to import."}}).Err())
			return
		}
		defer file.Close()
		df, err := ReadDefinitionFile(file, filepath.Base(header.Filename), in.Classification)
		if err != nil {
			renderDefinitionImport(rd, w, r, in, err)
			return
		}
		set, err := s.SaveDefinitionSet(r.Context(), actor, in, df.Set)
		if err != nil {
			renderDefinitionImport(rd, w, r, in, df.Locate(err))
			return
		}
		web.Flash(w, web.Localizer(r).T("mappingdef.flash.imported", "name", set.Name, "clusters", set.Clusters, "industries", set.Industries))
		http.Redirect(w, r, definitionPath(set.ID), http.StatusSeeOther)
	})
}

// renderDefinitionImport shows the form; an invalid-input error is split
// into the form's field errors and the file's located problems.
func renderDefinitionImport(rd *web.Renderer, w http.ResponseWriter, r *http.Request, in SetInput, err error) {
	d := &DefinitionImportData{Input: in, Columns: DefinitionColumns}
	status := http.StatusOK
	if err != nil {
		p := problem.As(err)
		if p == nil || (p.Kind != problem.Invalid && p.Kind != problem.Conflict) {
			rd.Error(w, r, err)
			return
		}
		status = p.Kind.Status()
		fe := &web.FormErrors{Message: p.Message}
		for _, det := range p.Details {
			switch {
			case det.File != "":
				d.Problems = append(d.Problems, det)
			case det.Field == "name" || det.Field == "classification" || det.Field == "description" || det.Field == "file":
				fe.Fields = append(fe.Fields, det)
			default:
				// Problems of the set as a whole (a cluster without industries)
				// belong with the file's.
				d.Problems = append(d.Problems, det)
			}
		}
		d.Errors = fe
	}
	loc := web.Localizer(r)
	p := rd.NewPage(r, loc.T("mappingdef.import.title"), d)
	p.Section = navSection
	p.Crumbs = definitionCrumbs(loc, nil)
	rd.Render(w, r, status, "mapping/definitions_import", p)
}

// DefinitionDeriveData is the derivation result page's data.
type DefinitionDeriveData struct {
	Set    *SetInfo
	From   *SetInfo
	Report *DeriveReport
	Rule   string
}

// HandleDefinitionDerive derives an ISIC Rev.4 set from a NAICS set and
// shows what could not be carried over exactly.
func HandleDefinitionDerive(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		name := r.PostFormValue("name")
		set, rep, err := s.DeriveISICSet(ctx, user.ActorFrom(ctx), id, name)
		if err != nil {
			if k := problem.KindOf(err); k == problem.Invalid || k == problem.Conflict {
				renderDefinition(s, rd, w, r, id, name, err)
				return
			}
			rd.Error(w, r, err)
			return
		}
		from, err := s.FindDefinitionSet(ctx, id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("mappingdef.derive.result_title", "name", set.Name), &DefinitionDeriveData{Set: set, From: from, Report: rep, Rule: DeriveRule})
		p.Section = navSection
		p.Crumbs = definitionCrumbs(loc, from)
		rd.Render(w, r, http.StatusOK, "mapping/definitions_derived", p)
	})
}
