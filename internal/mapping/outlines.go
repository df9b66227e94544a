package mapping

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
)

// The platform's map outlines are countries only. A dataset whose areas are
// districts or parishes can bring their outlines as GeoJSON, so that the
// explorer maps a cluster area by area. The file is read here, without SQL
// or HTTP: its features are matched to the dataset's area codes through
// whichever property holds them, and written back in the shape the maps
// read (properties code, name, role and centroid).

// MaxOutlinesBytes bounds an outlines file. National outlines simplified
// for the web weigh a few megabytes.
const MaxOutlinesBytes = 20 << 20

// maxOutlineFeatures bounds the features of one file.
const maxOutlineFeatures = 20_000

// Outlines are a dataset's area outlines, ready to serve.
type Outlines struct {
	// GeoJSON is a FeatureCollection of the matched areas, each with the
	// properties code, name, role ("focus") and centroid ([lon, lat]).
	GeoJSON []byte
	// Property is the feature property that held the area codes.
	Property string
	// Matched counts the features kept; Unmatched lists the values of
	// Property that are not areas of the dataset, and Missing the dataset's
	// areas without an outline.
	Matched   int
	Unmatched []string
	Missing   []string
}

type geoFeature struct {
	Type       string          `json:"type"`
	Properties map[string]any  `json:"properties"`
	Geometry   json.RawMessage `json:"geometry"`
}

type geoGeometry struct {
	Type        string          `json:"type"`
	Coordinates json.RawMessage `json:"coordinates"`
}

// ParseOutlines reads a GeoJSON FeatureCollection of polygons and keeps the
// features whose code property names one of areas (code → display name).
// The property is the one whose values match the most area codes; codes
// are compared without regard to case and surrounding space.
func ParseOutlines(data []byte, file string, areas map[string]string) (*Outlines, error) {
	bad := func(format string, args ...any) error {
		return fileProblem(file, 0, "", format, args...)
	}
	if len(data) > MaxOutlinesBytes {
		return nil, bad("The file is larger than %d MB; simplify the outlines (mapshaper or QGIS can) and try again.", MaxOutlinesBytes>>20)
	}
	data = bytes.TrimPrefix(data, []byte{0xEF, 0xBB, 0xBF})
	var fc struct {
		Type     string       `json:"type"`
		Features []geoFeature `json:"features"`
	}
	if err := json.Unmarshal(data, &fc); err != nil {
		return nil, bad("The file is not GeoJSON: %s.", jsonProblem(err))
	}
	if fc.Type != "FeatureCollection" {
		return nil, bad("The file is GeoJSON of type %q; it must be a FeatureCollection of the areas' polygons.", fc.Type)
	}
	if len(fc.Features) == 0 {
		return nil, bad("The FeatureCollection has no features.")
	}
	if len(fc.Features) > maxOutlineFeatures {
		return nil, bad("The file has %d features; at most %d are read.", len(fc.Features), maxOutlineFeatures)
	}
	byCode := map[string]string{} // normalised code → the dataset's code
	for code := range areas {
		byCode[normCode(code)] = code
	}
	property, hits := codeProperty(fc.Features, byCode)
	if hits == 0 {
		return nil, bad("No feature has a property whose value is one of the dataset's area codes (such as %s); add the codes to the features' properties.",
			strings.Join(firstCodes(areas, 3), ", "))
	}
	out := &Outlines{Property: property}
	seen := map[string]bool{}
	var features []map[string]any
	for i, f := range fc.Features {
		raw, _ := f.Properties[property].(string)
		code, ok := byCode[normCode(raw)]
		if !ok {
			if raw != "" {
				out.Unmatched = append(out.Unmatched, raw)
			}
			continue
		}
		if seen[code] {
			return nil, bad("Features %s and %d both have %s %q; each area needs one outline (a MultiPolygon for an area in several parts).",
				firstFeatureOf(fc.Features, property, raw), i+1, property, raw)
		}
		seen[code] = true
		var g geoGeometry
		if len(f.Geometry) == 0 || string(f.Geometry) == "null" {
			return nil, bad("Feature %d (%s) has no geometry.", i+1, code)
		}
		if err := json.Unmarshal(f.Geometry, &g); err != nil {
			return nil, bad("Feature %d (%s): the geometry cannot be read: %s.", i+1, code, jsonProblem(err))
		}
		polys, err := readPolygons(g)
		if err != nil {
			return nil, bad("Feature %d (%s): %s", i+1, code, err)
		}
		lon, lat := centroid(polys)
		features = append(features, map[string]any{
			"type":     "Feature",
			"geometry": map[string]any{"type": "MultiPolygon", "coordinates": polys},
			"properties": map[string]any{"code": code, "name": areas[code], "role": "focus",
				"centroid": []float64{round4(lon), round4(lat)}},
		})
	}
	out.Matched = len(features)
	for code := range areas {
		if !seen[code] {
			out.Missing = append(out.Missing, code)
		}
	}
	sort.Strings(out.Missing)
	sort.Strings(out.Unmatched)
	// Features in code order, so the same file always gives the same bytes.
	slices.SortFunc(features, func(a, b map[string]any) int {
		return strings.Compare(a["properties"].(map[string]any)["code"].(string), b["properties"].(map[string]any)["code"].(string))
	})
	b, err := json.Marshal(map[string]any{"type": "FeatureCollection", "features": features})
	if err != nil {
		return nil, err
	}
	out.GeoJSON = b
	return out, nil
}

// codeProperty finds the string property whose values match the most codes.
func codeProperty(features []geoFeature, byCode map[string]string) (string, int) {
	hits := map[string]int{}
	for _, f := range features {
		for k, v := range f.Properties {
			if s, ok := v.(string); ok {
				if _, ok := byCode[normCode(s)]; ok {
					hits[k]++
				}
			}
		}
	}
	best, n := "", 0
	for k, h := range hits {
		if h > n || (h == n && k < best) {
			best, n = k, h
		}
	}
	return best, n
}

func normCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

func firstCodes(areas map[string]string, n int) []string {
	codes := make([]string, 0, len(areas))
	for c := range areas {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	return codes[:min(n, len(codes))]
}

func firstFeatureOf(features []geoFeature, property, value string) string {
	for i, f := range features {
		if s, _ := f.Properties[property].(string); s == value {
			return fmt.Sprint(i + 1)
		}
	}
	return "?"
}

// polygon is a list of rings of [lon, lat] positions, the first the outer
// ring.
type polygon [][][2]float64

// readPolygons reads a Polygon or MultiPolygon, checking every position.
func readPolygons(g geoGeometry) ([]polygon, error) {
	var polys []polygon
	switch g.Type {
	case "Polygon":
		var p polygon
		if err := json.Unmarshal(g.Coordinates, &p); err != nil {
			return nil, fmt.Errorf("the Polygon's coordinates cannot be read: %s", jsonProblem(err))
		}
		polys = []polygon{p}
	case "MultiPolygon":
		if err := json.Unmarshal(g.Coordinates, &polys); err != nil {
			return nil, fmt.Errorf("the MultiPolygon's coordinates cannot be read: %s", jsonProblem(err))
		}
	default:
		return nil, fmt.Errorf("the geometry is a %s; area outlines must be Polygons or MultiPolygons", g.Type)
	}
	if len(polys) == 0 {
		return nil, fmt.Errorf("the geometry has no polygon")
	}
	for _, p := range polys {
		if len(p) == 0 {
			return nil, fmt.Errorf("a polygon has no ring")
		}
		for _, ring := range p {
			if len(ring) < 4 {
				return nil, fmt.Errorf("a ring has %d positions; a closed ring needs at least 4", len(ring))
			}
			for _, pos := range ring {
				if math.Abs(pos[0]) > 180 || math.Abs(pos[1]) > 90 {
					return nil, fmt.Errorf("the position [%g, %g] is not a longitude and latitude in degrees (WGS 84); reproject the file to EPSG:4326", pos[0], pos[1])
				}
			}
		}
	}
	return polys, nil
}

// centroid is the area-weighted centroid of the polygons' outer rings, in
// the plane of longitude and latitude (good enough to place a marker in a
// district); for degenerate rings it falls back to the mean position.
func centroid(polys []polygon) (lon, lat float64) {
	var a, cx, cy, n, mx, my float64
	for _, p := range polys {
		ring := p[0]
		for i := 0; i+1 < len(ring); i++ {
			x0, y0, x1, y1 := ring[i][0], ring[i][1], ring[i+1][0], ring[i+1][1]
			cross := x0*y1 - x1*y0
			a += cross
			cx += (x0 + x1) * cross
			cy += (y0 + y1) * cross
			mx, my, n = mx+x0, my+y0, n+1
		}
	}
	if math.Abs(a) < 1e-12 {
		return mx / n, my / n
	}
	return cx / (3 * a), cy / (3 * a)
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// jsonProblem words a JSON decoding error for people.
func jsonProblem(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("invalid JSON at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("a %s where %s was expected (at byte %d)", te.Value, te.Type, te.Offset)
	}
	return err.Error()
}
