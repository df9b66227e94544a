package mapping

import (
	"context"
	"slices"
)

// Choices are the datasets and definition sets the explorer offers.
type Choices struct {
	Datasets []*DatasetInfo
	Sets     []*SetInfo // every active set; those of another classification are disabled in the form
}

// Resolve fills what the form leaves open with sensible choices: the first
// dataset (demonstration data last, real data first), the first set of its
// classification, growth from its first to its last year, and its last year.
// It returns ok=false when there is nothing to compute (no dataset, or no
// set of the dataset's classification).
func (s *Store) Resolve(ctx context.Context, e *ExploreForm) (Choices, bool, error) {
	var ch Choices
	var err error
	if ch.Datasets, err = s.FindDatasets(ctx, false); err != nil {
		return ch, false, err
	}
	if ch.Sets, err = s.FindDefinitionSets(ctx, false); err != nil {
		return ch, false, err
	}
	if len(ch.Datasets) == 0 {
		return ch, false, nil
	}
	if e.Dataset == 0 {
		ordered := slices.Clone(ch.Datasets)
		slices.SortStableFunc(ordered, func(a, b *DatasetInfo) int {
			switch {
			case a.Demo == b.Demo:
				return 0
			case a.Demo:
				return 1
			}
			return -1
		})
		e.Dataset = ordered[0].ID
	}
	ds, err := s.FindDataset(ctx, e.Dataset)
	if err != nil {
		return ch, false, err
	}
	if e.Set == 0 {
		for _, set := range ch.Sets {
			if set.Classification == ds.Classification {
				e.Set = set.ID
				break
			}
		}
		if e.Set == 0 {
			return ch, false, nil
		}
	}
	if e.From == 0 && e.To == 0 && ds.FirstYear != 0 && ds.LastYear > ds.FirstYear {
		e.From, e.To = ds.FirstYear, ds.LastYear
	}
	if e.Year == 0 {
		e.Year = ds.LastYear
	}
	e.Query.Year = e.Year
	return ch, true, nil
}
