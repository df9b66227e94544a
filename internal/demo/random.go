package demo

import (
	"math/rand/v2"
	"time"
)

// seed is fixed so that the same scale always gives the same region; each
// phase of the generator draws from its own stream, so a change in one phase
// does not reshuffle the others.
const seed uint64 = 0x0C1A_57E2_2026

// The streams, one per phase.
const (
	streamInstitutions uint64 = iota + 1
	streamClusters
	streamFirms
	streamMembers
)

// The demo history runs over these six and a half years: every membership
// date and every record timestamp falls inside it.
var (
	historyStart = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	historyEnd   = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC)
)

// rng is a deterministic random source with the few draws the generator needs.
type rng struct{ r *rand.Rand }

func newRNG(scale int, stream uint64) *rng {
	return &rng{r: rand.New(rand.NewPCG(seed+uint64(scale), stream))}
}

// intn returns a number in [0, n).
func (g *rng) intn(n int) int { return g.r.IntN(n) }

// between returns a number in [lo, hi].
func (g *rng) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + g.r.IntN(hi-lo+1)
}

// chance is true with probability p.
func (g *rng) chance(p float64) bool { return g.r.Float64() < p }

// float returns a number in [0, 1).
func (g *rng) float() float64 { return g.r.Float64() }

// pick returns one element of xs.
func pick[T any](g *rng, xs []T) T { return xs[g.r.IntN(len(xs))] }

// weighted returns an index into ws, each drawn in proportion to its weight.
func (g *rng) weighted(ws []float64) int {
	total := 0.0
	for _, w := range ws {
		total += w
	}
	x := g.r.Float64() * total
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

// shuffle permutes xs in place.
func shuffle[T any](g *rng, xs []T) {
	g.r.Shuffle(len(xs), func(i, j int) { xs[i], xs[j] = xs[j], xs[i] })
}

// day returns the date of a day in [from, to] (both midnight UTC).
func (g *rng) day(from, to time.Time) time.Time {
	if !to.After(from) {
		return from
	}
	days := int(to.Sub(from).Hours() / 24)
	return from.AddDate(0, 0, g.r.IntN(days+1))
}

// during returns a timestamp on the given day, in office hours, so that
// created_at values read like real entries.
func (g *rng) during(day time.Time) time.Time {
	return day.Add(time.Duration(8*3600+g.r.IntN(10*3600)) * time.Second)
}

// clampDate keeps d inside the demo history.
func clampDate(d time.Time) time.Time {
	if d.Before(historyStart) {
		return historyStart
	}
	if d.After(historyEnd) {
		return historyEnd
	}
	return d
}

// dateText formats a membership date as the schema stores it.
func dateText(d time.Time) string { return d.Format("2006-01-02") }
