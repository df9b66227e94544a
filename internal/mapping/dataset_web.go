package mapping

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/clusterobservatory/observatory/internal/i18n"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// datasetCrumbs is the trail above every dataset page.
func datasetCrumbs(loc *i18n.Localizer) []web.Crumb {
	return []web.Crumb{{Label: loc.T("mapping.datasets.title"), URL: "/mapping/datasets"}}
}

// DatasetListData is the dataset list page's data.
type DatasetListData struct {
	Datasets     []*DatasetInfo
	ShowArchived bool
	CanImport    bool
}

// HandleDatasetList lists the employment datasets by name.
func HandleDatasetList(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		d := &DatasetListData{ShowArchived: r.URL.Query().Get("archived") == "1", CanImport: MayImport(user.ActorFrom(r.Context()))}
		var err error
		if d.Datasets, err = s.FindDatasets(r.Context(), d.ShowArchived); err != nil {
			rd.Error(w, r, err)
			return
		}
		loc := web.Localizer(r)
		p := rd.NewPage(r, loc.T("mapping.datasets.title"), d)
		p.Section = navSection
		rd.Render(w, r, http.StatusOK, "mapping/datasets", p)
	})
}

// DatasetAreaRow is one area of a dataset's page.
type DatasetAreaRow struct {
	DatasetArea
	CountryName string
	Cells       int64
	Employment  int64 // in the dataset's last year
}

// DatasetShowData is a dataset's page data.
type DatasetShowData struct {
	Dataset        *DatasetInfo
	Years          []DatasetYear
	Areas          []DatasetAreaRow // one page of them, by code
	Page           int
	Pages          int
	Platform       int  // areas that are platform areas
	CanArchive     bool // archive, or restore when archived
	CanReplace     bool
	Outlines       *OutlinesInfo   // nil when the dataset has none
	OutlinesErrors *web.FormErrors // a refused outlines file
}

// datasetAreasPerPage is how many areas a dataset's page lists at a time.
const datasetAreasPerPage = 100

// HandleDatasetShow shows a dataset: its summary, cells by year (a table
// with a chart) and its areas; /mapping/datasets/{id}.csv downloads its
// cells in the import format.
func HandleDatasetShow(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := r.PathValue("id")
		if rawID, ok := strings.CutSuffix(raw, ".csv"); ok {
			writeDatasetCSV(s, rd, w, r, rawID)
			return
		}
		id, err := web.ParseID(raw)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		s.renderDataset(w, r, rd, id, http.StatusOK, nil)
	})
}

// renderDataset shows a dataset's page, with the problems of a refused
// outlines file when there are some.
func (s *Store) renderDataset(w http.ResponseWriter, r *http.Request, rd *web.Renderer, id int64, status int, outlinesErr error) {
	ctx := r.Context()
	info, err := s.FindDataset(ctx, id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	actor := user.ActorFrom(ctx)
	d := &DatasetShowData{Dataset: info, CanArchive: MayChange(actor, info.CreatedBy),
		CanReplace: MayChange(actor, info.CreatedBy)}
	if d.Years, err = s.DatasetYears(ctx, id); err != nil {
		rd.Error(w, r, err)
		return
	}
	areas, err := s.DatasetAreas(ctx, id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	figures, err := s.DatasetAreaFigures(ctx, id)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	countries, err := s.countryNameMap(ctx)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	// A national dataset has a few dozen areas; a benchmark or a
	// regional one a thousand, which is a page of its own to read.
	list := web.ParseList(r, "", datasetAreasPerPage)
	d.Page, d.Pages = list.Page, list.Pages(len(areas))
	for i, a := range areas {
		if a.AreaID != 0 {
			d.Platform++
		}
		if i < list.Offset() || i >= list.Offset()+list.PerPage {
			continue
		}
		f := figures[a.Code]
		d.Areas = append(d.Areas, DatasetAreaRow{DatasetArea: a, CountryName: countries[a.Country], Cells: f.Cells, Employment: f.Employment})
	}
	loc := web.Localizer(r)
	p := rd.NewPage(r, info.Name, d)
	p.Section = navSection
	p.Crumbs = datasetCrumbs(loc)
	if d.Outlines, err = s.FindOutlines(ctx, id); err != nil {
		rd.Error(w, r, err)
		return
	}
	if outlinesErr != nil {
		d.OutlinesErrors = web.NewFormErrors(outlinesErr)
	}
	rd.Render(w, r, status, "mapping/dataset", p)
}

// writeDatasetCSV downloads a dataset's cells in the import format.
func writeDatasetCSV(s *Store, rd *web.Renderer, w http.ResponseWriter, r *http.Request, rawID string) {
	id, err := web.ParseID(rawID)
	if err != nil {
		rd.Error(w, r, err)
		return
	}
	if _, err := s.FindDataset(r.Context(), id); err != nil {
		rd.Error(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="employment-dataset-%d.csv"`, id))
	// Once the first bytes are sent an error can no longer change the
	// status; the download then ends short, which the reader notices.
	_ = s.WriteDatasetCSV(r.Context(), id, w)
}

// HandleDatasetTemplate downloads an empty employment file: the header row,
// with a byte-order mark so that Excel opens it as UTF-8.
func HandleDatasetTemplate() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="employment-template.csv"`)
		fmt.Fprint(w, "\ufeff"+strings.Join(EmploymentColumns, ",")+"\r\n")
	})
}

// HandleDatasetArchive archives a dataset and returns to the list.
func HandleDatasetArchive(s *Store, rd *web.Renderer) http.Handler {
	return datasetArchival(rd, s.ArchiveDataset, "mapping.datasets.flash_archived", "/mapping/datasets")
}

// HandleDatasetRestore restores an archived dataset and returns to its page.
func HandleDatasetRestore(s *Store, rd *web.Renderer) http.Handler {
	return datasetArchival(rd, s.RestoreDataset, "mapping.datasets.flash_restored", "")
}

// datasetArchival runs an archive or restore and says so; an empty next
// returns to the dataset's own page.
func datasetArchival(rd *web.Renderer, change func(context.Context, user.Actor, int64) (*DatasetInfo, error), flash, next string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := web.ParseID(r.PathValue("id"))
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d, err := change(r.Context(), user.ActorFrom(r.Context()), id)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		web.Flash(w, web.Localizer(r).T(flash, "name", d.Name))
		if next == "" {
			next = fmt.Sprintf("/mapping/datasets/%d", d.ID)
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
	})
}
