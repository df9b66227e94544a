package programme

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// checkNewMembersRefs checks the organisations a datasheet adds: their
// country exists, and they are not in the registry already (an applicant
// who does not find a firm should not register it twice).
func checkNewMembersRefs(ctx context.Context, q db.Querier, news []NewMember, f *problem.Fields) error {
	for i, m := range news {
		field := "new_members[" + itoa(i) + "]"
		if m.Name == "" || len(m.Country) != 3 || f.Has(field+".country") {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM countries WHERE iso3 = $1`, m.Country).Scan(&n); err != nil {
			return fmt.Errorf("country: %w", err)
		}
		if n == 0 {
			f.Add(field+".country", "New organisation %d: %q is not a country's ISO 3166-1 alpha-3 code.", i+1, m.Country)
			continue
		}
		var id int64
		err := q.QueryRowContext(ctx, `SELECT id FROM organisations WHERE name_norm = $1 AND country_iso3 = $2 AND archived_at IS NULL
			ORDER BY id LIMIT 1`, org.NormaliseName(m.Name), m.Country).Scan(&id)
		if err == nil {
			f.Add(field+".name", "New organisation %d: %s is already in the registry as #%d; list it among the registry members instead.", i+1, m.Name, id)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("registry name: %w", err)
		}
	}
	return nil
}

// registerNewMembers registers the datasheet's new organisations at
// submission, as the applicant, and makes them ordinary members; a refusal
// (an organisation registered by someone else since, a country the
// applicant may not register in) names the row and stops the submission.
func (s *Store) registerNewMembers(ctx context.Context, tx *sql.Tx, actor user.Actor, a *Application) error {
	if len(a.NewMembers) == 0 {
		return nil
	}
	orgs := org.NewStore(s.db)
	members := make([]MemberInput, 0, len(a.Members)+len(a.NewMembers))
	for _, m := range a.Members {
		members = append(members, MemberInput{OrganisationID: m.OrganisationID, Role: m.Role})
	}
	for i, m := range a.NewMembers {
		o, err := orgs.CreateOrganisationTx(ctx, tx, actor, org.Input{Kind: org.Kind(m.Kind), Name: m.Name, Country: m.Country})
		if err != nil {
			p := problem.As(err)
			if p == nil || p.Kind == problem.Internal {
				return err
			}
			return &problem.Error{Kind: p.Kind, Message: fmt.Sprintf("New organisation %d (%s) could not join the registry: %s", i+1, m.Name, p.Message),
				Details: []problem.Detail{{Field: "new_members[" + itoa(i) + "].name", Message: p.Message}}}
		}
		members = append(members, MemberInput{OrganisationID: o.ID, Role: m.Role})
	}
	return writeMembers(ctx, tx, a.ID, members, nil)
}
