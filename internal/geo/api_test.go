package geo_test

import (
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/geo"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

type problemBody struct {
	Status int `json:"status"`
	Errors []struct {
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func TestAPI(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)

		// Reference data answers anonymous callers.
		var countries web.ListResponse[geo.Country]
		r := e.API("GET", "/api/v1/countries", "", nil)
		if r.StatusCode != 200 {
			t.Fatalf("countries: %d %s", r.StatusCode, r.Body)
		}
		r.JSON(t, &countries)
		if countries.Total != 17 || len(countries.Items) != 17 || countries.Page != 1 {
			t.Errorf("countries: total %d, %d items, page %d", countries.Total, len(countries.Items), countries.Page)
		}
		if r.Header.Get("Cache-Control") == "" {
			t.Error("reference data should be cacheable")
		}

		r = e.API("GET", "/api/v1/countries?region=true", "", nil)
		r.JSON(t, &countries)
		if countries.Total != 15 || len(countries.Items) != 15 {
			t.Errorf("region countries: total %d, %d items", countries.Total, len(countries.Items))
		}
		r = e.API("GET", "/api/v1/countries?region=true&per_page=4&page=4", "", nil)
		r.JSON(t, &countries)
		if countries.Total != 15 || len(countries.Items) != 3 || countries.PerPage != 4 {
			t.Errorf("last page: total %d, %d items, per_page %d", countries.Total, len(countries.Items), countries.PerPage)
		}
		r = e.API("GET", "/api/v1/countries?page=9223372036854775807", "", nil)
		r.JSON(t, &countries)
		if r.StatusCode != 200 || countries.Total != 17 || len(countries.Items) != 0 {
			t.Errorf("page far past the end: %d, total %d, %d items", r.StatusCode, countries.Total, len(countries.Items))
		}

		var pb problemBody
		r = e.API("GET", "/api/v1/countries?region=maybe", "", nil)
		r.JSON(t, &pb)
		if r.StatusCode != 422 || len(pb.Errors) != 1 || pb.Errors[0].Field != "region" {
			t.Errorf("region=maybe: %d %s", r.StatusCode, r.Body)
		}

		// A signed-in caller gets the same answer.
		tok := e.Token(e.CreateUser(user.Reviewer, ""))
		var c geo.Country
		r = e.API("GET", "/api/v1/countries/jm", tok, nil)
		r.JSON(t, &c)
		if r.StatusCode != 200 || c.ISO3 != "JAM" || c.Name != "Jamaica" || c.Currency != "JMD" || !c.InRegion {
			t.Errorf("country jm: %d %+v", r.StatusCode, c)
		}
		r = e.API("GET", "/api/v1/countries/XYZ", "", nil)
		if r.StatusCode != 404 || r.Header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("unknown country: %d %s", r.StatusCode, r.Header.Get("Content-Type"))
		}

		var areas web.ListResponse[geo.Area]
		r = e.API("GET", "/api/v1/areas?country=JAM", "", nil)
		r.JSON(t, &areas)
		if r.StatusCode != 200 || areas.Total != 14 || len(areas.Items) != 14 || areas.Items[0].Country != "JAM" {
			t.Errorf("JAM areas: %d, total %d", r.StatusCode, areas.Total)
		}
		r = e.API("GET", "/api/v1/areas?country=kna", "", nil)
		r.JSON(t, &areas)
		if areas.Total != 16 || areas.Items[0].Type != "state" || areas.Items[1].ParentCode != areas.Items[0].Code || areas.Items[1].Depth != 1 {
			t.Errorf("KNA areas: total %d, first two %+v %+v", areas.Total, areas.Items[0], areas.Items[1])
		}
		r = e.API("GET", "/api/v1/areas", "", nil)
		r.JSON(t, &areas)
		if areas.Total != 226 || len(areas.Items) != 226 {
			t.Errorf("all areas: total %d, %d items", areas.Total, len(areas.Items))
		}

		pb = problemBody{}
		r = e.API("GET", "/api/v1/areas?country=ATLANTIS", "", nil)
		r.JSON(t, &pb)
		if r.StatusCode != 422 || pb.Status != 422 || len(pb.Errors) != 1 || pb.Errors[0].Field != "country" || pb.Errors[0].Message == "" {
			t.Errorf("unknown country: %d %s", r.StatusCode, r.Body)
		}
	})
}
