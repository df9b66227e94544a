package mapping

import (
	"context"
	"fmt"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// DeriveISICSet derives an ISIC Rev.4 set from the NAICS 2012 set fromID
// through the Census Bureau's concordance (see DeriveISIC for the rule) and
// stores it as name, recording where it came from. Deriving again under the
// same name replaces the earlier result, as an import would.
func (s *Store) DeriveISICSet(ctx context.Context, actor user.Actor, fromID int64, name string) (*SetInfo, *DeriveReport, error) {
	if !MayImport(actor) {
		return nil, nil, problem.Forbiddenf("Your role may not create cluster definition sets.")
	}
	from, err := s.FindDefinitionSet(ctx, fromID)
	if err != nil {
		return nil, nil, err
	}
	if from.Classification != classNAICS {
		return nil, nil, &problem.Error{Kind: problem.Invalid, Message: "Only a NAICS 2012 set can be converted to ISIC Rev.4.",
			Details: []problem.Detail{{Field: "from", Message: fmt.Sprintf("%q is already in ISIC Rev.4.", from.Name)}}}
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return nil, nil, (&problem.Fields{{Field: "name", Message: "Enter a name for the ISIC Rev.4 set."}}).Err()
	}
	src, err := s.LoadDefinitionSet(ctx, fromID)
	if err != nil {
		return nil, nil, err
	}
	links, err := s.concordance(ctx)
	if err != nil {
		return nil, nil, err
	}
	set, rep, err := DeriveISIC(src, links, name)
	if err != nil {
		return nil, nil, err
	}
	desc := fmt.Sprintf("Derived from %q through the U.S. Census Bureau's 2012 NAICS to ISIC Rev.4 concordance. %s", from.Name, DeriveRule)
	info, err := s.saveSet(ctx, actor, SetInput{Name: name, Classification: classISIC, Description: desc}, set, fromID)
	if err != nil {
		return nil, nil, err
	}
	return info, rep, nil
}

// concordance reads every NAICS 2012 to ISIC Rev.4 link.
func (s *Store) concordance(ctx context.Context) ([]ConcordanceLink, error) {
	rows, err := s.db.Read().QueryContext(ctx, `SELECT naics_code, isic_code, partial FROM naics_isic ORDER BY naics_code, isic_code`)
	if err != nil {
		return nil, fmt.Errorf("concordance: %w", err)
	}
	defer rows.Close()
	var out []ConcordanceLink
	for rows.Next() {
		var l ConcordanceLink
		if err := rows.Scan(&l.NAICS, &l.ISIC, &l.Partial); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}
