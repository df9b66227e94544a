package mapping

import (
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
)

// ClusterType says whether a cluster's industries sell to other regions and
// nations (traded) or mainly serve the local market (local).
type ClusterType uint8

// The cluster types. The zero value is not a valid type.
const (
	Traded ClusterType = iota + 1
	Local
)

// String returns "traded" or "local" (the spelling used in files and the API).
func (t ClusterType) String() string {
	switch t {
	case Traded:
		return "traded"
	case Local:
		return "local"
	}
	return ""
}

// MarshalText writes the type's name.
func (t ClusterType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// ParseClusterType reads "traded" or "local", ignoring case and surrounding
// spaces.
func ParseClusterType(s string) (ClusterType, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "traded":
		return Traded, nil
	case "local":
		return Local, nil
	}
	return 0, fmt.Errorf("cluster type %q is neither traded nor local", s)
}

// Subcluster is a named group of some of a cluster's industries.
type Subcluster struct {
	Code       string   `json:"code"`
	Name       string   `json:"name"`
	Industries []string `json:"industries"`
}

// Cluster is one cluster of a definition set: the industry codes it groups.
type Cluster struct {
	Code        string       `json:"code"`
	Name        string       `json:"name"`
	Type        ClusterType  `json:"type"`
	Industries  []string     `json:"industries"`
	Subclusters []Subcluster `json:"subclusters,omitempty"`
}

// DefinitionSet maps industry codes of one classification to clusters.
type DefinitionSet struct {
	Name           string    `json:"name"`
	Classification string    `json:"classification"`
	Clusters       []Cluster `json:"clusters"`
}

// label names a cluster in messages the way people recognise it.
func (c *Cluster) label() string {
	if c.Name == "" {
		return fmt.Sprintf("%q", c.Code)
	}
	return fmt.Sprintf("%q (%s)", c.Code, c.Name)
}

// Validate checks the set: every cluster has a code, a name, a type and
// industries, and no industry code belongs to two clusters of the set, since
// a cluster's employment would otherwise be counted twice in the totals. The
// error is an Invalid problem whose details name each offending field.
func (s *DefinitionSet) Validate() error {
	var f problem.Fields
	if strings.TrimSpace(s.Classification) == "" {
		f.Add("classification", "Choose the classification of the industry codes.")
	}
	if len(s.Clusters) == 0 {
		f.Add("clusters", "A definition set needs at least one cluster.")
	}
	clusterAt := make(map[string]int, len(s.Clusters))
	industryAt := make(map[string]int)
	for ci := range s.Clusters {
		c := &s.Clusters[ci]
		at := fmt.Sprintf("clusters[%d]", ci)
		if strings.TrimSpace(c.Code) == "" {
			f.Add(at+".code", "Enter the cluster code.")
		} else if prev, dup := clusterAt[c.Code]; dup {
			f.Add(at+".code", "Cluster code %q is used twice (clusters %d and %d).", c.Code, prev+1, ci+1)
		} else {
			clusterAt[c.Code] = ci
		}
		if strings.TrimSpace(c.Name) == "" {
			f.Add(at+".name", "Enter the name of cluster %q.", c.Code)
		}
		if c.Type != Traded && c.Type != Local {
			f.Add(at+".type", "Cluster %s must be traded or local.", c.label())
		}
		if len(c.Industries) == 0 {
			f.Add(at+".industries", "Cluster %s has no industry codes.", c.label())
		}
		for ii, code := range c.Industries {
			iat := fmt.Sprintf("%s.industries[%d]", at, ii)
			if strings.TrimSpace(code) == "" {
				f.Add(iat, "Cluster %s has an empty industry code.", c.label())
				continue
			}
			prev, dup := industryAt[code]
			switch {
			case !dup:
				industryAt[code] = ci
			case prev == ci:
				f.Add(iat, "Industry %q is listed twice in cluster %s.", code, c.label())
			default:
				f.Add(iat, "Industry %q is in cluster %s and in cluster %s; a code may belong to only one cluster of a set.",
					code, s.Clusters[prev].label(), c.label())
			}
		}
		checkSubclusters(&f, at, c)
	}
	return f.Err()
}

// checkSubclusters checks that sub-clusters split some of their cluster's
// industries without overlap.
func checkSubclusters(f *problem.Fields, at string, c *Cluster) {
	own := make(map[string]bool, len(c.Industries))
	for _, code := range c.Industries {
		own[code] = true
	}
	codes := make(map[string]bool, len(c.Subclusters))
	taken := make(map[string]string)
	for si, sc := range c.Subclusters {
		sat := fmt.Sprintf("%s.subclusters[%d]", at, si)
		switch {
		case strings.TrimSpace(sc.Code) == "":
			f.Add(sat+".code", "Enter the sub-cluster code in cluster %s.", c.label())
		case codes[sc.Code]:
			f.Add(sat+".code", "Sub-cluster code %q is used twice in cluster %s.", sc.Code, c.label())
		default:
			codes[sc.Code] = true
		}
		if strings.TrimSpace(sc.Name) == "" {
			f.Add(sat+".name", "Enter the name of sub-cluster %q.", sc.Code)
		}
		if len(sc.Industries) == 0 {
			f.Add(sat+".industries", "Sub-cluster %q has no industry codes.", sc.Code)
		}
		for ii, code := range sc.Industries {
			iat := fmt.Sprintf("%s.industries[%d]", sat, ii)
			if !own[code] {
				f.Add(iat, "Industry %q of sub-cluster %q is not an industry of cluster %s.", code, sc.Code, c.label())
				continue
			}
			if prev, dup := taken[code]; dup {
				f.Add(iat, "Industry %q is in sub-clusters %q and %q of cluster %s.", code, prev, sc.Code, c.label())
				continue
			}
			taken[code] = sc.Code
		}
	}
}
