package mapping

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
)

// ConcordanceLink is one row of a NAICS 2012 to ISIC Rev.4 concordance: a
// NAICS code, an ISIC code (a 4-digit class, or a 3-digit group where the
// source links only at group level) and whether the link covers only part
// of the NAICS industry (the NAICS code links to several ISIC codes).
type ConcordanceLink struct {
	NAICS   string
	ISIC    string
	Partial bool
}

// DeriveReport says what a derivation could not carry over exactly.
type DeriveReport struct {
	From     string         `json:"from"`     // the NAICS set's name
	Classes  int            `json:"classes"`  // ISIC classes in the derived set
	Clusters int            `json:"clusters"` // clusters in the derived set
	Unlinked []UnlinkedCode `json:"unlinked"` // (a) NAICS codes without an ISIC class
	Split    []SplitClass   `json:"split"`    // (b) ISIC classes whose NAICS codes are in several clusters
	Empty    []ClusterInfo  `json:"empty"`    // (c) clusters left without any ISIC class
	Moved    int            `json:"moved"`    // links of split classes that lost to another cluster
	Rule     string         `json:"rule"`
}

// UnlinkedCode is a NAICS code of the set that reaches no ISIC class: the
// concordance has no link for it, or only links to ISIC groups.
type UnlinkedCode struct {
	Code    string   `json:"code"`
	Cluster string   `json:"cluster"`
	Groups  []string `json:"groups,omitempty"` // the ISIC groups it links to, if any
}

// SplitClass is an ISIC class whose linked NAICS codes belong to more than
// one cluster, with each cluster's share of them.
type SplitClass struct {
	Class   string         `json:"class"`
	Cluster string         `json:"cluster"` // the cluster it went to
	Shares  []ClusterShare `json:"shares"`  // most codes first
}

// ClusterShare is one cluster's part of a split ISIC class.
type ClusterShare struct {
	Cluster string  `json:"cluster"`
	Codes   int     `json:"codes"` // the class's linked NAICS codes in this cluster
	Whole   int     `json:"whole"` // of which link to this class alone (partial = n)
	Share   float64 `json:"share"` // Codes over all the class's linked codes in the set
}

// DeriveRule states the rule DeriveISIC applies, for pages and reports.
const DeriveRule = "Each ISIC Rev.4 class goes to the cluster to which most of its linked NAICS codes belong, counting only " +
	"codes in the NAICS set. Ties go to the cluster with more whole-industry links (NAICS codes that link to this class " +
	"alone), then to the lower cluster code. Sub-clusters carry over by the same rule within the chosen cluster. A " +
	"cluster keeps its code, name and type; clusters that receive no class are left out."

// DeriveISIC derives an ISIC Rev.4 definition set from a NAICS 2012 set
// through a concordance, by the rule in DeriveRule (links at ISIC group
// level are not classes and count for nothing). The report lists (a) the
// set's NAICS codes that reach no ISIC class, (b) the classes split between
// clusters with each cluster's share, and (c) the clusters that end up with
// no industry. It is pure: the caller loads the set and the links.
func DeriveISIC(src *DefinitionSet, links []ConcordanceLink, name string) (*DefinitionSet, *DeriveReport, error) {
	if src == nil || src.Classification != classNAICS {
		return nil, nil, errors.New("an ISIC set can only be derived from a NAICS 2012 set")
	}
	type origin struct {
		cluster int
		sub     string
	}
	codeAt := map[string]origin{}
	for ci, c := range src.Clusters {
		sub := map[string]string{}
		for _, sc := range c.Subclusters {
			for _, ind := range sc.Industries {
				sub[ind] = sc.Code
			}
		}
		for _, ind := range c.Industries {
			codeAt[ind] = origin{ci, sub[ind]}
		}
	}
	// votes[class][cluster] counts the class's linked codes per cluster;
	// subVotes[class][cluster/sub-cluster] the same per sub-cluster.
	votes := map[string]map[int]*deriveTally{}
	subVotes := map[string]map[string]*deriveTally{}
	groups := map[string][]string{}
	classed := map[string]bool{}
	for _, l := range links {
		o, ok := codeAt[l.NAICS]
		if !ok {
			continue
		}
		if len(l.ISIC) != 4 {
			groups[l.NAICS] = append(groups[l.NAICS], l.ISIC)
			continue
		}
		classed[l.NAICS] = true
		whole := 0
		if !l.Partial {
			whole = 1
		}
		if votes[l.ISIC] == nil {
			votes[l.ISIC], subVotes[l.ISIC] = map[int]*deriveTally{}, map[string]*deriveTally{}
		}
		t := votes[l.ISIC][o.cluster]
		if t == nil {
			t = &deriveTally{}
			votes[l.ISIC][o.cluster] = t
		}
		t.codes, t.whole = t.codes+1, t.whole+whole
		key := strconv.Itoa(o.cluster) + "/" + o.sub
		st := subVotes[l.ISIC][key]
		if st == nil {
			st = &deriveTally{}
			subVotes[l.ISIC][key] = st
		}
		st.codes, st.whole = st.codes+1, st.whole+whole
	}

	out := &DefinitionSet{Name: name, Classification: classISIC}
	rep := &DeriveReport{From: src.Name, Rule: DeriveRule}
	won := make([][]string, len(src.Clusters))            // classes per cluster
	subOf := make([]map[string]string, len(src.Clusters)) // class → sub-cluster code
	for class, byCluster := range votes {
		best := -1
		for ci, t := range byCluster {
			if best < 0 {
				best = ci
				continue
			}
			b := byCluster[best]
			switch {
			case t.codes != b.codes:
				if t.codes > b.codes {
					best = ci
				}
			case t.whole != b.whole:
				if t.whole > b.whole {
					best = ci
				}
			case codeCompare(src.Clusters[ci].Code, src.Clusters[best].Code) < 0:
				best = ci
			}
		}
		won[best] = append(won[best], class)
		if subOf[best] == nil {
			subOf[best] = map[string]string{}
		}
		subOf[best][class] = pickSubcluster(subVotes[class], strconv.Itoa(best)+"/")
		if len(byCluster) > 1 {
			split := SplitClass{Class: class, Cluster: src.Clusters[best].Code}
			total := 0
			for _, t := range byCluster {
				total += t.codes
			}
			for ci, t := range byCluster {
				split.Shares = append(split.Shares, ClusterShare{Cluster: src.Clusters[ci].Code, Codes: t.codes, Whole: t.whole,
					Share: float64(t.codes) / float64(total)})
				if ci != best {
					rep.Moved += t.codes
				}
			}
			slices.SortFunc(split.Shares, func(a, b ClusterShare) int {
				return cmp.Or(-cmp.Compare(a.Codes, b.Codes), -cmp.Compare(a.Whole, b.Whole), codeCompare(a.Cluster, b.Cluster))
			})
			rep.Split = append(rep.Split, split)
		}
	}
	for ci, c := range src.Clusters {
		for _, ind := range c.Industries {
			if !classed[ind] {
				g := slices.Clone(groups[ind])
				slices.Sort(g)
				rep.Unlinked = append(rep.Unlinked, UnlinkedCode{Code: ind, Cluster: c.Code, Groups: slices.Compact(g)})
			}
		}
		if len(won[ci]) == 0 {
			rep.Empty = append(rep.Empty, ClusterInfo{Code: c.Code, Name: c.Name, Type: c.Type, Industries: len(c.Industries)})
			continue
		}
		slices.Sort(won[ci])
		nc := Cluster{Code: c.Code, Name: c.Name, Type: c.Type, Industries: won[ci]}
		for _, class := range won[ci] {
			if code := subOf[ci][class]; code != "" {
				addToSubcluster(&nc, code, subclusterName(c, code), class)
			}
		}
		sortSubclusters(nc.Subclusters)
		out.Clusters = append(out.Clusters, nc)
		rep.Classes += len(won[ci])
	}
	sortClusters(out.Clusters)
	rep.Clusters = len(out.Clusters)
	slices.SortFunc(rep.Unlinked, func(a, b UnlinkedCode) int { return cmp.Compare(a.Code, b.Code) })
	slices.SortFunc(rep.Split, func(a, b SplitClass) int { return cmp.Compare(a.Class, b.Class) })
	slices.SortFunc(rep.Empty, func(a, b ClusterInfo) int { return codeCompare(a.Code, b.Code) })
	return out, rep, nil
}

// pickSubcluster chooses, among the sub-cluster tallies of one cluster
// (keys prefix+code, code "" for codes without a sub-cluster), the one with
// most codes, then most whole links, then the lower code with "none" last.
func pickSubcluster(tallies map[string]*deriveTally, prefix string) string {
	best, found := "", false
	var bc, bw int
	for key, t := range tallies {
		code, ok := strings.CutPrefix(key, prefix)
		if !ok {
			continue
		}
		c, w := t.codes, t.whole
		better := !found || c > bc || (c == bc && w > bw) ||
			(c == bc && w == bw && (best == "" || (code != "" && codeCompare(code, best) < 0)))
		if better {
			best, bc, bw, found = code, c, w, true
		}
	}
	return best
}

// deriveTally counts an ISIC class's linked NAICS codes in one cluster or
// sub-cluster, and those that link to the class alone (partial = n).
type deriveTally struct{ codes, whole int }

func subclusterName(c Cluster, code string) string {
	for _, sc := range c.Subclusters {
		if sc.Code == code {
			return sc.Name
		}
	}
	return ""
}

// codeCompare orders codes as people read them: numbers by value ("2"
// before "10"), numbers before other codes, other codes as text.
func codeCompare(a, b string) int {
	na, ea := strconv.ParseInt(a, 10, 64)
	nb, eb := strconv.ParseInt(b, 10, 64)
	switch {
	case ea == nil && eb == nil:
		return cmp.Or(cmp.Compare(na, nb), cmp.Compare(a, b))
	case ea == nil:
		return -1
	case eb == nil:
		return 1
	}
	return cmp.Compare(a, b)
}

// sortClusters sorts clusters by code, numbers in numeric order.
func sortClusters(cs []Cluster) {
	slices.SortFunc(cs, func(a, b Cluster) int { return codeCompare(a.Code, b.Code) })
}

// sortSubclusters sorts sub-clusters by code and their industries.
func sortSubclusters(ss []Subcluster) {
	for i := range ss {
		slices.Sort(ss[i].Industries)
	}
	slices.SortFunc(ss, func(a, b Subcluster) int { return codeCompare(a.Code, b.Code) })
}
