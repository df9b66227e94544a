package campaign

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Who a campaign invites. A campaign collects results for a period, so the
// members of its chosen clusters are those of the period, not of the day
// it is created: an organisation that was a member at any time during the
// period is invited, also when it has left since, and one that joined
// after the period ended is not. This is the rule the results dashboards
// count a firm's values for a cluster initiative by
// (indicator.ResultsAttribution.MemberDuring).

// span is the first and last day of a period, YYYY-MM-DD.
type span struct{ From, To string }

// periodSpan is the first and last day of a period key (2025, 2025-Q3,
// 2025-07).
func periodSpan(key string) (span, error) {
	p, err := indicator.ParsePeriod(key)
	if err != nil {
		return span{}, err
	}
	return span{From: p.Start(), To: p.End()}, nil
}

// memberDuring is the condition that membership m overlaps the period
// whose first and last days are the arguments $from and $to.
func memberDuring(m string, from, to int) string {
	return fmt.Sprintf(`%[1]s.joined_on <= $%[3]d AND (%[1]s.left_on IS NULL OR %[1]s.left_on >= $%[2]d)`, m, from, to)
}

// clusterMembersSQL selects, once each, the organisations (not archived)
// that were members of the clusters $first… during the period $from–$to,
// with the lowest-numbered of those clusters: organisation_id, cluster_id.
func clusterMembersSQL(from, to, first, n int) string {
	return `SELECT m.organisation_id AS organisation_id, MIN(m.cluster_id) AS cluster_id FROM memberships m JOIN organisations o ON o.id = m.organisation_id
		WHERE m.cluster_id IN (` + db.Placeholders(first, n) + `) AND ` + memberDuring("m", from, to) + `
		AND o.archived_at IS NULL GROUP BY m.organisation_id`
}

// insertClusterMembers invites the members of the chosen clusters during
// the period.
func insertClusterMembers(ctx context.Context, tx *sql.Tx, id int64, clusters []int64, p span, expires, now time.Time) error {
	if len(clusters) == 0 {
		return nil
	}
	args := []any{id, expires, now, p.From, p.To}
	for _, c := range clusters {
		args = append(args, c)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO campaign_invitations (campaign_id, organisation_id, cluster_id, expires_at, created_at)
		SELECT $1, x.organisation_id, x.cluster_id, $2, $3 FROM (`+clusterMembersSQL(4, 5, 6, len(clusters))+`) x
		WHERE 1 = 1 ON CONFLICT (campaign_id, organisation_id) DO NOTHING`, args...)
	if err != nil {
		return fmt.Errorf("invite cluster members: %w", err)
	}
	return nil
}

// Reach is how many organisations a campaign would invite: the members of
// the chosen clusters during the period and the organisations chosen by
// name, each once.
type Reach struct {
	Period string `json:"period"`
	// From and To are the period's first and last days.
	From string `json:"from"`
	To   string `json:"to"`
	// Respondents is the number of organisations invited.
	Respondents int `json:"respondents"`
	// Former are the invited members of the period that are no longer
	// members of any chosen cluster today.
	Former int `json:"former"`
	// Later are today's members of the chosen clusters that joined after
	// the period ended, and so are not invited (unless chosen by name).
	Later int `json:"later"`
}

// FindReach counts who a campaign with the input's period, clusters and
// organisations would invite, without creating it. Only those fields are
// checked.
func (s *Store) FindReach(ctx context.Context, actor user.Actor, in Input) (*Reach, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	var f problem.Fields
	p, err := periodSpan(in.Period)
	if err != nil {
		f.Add("period", "%s.", upperFirst(err.Error()))
	}
	in.ClusterIDs, in.OrganisationIDs = uniqueIDs(in.ClusterIDs), uniqueIDs(in.OrganisationIDs)
	if len(in.ClusterIDs) == 0 && len(in.OrganisationIDs) == 0 {
		f.Add("cluster_ids", "Choose at least one cluster or organisation to invite.")
	}
	q := s.db.Read()
	if err := checkIDs(ctx, q, actor, "clusters", "c", user.ClusterReadFilter, in.ClusterIDs, "cluster_ids", &f); err != nil {
		return nil, err
	}
	if err := checkIDs(ctx, q, actor, "organisations", "o", user.OrgReadFilter, in.OrganisationIDs, "organisation_ids", &f); err != nil {
		return nil, err
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	key, _ := indicator.ParsePeriod(in.Period)
	out := &Reach{Period: key.Key(), From: p.From, To: p.To}
	today := db.Now().Format(dateLayout)
	nc, no := len(in.ClusterIDs), len(in.OrganisationIDs)
	// $1 $2: the period; $3: today; then the clusters, then the organisations.
	args := []any{p.From, p.To, today}
	for _, c := range in.ClusterIDs {
		args = append(args, c)
	}
	for _, o := range in.OrganisationIDs {
		args = append(args, o)
	}
	if nc == 0 {
		// Only organisations chosen by name, each checked above.
		out.Respondents = no
		return out, nil
	}
	union := `SELECT organisation_id FROM (` + clusterMembersSQL(1, 2, 4, nc) + `) x`
	if no > 0 {
		union += ` UNION SELECT o.id AS organisation_id FROM organisations o WHERE o.id IN (` + db.Placeholders(4+nc, no) + `)`
	}
	// Former: invited, yet neither a member of a chosen cluster today nor
	// chosen by name.
	err = q.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN EXISTS (SELECT 1 FROM memberships c
		WHERE c.organisation_id = r.organisation_id AND c.cluster_id IN (`+db.Placeholders(4, nc)+`) AND c.joined_on <= $3
		AND (c.left_on IS NULL OR c.left_on > $3))`+orNamed("r.organisation_id", 4+nc, no)+` THEN 0 ELSE 1 END), 0)
		FROM (`+union+`) r`, args...).Scan(&out.Respondents, &out.Former)
	if err != nil {
		return nil, fmt.Errorf("count respondents: %w", err)
	}
	// Later: today's members that joined after the period, and were not
	// members of a chosen cluster during it.
	err = q.QueryRowContext(ctx, `SELECT COUNT(DISTINCT m.organisation_id) FROM memberships m JOIN organisations o ON o.id = m.organisation_id
		WHERE m.cluster_id IN (`+db.Placeholders(4, nc)+`) AND m.joined_on <= $3 AND (m.left_on IS NULL OR m.left_on > $3)
		AND o.archived_at IS NULL AND m.joined_on > $2 AND NOT EXISTS (SELECT 1 FROM memberships e WHERE e.organisation_id = m.organisation_id
		AND e.cluster_id IN (`+db.Placeholders(4, nc)+`) AND `+memberDuring("e", 1, 2)+`)`+
		notNamed("m.organisation_id", 4+nc, no), args...).Scan(&out.Later)
	if err != nil {
		return nil, fmt.Errorf("count later members: %w", err)
	}
	return out, nil
}

// notNamed is the condition that col is none of the n organisations from
// $first on ("" when none are named).
func notNamed(col string, first, n int) string {
	if n == 0 {
		return ""
	}
	return ` AND ` + col + ` NOT IN (` + db.Placeholders(first, n) + `)`
}

// orNamed adds to a condition that col is one of the n organisations from
// $first on ("" when none are named).
func orNamed(col string, first, n int) string {
	if n == 0 {
		return ""
	}
	return ` OR ` + col + ` IN (` + db.Placeholders(first, n) + `)`
}
