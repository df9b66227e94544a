package indicator

import (
	"log/slog"
	"net/http"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// ResultsResponse is the body of GET /api/v1/results.
type ResultsResponse struct {
	Scope      ResultsScope      `json:"scope"`
	ScopeName  string            `json:"scope_name"`
	Values     string            `json:"values"`
	From       int               `json:"from"`
	To         int               `json:"to"`
	Partial    bool              `json:"partial"`
	Indicators []IndicatorSeries `json:"indicators"`
}

// IndicatorSeries is one indicator's series in the API.
type IndicatorSeries struct {
	Code               string      `json:"code"`
	Name               string      `json:"name"`
	Unit               string      `json:"unit"`
	SubjectAggregation Aggregation `json:"subject_aggregation"`
	TimeAggregation    Aggregation `json:"time_aggregation"`
	*ResultSeries
}

// HandleAPIResults answers GET /api/v1/results?scope=&indicator=&from=&to=&values=
// with each indicator's series of targets and actuals, completeness and
// progress over the life of the programme.
func HandleAPIResults(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		sc, err := ParseResultsScope(r.URL.Query().Get("scope"))
		if err != nil {
			var f problem.Fields
			f.Add("scope", "%s.", upperFirst(err.Error()))
			return f.Err()
		}
		dq, err := parseDashQuery(r.URL.Query(), sc)
		if err != nil {
			return err
		}
		d, err := s.Dashboard(r.Context(), actor, dq)
		if err != nil {
			return err
		}
		res := ResultsResponse{Scope: d.Scope, ScopeName: d.ScopeName, Values: "approved", From: d.From, To: d.To,
			Partial: d.Partial, Indicators: []IndicatorSeries{}}
		if d.All {
			res.Values = "all"
		}
		for _, se := range d.Series {
			ind := se.Indicator
			res.Indicators = append(res.Indicators, IndicatorSeries{Code: ind.Code, Name: ind.Name, Unit: ind.Unit,
				SubjectAggregation: ind.SubjectAggregation, TimeAggregation: ind.TimeAggregation, ResultSeries: se})
		}
		web.JSON(w, http.StatusOK, res)
		return nil
	})
}
