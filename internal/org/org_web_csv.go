package org

import (
	"encoding/csv"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// csvHeader names the download's columns as the JSON API names the fields,
// so that the file can be read back by the bulk import.
var csvHeader = []string{"id", "kind", "name", "country", "area", "isic", "isic_title", "size_band", "women_led", "youth_led",
	"founded_year", "website", "email", "phone", "contact_name", "description", "created_at", "updated_at", "archived_at"}

// HandleOrganisationCSV streams every organisation of the filtered list as
// CSV (UTF-8 with a byte-order mark, which spreadsheets need to read accents).
func HandleOrganisationCSV(s *Store, rd *web.Renderer, logger *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		params := web.ParseList(r, "name", perPage)
		f, err := parseFilter(r.URL.Query(), params)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="organisations-`+db.Now().Format("2006-01-02")+`.csv"`)
		w.Write([]byte("\uFEFF"))
		cw := csv.NewWriter(w)
		cw.Write(csvHeader)
		n := 0
		err = s.EachOrganisation(ctx, user.ActorFrom(ctx), f, func(o *Organisation) error {
			if err := cw.Write(csvRecord(o)); err != nil {
				return err
			}
			// Flush now and then so that a large download starts at once.
			if n++; n%500 == 0 {
				cw.Flush()
			}
			return cw.Error()
		})
		cw.Flush()
		if err != nil {
			// The header has gone; all that is left is to stop and log.
			logger.Error("organisations csv", "err", err)
		}
	})
}

func csvRecord(o *Organisation) []string {
	year, area := "", ""
	if o.FoundedYear != nil {
		year = strconv.Itoa(*o.FoundedYear)
	}
	if o.AreaID != nil {
		area = o.AreaName
	}
	archived := ""
	if o.ArchivedAt != nil {
		archived = o.ArchivedAt.UTC().Format(time.RFC3339)
	}
	rec := []string{strconv.FormatInt(o.ID, 10), string(o.Kind), o.Name, o.Country, area, o.ISIC, o.ISICTitle,
		string(o.SizeBand), strconv.FormatBool(o.WomenLed), strconv.FormatBool(o.YouthLed), year, o.Website,
		o.Email, o.Phone, o.ContactName, o.Description,
		o.CreatedAt.UTC().Format(time.RFC3339), o.UpdatedAt.UTC().Format(time.RFC3339), archived}
	for i, v := range rec {
		rec[i] = defuse(v)
	}
	return rec
}

// defuse keeps a spreadsheet from reading a cell as a formula (OWASP's CSV
// injection advice) by prefixing an apostrophe, except for telephone
// numbers and signed numbers, which are harmless.
func defuse(v string) string {
	if v == "" {
		return v
	}
	switch v[0] {
	case '=', '@', '\t', '\r':
		return "'" + v
	case '+', '-':
		if strings.Trim(v, "+-0123456789 ().") != "" {
			return "'" + v
		}
	}
	return v
}
