package indicator

import (
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// HandleAPIRuleList answers GET /api/v1/validation-rules (archived=true
// includes archived rules).
func HandleAPIRuleList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var f RuleFilter
		switch v := r.URL.Query().Get("archived"); v {
		case "", "false", "0":
		case "true", "1":
			f.IncludeArchived = true
		default:
			return problem.Fields{{Field: "archived", Message: "Use archived=true or archived=false."}}.Err()
		}
		rules, err := s.FindRules(r.Context(), actor, f)
		if err != nil {
			return err
		}
		params := web.ListParams{Page: 1, PerPage: max(len(rules), 1)}
		web.JSON(w, http.StatusOK, web.NewListResponse(rules, len(rules), params))
		return nil
	})
}

// HandleAPIRuleCreate answers POST /api/v1/validation-rules.
func HandleAPIRuleCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in RuleInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		rule, err := s.CreateRule(r.Context(), actor, in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/validation-rules/"+strconv.FormatInt(rule.ID, 10))
		web.JSON(w, http.StatusCreated, rule)
		return nil
	})
}

// HandleAPIViolationList answers GET /api/v1/validation-violations with the
// current violations (all=true adds those later runs replaced; run= one
// run's), filtered by rule, country, period and importance, with the total.
func HandleAPIViolationList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "", 200)
		q := r.URL.Query()
		var fs problem.Fields
		f := ViolationFilter{Limit: params.PerPage, Offset: params.Offset()}
		id := func(name string) int64 {
			v := q.Get(name)
			if v == "" {
				return 0
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				fs.Add(name, "%q is not an ID.", v)
			}
			return n
		}
		f.RunID, f.RuleID = id("run"), id("rule")
		if v := strings.ToUpper(q.Get("country")); v != "" {
			if !iso3Re.MatchString(v) {
				fs.Add("country", "%q is not a country: use its ISO 3166-1 alpha-3 code, such as JAM.", v)
			}
			f.Country = v
		}
		if v := q.Get("period"); v != "" {
			p, err := ParsePeriod(v)
			if err != nil {
				fs.Add("period", "%s.", upperFirst(err.Error()))
			}
			f.Period = p.Key()
		}
		if v := Importance(q.Get("importance")); v != "" {
			if !v.Valid() {
				fs.Add("importance", "Use importance %s.", valuesText(Importances))
			}
			f.Importance = v
		}
		switch v := q.Get("all"); v {
		case "", "false", "0":
		case "true", "1":
			f.All = true
		default:
			fs.Add("all", "Use all=true or all=false.")
		}
		if err := fs.Err(); err != nil {
			return err
		}
		items, total, err := s.FindViolations(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIRunCreate answers POST /api/v1/validation-runs: the rules are
// checked now for the scope and the run is answered with its counts; its
// violations are at /api/v1/validation-violations?run={id}.
func HandleAPIRunCreate(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		var in RunInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		run, err := s.RunRules(r.Context(), actor, in)
		if err != nil {
			return err
		}
		w.Header().Set("Location", "/api/v1/validation-violations?run="+strconv.FormatInt(run.ID, 10))
		web.JSON(w, http.StatusCreated, run)
		return nil
	})
}
