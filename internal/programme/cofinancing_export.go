package programme

// The co-financing arithmetic, one test at a time, for domains that judge
// a budget against a call's settings (a plan's budget lines) and need each
// test's outcome rather than the rule's first failure. Pure logic.

// Shares are a budget's parts by funding source and the shares the
// co-financing rule compares. Shares of an empty budget, or of a
// counterpart of zero, are zero.
type Shares struct {
	Total            int64   // grant and counterpart
	Counterpart      int64   // cash and in kind
	GrantShare       float64 // grant / total
	CounterpartShare float64 // counterpart / total
	InKindShare      float64 // in kind / counterpart
	CashShare        float64 // cash / counterpart
}

// SharesOf computes the shares of a budget in minor units.
func SharesOf(grant, cash, inKind int64) Shares {
	s := Shares{Counterpart: cash + inKind}
	s.Total = grant + s.Counterpart
	if s.Total > 0 {
		s.GrantShare = float64(grant) / float64(s.Total)
		s.CounterpartShare = float64(s.Counterpart) / float64(s.Total)
	}
	if s.Counterpart > 0 {
		s.InKindShare = float64(inKind) / float64(s.Counterpart)
		s.CashShare = float64(cash) / float64(s.Counterpart)
	}
	return s
}

// GrantShareOK reports whether the grant's share is at most the maximum,
// as the cofinancing rule judges it.
func (p Cofinancing) GrantShareOK(s Shares) bool { return s.GrantShare <= p.MaxGrantShare+within }

// CounterpartShareOK reports whether the counterpart's share is at least
// the minimum, as the cofinancing rule judges it.
func (p Cofinancing) CounterpartShareOK(s Shares) bool {
	return s.CounterpartShare+within >= p.MinCounterpartShare
}

// InKindOK reports whether the counterpart's mix of cash and in kind meets
// the in-kind rule (always, without a rule or without a counterpart).
func (p Cofinancing) InKindOK(s Shares) bool {
	if s.Counterpart == 0 {
		return true
	}
	switch p.InKindRule {
	case InKindMax:
		return s.InKindShare <= p.InKindShare+within
	case InKindCash:
		return s.CashShare+within >= p.InKindShare
	}
	return true
}

// OK reports whether a grant is within the ceiling.
func (g GrantCeiling) OK(grant int64) bool { return grant <= g.Amount }
