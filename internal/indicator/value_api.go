package indicator

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// maxValuesBody is the largest body POST /api/v1/values reads.
const maxValuesBody = 1 << 20

// HandleAPIValueList answers GET /api/v1/values?subject=&indicator=&period=
// with the latest version of each value (every version with all=true).
func HandleAPIValueList(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		params := web.ParseList(r, "", 200)
		q := r.URL.Query()
		var fs problem.Fields
		f := ValueFilter{Limit: params.PerPage, Offset: params.Offset()}
		if v := q.Get("subject"); v != "" {
			sub, err := ParseSubject(v)
			if err != nil {
				fs.Add("subject", "%s.", err)
			}
			f.Subject = sub
		}
		if v := q.Get("indicator"); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				fs.Add("indicator", "%q is not an indicator ID.", v)
			}
			f.IndicatorID = n
		}
		if v := q.Get("period"); v != "" {
			p, err := ParsePeriod(v)
			if err != nil {
				fs.Add("period", "%s.", upperFirst(err.Error()))
			}
			f.Period = p.Key()
		}
		switch v := q.Get("all"); v {
		case "", "false", "0":
		case "true", "1":
			f.AllVersions = true
		default:
			fs.Add("all", "Use all=true or all=false.")
		}
		if err := fs.Err(); err != nil {
			return err
		}
		items, total, err := s.FindValues(r.Context(), actor, f)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, web.NewListResponse(items, total, params))
		return nil
	})
}

// HandleAPIValueSave answers POST /api/v1/values. The body is one value,
// a list of values, or {"values": [...]}; all are saved or none, with every
// item's problems named values[N].field. 201 with the versions added and
// the sum-rule warnings.
func HandleAPIValueSave(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxValuesBody))
		if err != nil {
			return problem.New(problem.Invalid, "The body is larger than %d bytes; send fewer values at once.", maxValuesBody)
		}
		ins, err := decodeValueInputs(body)
		if err != nil {
			return err
		}
		res, err := s.SaveValues(r.Context(), actor, ins)
		if err != nil {
			return err
		}
		if res.Saved == nil {
			res.Saved = []*Value{}
		}
		if res.Warnings == nil {
			res.Warnings = []SumWarning{}
		}
		web.JSON(w, http.StatusCreated, res)
		return nil
	})
}

func decodeValueInputs(body []byte) ([]ValueInput, error) {
	body = bytes.TrimSpace(body)
	bad := func(err error) error {
		return problem.New(problem.Invalid, "The body is not valid JSON for values: %s.", err)
	}
	strict := func(b []byte, v any) error {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		return dec.Decode(v)
	}
	var ins []ValueInput
	switch {
	case len(body) > 0 && body[0] == '[':
		if err := strict(body, &ins); err != nil {
			return nil, bad(err)
		}
	default:
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(body, &probe); err != nil {
			return nil, bad(err)
		}
		if _, ok := probe["values"]; ok {
			var wrap struct {
				Values []ValueInput `json:"values"`
			}
			if err := strict(body, &wrap); err != nil {
				return nil, bad(err)
			}
			ins = wrap.Values
		} else {
			var one ValueInput
			if err := strict(body, &one); err != nil {
				return nil, bad(err)
			}
			ins = []ValueInput{one}
		}
	}
	return ins, nil
}

// ReviewInput is an officer's decision on a value.
type ReviewInput struct {
	Decision Decision `json:"decision"`
	Comment  string   `json:"comment"`
}

// HandleAPIValueReview answers POST /api/v1/values/{id}/review.
func HandleAPIValueReview(s *Store, logger *slog.Logger) http.Handler {
	return serveAPI(logger, func(w http.ResponseWriter, r *http.Request, actor user.Actor) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		var in ReviewInput
		if err := web.DecodeJSON(w, r, &in, maxBody); err != nil {
			return err
		}
		v, err := s.ReviewValue(r.Context(), actor, id, in.Decision, in.Comment)
		if err != nil {
			return err
		}
		web.JSON(w, http.StatusOK, v)
		return nil
	})
}
