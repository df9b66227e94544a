package mapping

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"golang.org/x/sync/singleflight"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// RunInput chooses what to compute: a dataset, a definition set of the same
// classification, the reference to compare with, and optionally two years
// to compare.
type RunInput struct {
	DatasetID int64
	SetID     int64
	Reference string // "dataset" (default), "region" or "country:ISO3"
	From, To  int
}

// Run is a computed mapping with what is needed to label and explain it.
type Run struct {
	Input      RunInput
	Dataset    *DatasetInfo
	Set        *SetInfo
	Result     *Result
	Labels     Labels
	Areas      []DatasetArea
	References []Reference // the references this dataset allows
	// CountryNames names the countries the dataset's areas are in.
	CountryNames map[string]string
}

// ReferenceDataset, ReferenceRegion and the "country:" prefix are the
// reference keys.
const (
	ReferenceDataset = "dataset"
	ReferenceRegion  = "region"
	referenceCountry = "country:"
)

// runCache keeps the last computations: the explorer asks for the same one
// page after page, and a dataset of millions of cells takes seconds to load
// and compute. An entry names the dataset's version and the set's last
// change, so a re-import or an edit is never served from memory. The cache
// is bounded by the figures it holds (a result of 1,000 areas × 60 clusters
// × 12 years is 720,000 of them, about 200 MB), oldest out first.
type runCache struct {
	mu     sync.Mutex
	order  []string
	runs   map[string]*Run
	held   int
	flight singleflight.Group
}

// runCacheMetrics bounds the figures the cache holds; the newest run is
// kept whatever its size.
const runCacheMetrics = 1_500_000

var runs = &runCache{runs: map[string]*Run{}}

func (c *runCache) get(key string) *Run {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.runs[key]
}

func (c *runCache) put(key string, r *Run) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.runs[key]; ok {
		return
	}
	c.order = append(c.order, key)
	c.runs[key] = r
	c.held += len(r.Result.Metrics)
	for len(c.order) > 1 && c.held > runCacheMetrics {
		c.held -= len(c.runs[c.order[0]].Result.Metrics)
		delete(c.runs, c.order[0])
		c.order = c.order[1:]
	}
}

// Run computes (or recalls) the mapping chosen by in.
func (s *Store) Run(ctx context.Context, in RunInput) (*Run, error) {
	ds, err := s.FindDataset(ctx, in.DatasetID)
	if err != nil {
		return nil, err
	}
	set, err := s.FindDefinitionSet(ctx, in.SetID)
	if err != nil {
		return nil, err
	}
	if set.Classification != ds.Classification {
		var f problem.Fields
		f.Add("set", "The definition set %q uses %s codes but the dataset %q uses %s: choose a set of the same classification (an ISIC set can be derived from a NAICS one).",
			set.Name, ClassificationName(set.Classification), ds.Name, ClassificationName(ds.Classification))
		return nil, f.Err()
	}
	if in.Reference == "" {
		in.Reference = ReferenceDataset
	}
	// The database handle is part of the key: one process may hold several
	// (the tests hold one per engine).
	key := fmt.Sprintf("%d/%d/%d/%d/%d/%s/%d/%d", s.db.Instance(), ds.ID, ds.Version, set.ID, set.UpdatedAt.UnixNano(), in.Reference, in.From, in.To)
	if r := runs.get(key); r != nil {
		return r, nil
	}
	v, err, _ := runs.flight.Do(key, func() (any, error) {
		r, err := s.compute(context.WithoutCancel(ctx), in, ds, set)
		if err != nil {
			return nil, err
		}
		runs.put(key, r)
		return r, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*Run), nil
}

func (s *Store) compute(ctx context.Context, in RunInput, ds *DatasetInfo, set *SetInfo) (*Run, error) {
	areas, err := s.DatasetAreas(ctx, ds.ID)
	if err != nil {
		return nil, err
	}
	names, err := s.countryNameMap(ctx)
	if err != nil {
		return nil, err
	}
	r := &Run{Input: in, Dataset: ds, Set: set, Areas: areas, References: references(areas, names), CountryNames: names}
	i := slices.IndexFunc(r.References, func(ref Reference) bool { return ref.Key == in.Reference })
	if i < 0 {
		var f problem.Fields
		f.Add("reference", "Unknown reference %q for this dataset: use %s.", in.Reference, referenceKeys(r.References))
		return nil, f.Err()
	}
	defs, err := s.LoadDefinitionSet(ctx, set.ID)
	if err != nil {
		return nil, err
	}
	data, err := s.LoadDataset(ctx, ds.ID)
	if err != nil {
		return nil, err
	}
	opt := DefaultOptions()
	opt.Reference = r.References[i]
	opt.From, opt.To = in.From, in.To
	if r.Result, err = Compute(data, defs, opt); err != nil {
		return nil, err
	}
	r.Labels = Labels{AreaNames: map[string]string{}, AreaCountry: map[string]string{}, ClusterNames: map[string]string{}}
	for _, a := range areas {
		r.Labels.AreaNames[a.Code] = a.Name
		r.Labels.AreaCountry[a.Code] = a.Country
	}
	for _, c := range defs.Clusters {
		r.Labels.ClusterNames[c.Code] = c.Name
	}
	return r, nil
}

// references lists the comparisons a dataset allows: its own total always;
// each country its areas belong to; and the region when they span several.
func references(areas []DatasetArea, countryNames map[string]string) []Reference {
	out := []Reference{{Key: ReferenceDataset, Name: "All areas of the dataset"}}
	byCountry := map[string][]string{}
	var region []string
	for _, a := range areas {
		if a.Country == "" {
			continue
		}
		byCountry[a.Country] = append(byCountry[a.Country], a.Code)
		region = append(region, a.Code)
	}
	if len(byCountry) > 1 {
		out = append(out, Reference{Key: ReferenceRegion, Name: "The region (every area placed in a country)", Areas: region})
	}
	countries := make([]string, 0, len(byCountry))
	for iso := range byCountry {
		countries = append(countries, iso)
	}
	slices.Sort(countries)
	for _, iso := range countries {
		name := countryNames[iso]
		if name == "" {
			name = iso
		}
		out = append(out, Reference{Key: referenceCountry + iso, Name: name, Areas: byCountry[iso]})
	}
	return out
}

func referenceKeys(refs []Reference) string {
	keys := make([]string, len(refs))
	for i, r := range refs {
		keys[i] = r.Key
	}
	return strings.Join(keys, ", ")
}

// ClassificationName names a classification for people.
func ClassificationName(c string) string {
	switch c {
	case "isic4":
		return "ISIC Rev.4"
	case "naics2012":
		return "NAICS 2012"
	}
	return c
}
