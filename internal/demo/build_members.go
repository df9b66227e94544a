package demo

import (
	"slices"
	"time"
)

// The chances that shape membership histories.
const (
	researchChance   = 0.4  // a research or education institution takes part
	governmentChance = 0.3  // a ministry takes part
	foundingShare    = 0.35 // members who join in the first weeks
	overlapChance    = 0.12 // a member that already belongs to another initiative
	leaveChance      = 0.11 // an open initiative's member leaves at some point
)

// memberships gives every initiative its members: the lead BSO, sometimes a
// research institution and a ministry, and firms from its countries and
// industries, joining and leaving over the years.
func (g *gen) memberships() {
	r := newRNG(g.scale, streamMembers)
	pools := g.firmPools()
	for _, k := range g.clusters {
		start := clampDate(k.start)
		end := historyEnd
		if !k.closed.IsZero() {
			end = k.closed
		}
		g.addMember(r, k, k.lead, "bso", start.AddDate(0, 0, r.between(0, 20)), end)
		slots := k.target - 1
		if o := pickInstitution(r, k, researchChance, func(c *country) []*org { return c.research }); o != nil {
			g.addMember(r, k, o, "research", r.day(start, minDate(start.AddDate(1, 0, 0), end)), end)
			slots--
		}
		if o := pickInstitution(r, k, governmentChance, func(c *country) []*org { return c.gov }); o != nil {
			g.addMember(r, k, o, "government", r.day(start, minDate(start.AddDate(0, 6, 0), end)), end)
			slots--
		}
		firms := chooseFirms(r, k, pools, slots)
		// The biggest firm leads (the earliest chosen among equals).
		lead := 0
		for i, f := range firms {
			if bandRank(f.size) > bandRank(firms[lead].size) {
				lead = i
			}
		}
		for i, f := range firms {
			role, joined := "member", r.day(start, end.AddDate(0, 0, -30))
			if i == lead || r.chance(foundingShare) {
				joined = start.AddDate(0, 0, r.between(0, 45))
			}
			if i == lead {
				role = "lead_firm"
			}
			g.addMember(r, k, f, role, joined, end)
		}
	}
}

// addMember records a membership; in a closed initiative everyone leaves at
// the close, in an open one a few members leave on their own.
func (g *gen) addMember(r *rng, k *cluster, o *org, role string, joined, end time.Time) {
	joined = clampDate(minDate(joined, end))
	m := &membership{id: int64(len(g.members) + 1), cluster: k, org: o, role: role, joined: joined}
	if !k.closed.IsZero() {
		m.left = k.closed
	} else if role != "bso" && r.chance(leaveChance) {
		if from := joined.AddDate(0, 3, 0); from.Before(historyEnd) {
			m.left = r.day(from, historyEnd)
		}
	}
	o.memberships++
	if o.firstJoined.IsZero() || joined.Before(o.firstJoined) {
		o.firstJoined = joined
	}
	g.members = append(g.members, m)
}

// pickInstitution sometimes returns an institution of the initiative's
// countries whose work covers its sector.
func pickInstitution(r *rng, k *cluster, chance float64, list func(*country) []*org) *org {
	if !r.chance(chance) {
		return nil
	}
	var cands []*org
	var ws []float64
	for _, c := range k.countries {
		for _, o := range list(c) {
			if slices.Contains(cands, o) {
				continue
			}
			cands = append(cands, o)
			w := 0.3
			if slices.Contains(o.sectors, k.theme.sector) {
				w = 3
			}
			ws = append(ws, w)
		}
	}
	if len(cands) == 0 {
		return nil
	}
	return cands[r.weighted(ws)]
}

// firmPools indexes firms by country and industry, and by country alone, in
// creation order.
func (g *gen) firmPools() map[string][]*org {
	p := map[string][]*org{}
	for _, c := range g.countries {
		for _, f := range c.firms {
			p[c.iso3+"/"+f.isic] = append(p[c.iso3+"/"+f.isic], f)
			p[c.iso3+"/"+f.sector] = append(p[c.iso3+"/"+f.sector], f)
			p[c.iso3] = append(p[c.iso3], f)
		}
	}
	return p
}

// chooseFirms picks n firms for an initiative: firms of its industries in
// its countries first, then of its sector, then any firm there. Firms not
// yet in an initiative are preferred, with a few overlaps on purpose.
func chooseFirms(r *rng, k *cluster, pools map[string][]*org, n int) []*org {
	var out []*org
	taken := map[int64]bool{}
	var keys [][]string
	var byIndustry, bySector, any []string
	for _, c := range k.countries {
		for _, code := range k.theme.isic {
			byIndustry = append(byIndustry, c.iso3+"/"+code)
		}
		bySector = append(bySector, c.iso3+"/"+k.theme.sector)
		any = append(any, c.iso3)
	}
	keys = append(keys, byIndustry, bySector, any)
	for _, level := range keys {
		if len(out) >= n {
			break
		}
		var fresh, used []*org
		for _, key := range level {
			for _, f := range pools[key] {
				if taken[f.id] {
					continue
				}
				taken[f.id] = true
				if f.memberships == 0 {
					fresh = append(fresh, f)
				} else {
					used = append(used, f)
				}
			}
		}
		shuffle(r, fresh)
		shuffle(r, used)
		for len(out) < n && (len(fresh) > 0 || len(used) > 0) {
			if len(used) > 0 && (len(fresh) == 0 || r.chance(overlapChance)) {
				out, used = append(out, used[0]), used[1:]
			} else {
				out, fresh = append(out, fresh[0]), fresh[1:]
			}
		}
	}
	return out
}

func bandRank(b string) int {
	return map[string]int{"micro": 0, "small": 1, "medium": 2, "large": 3}[b]
}

func minDate(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
