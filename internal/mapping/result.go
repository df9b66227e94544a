package mapping

// ClusterInfo describes one cluster of the computation.
type ClusterInfo struct {
	Code       string      `json:"code"`
	Name       string      `json:"name"`
	Type       ClusterType `json:"type"`
	Industries int         `json:"industries"`
}

// LQ is a location quotient with its confidence interval, whether the
// interval excludes 1, and how suppressed cells bound it.
type LQ struct {
	Value        Value        `json:"value"`
	Low          Value        `json:"low"`
	High         Value        `json:"high"`
	Significance Significance `json:"significance"`
	Bound        Bound        `json:"bound"`
}

// Status says whether a rule classified an area × cluster, and if not, why.
type Status uint8

// The classification statuses.
const (
	Classified       Status = iota // the rule was applied
	NotApplicable                  // the rule covers traded clusters only
	Unreliable                     // below the minimum-cell rule: not ranked
	OutsideReference               // the area is not one of the reference's peers
	NoData                         // a figure the rule needs is not defined
)

// String names the status.
func (s Status) String() string {
	return [...]string{"classified", "not-applicable", "unreliable", "outside-reference", "no-data"}[s]
}

// MarshalText writes the status's name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Strength is the outcome of the U.S. Cluster Mapping strong-cluster rule.
type Strength struct {
	Status      Status `json:"status"`
	Qualifying  bool   `json:"qualifying"`
	Significant bool   `json:"significant"`
	Strong      bool   `json:"strong"`
	Strong10    bool   `json:"strong10"`
}

// Level is the highest category reached: "strong-10", "strong",
// "significant", "qualifying" or "".
func (s Strength) Level() string {
	switch {
	case s.Strong10:
		return "strong-10"
	case s.Strong:
		return "strong"
	case s.Significant:
		return "significant"
	case s.Qualifying:
		return "qualifying"
	}
	return ""
}

// Stars is the outcome of the European Cluster Observatory star rating.
type Stars struct {
	Status         Status `json:"status"`
	Size           bool   `json:"size"`
	Specialisation bool   `json:"specialisation"`
	Focus          bool   `json:"focus"`
}

// Count is the number of stars, 0 to 3.
func (s Stars) Count() int {
	n := 0
	for _, b := range [...]bool{s.Size, s.Specialisation, s.Focus} {
		if b {
			n++
		}
	}
	return n
}

// Metric holds every figure of one area × cluster × year.
type Metric struct {
	Year    int         `json:"year"`
	Area    string      `json:"area"`
	Cluster string      `json:"cluster"`
	Type    ClusterType `json:"type"`
	// Employment is the sum over the cluster's cells that have a value; when
	// cells are suppressed it is a lower bound (see Suppressed).
	Employment     int64 `json:"employment"`
	Establishments Value `json:"establishments"`
	Wages          Value `json:"wages"`
	AverageWage    Value `json:"average_wage"`
	AverageSize    Value `json:"average_establishment_size"`
	// ShareOfReference is the area's share of the reference's employment in
	// the cluster.
	ShareOfReference Value `json:"share_of_reference"`
	// ShareOfArea is the cluster's share of the area's employment.
	ShareOfArea Value `json:"share_of_area"`
	// LQ is the textbook location quotient (denominator: all employment).
	LQ LQ `json:"lq"`
	// LQClusterMapping divides by traded or local employment, by the
	// cluster's type, as the U.S. Cluster Mapping Project does.
	LQClusterMapping LQ `json:"lq_cluster_mapping"`
	// Cells counts the cluster's cells present for the area and year, and
	// Suppressed those of them withheld.
	Cells      int32 `json:"cells"`
	Suppressed int32 `json:"suppressed"`
	// Reliable is false when the value falls below the minimum-cell rule.
	Reliable    bool     `json:"reliable"`
	InReference bool     `json:"in_reference"`
	Strength    Strength `json:"strength"`
	Stars       Stars    `json:"stars"`
}

// Incomplete reports whether some of the cluster's cells are suppressed.
func (m *Metric) Incomplete() bool { return m.Suppressed > 0 }

// Totals is employment split by the type of cluster each industry belongs
// to; industries in no cluster count in All only. Suppressed cells are
// counted, never added as zero.
type Totals struct {
	All              int64 `json:"employment"`
	Traded           int64 `json:"traded"`
	Local            int64 `json:"local"`
	Cells            int32 `json:"cells"`
	Suppressed       int32 `json:"suppressed"`
	SuppressedTraded int32 `json:"suppressed_traded"`
	SuppressedLocal  int32 `json:"suppressed_local"`
}

// AreaYear is an area's totals in one year.
type AreaYear struct {
	Year        int    `json:"year"`
	Area        string `json:"area"`
	InReference bool   `json:"in_reference"`
	Totals
}

// ReferenceYear is the reference's totals in one year, over its areas with
// data in that year.
type ReferenceYear struct {
	Year  int `json:"year"`
	Areas int `json:"areas"`
	Totals
}

// Thresholds are the cut-offs the rules found for one cluster and year, so
// that a classification can be explained.
type Thresholds struct {
	Year    int    `json:"year"`
	Cluster string `json:"cluster"`
	// StrengthPeers is the number of areas in the strong-cluster
	// distribution; the quantiles follow.
	StrengthPeers  int   `json:"strength_peers"`
	LQQualifying   Value `json:"lq_qualifying"`
	LQSignificant  Value `json:"lq_significant"`
	LQStrong       Value `json:"lq_strong"`
	LQStrong10     Value `json:"lq_strong10"`
	Employment     Value `json:"employment"`
	Establishments Value `json:"establishments"`
	// StarPeers is the number of areas ranked for the size and focus stars.
	StarPeers int   `json:"star_peers"`
	Size      Value `json:"size"`
	Focus     Value `json:"focus"`
}

// ReferenceInfo is the reference as resolved against the dataset.
type ReferenceInfo struct {
	Key  string `json:"key"`
	Name string `json:"name"`
	// Areas are the reference's areas found in the dataset; Missing those
	// listed but absent from it.
	Areas   []string `json:"areas"`
	Missing []string `json:"missing,omitempty"`
}

// Result is the outcome of Compute. Every slice is sorted: metrics by year,
// area and cluster; areas by year and area; thresholds by year and cluster;
// growth by area and cluster.
type Result struct {
	Reference  ReferenceInfo   `json:"reference"`
	Years      []int           `json:"years"`
	Clusters   []ClusterInfo   `json:"clusters"`
	Metrics    []Metric        `json:"metrics"`
	Areas      []AreaYear      `json:"areas"`
	References []ReferenceYear `json:"references"`
	Thresholds []Thresholds    `json:"thresholds"`
	Growth     []Growth        `json:"growth,omitempty"`
	Options    Options         `json:"options"`
}
