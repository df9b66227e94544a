package campaign

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/user"
)

// maxQualityCampaigns is how many of the latest campaigns the per-BSO
// scores cover.
const maxQualityCampaigns = 500

// Qualities scores campaigns already read under the actor's scope: one
// query for the respondents and their current answers, one for the
// approved answers, and one reading of the indicator values per period
// among them (indicator.Store.QualityReceipts), each campaign's values then
// scored with indicator.ScoreTriples.
func (s *Store) Qualities(ctx context.Context, cs []*Campaign) (map[int64]*Quality, error) {
	facts := map[int64]*qualityFacts{}
	var ids []int64
	for _, c := range cs {
		facts[c.ID] = &qualityFacts{status: c.Status, deadline: endOfDay(c.Deadline), answered: map[int64]time.Time{}}
		if c.Status != StatusDraft {
			ids = append(ids, c.ID)
		}
	}
	if len(ids) > 0 {
		if err := s.qualityAnswers(ctx, ids, facts); err != nil {
			return nil, err
		}
		if err := s.qualityConsistency(ctx, cs, ids, facts); err != nil {
			return nil, err
		}
	}
	out := make(map[int64]*Quality, len(facts))
	for id, f := range facts {
		out[id] = f.score()
	}
	return out, nil
}

// CampaignQuality scores one campaign the actor runs.
func (s *Store) CampaignQuality(ctx context.Context, actor user.Actor, c *Campaign) (*Quality, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	qs, err := s.Qualities(ctx, []*Campaign{c})
	if err != nil {
		return nil, err
	}
	return qs[c.ID], nil
}

// QualityByBSO sums the scores of the latest campaigns the actor runs per
// BSO; known holds scores already computed, which are not computed again.
func (s *Store) QualityByBSO(ctx context.Context, actor user.Actor, known map[int64]*Quality) ([]BSOQuality, error) {
	cs, _, err := s.FindCampaigns(ctx, actor, Filter{Limit: maxQualityCampaigns})
	if err != nil {
		return nil, err
	}
	var scored []*Campaign
	for _, c := range cs {
		if known[c.ID] == nil {
			scored = append(scored, c)
		}
	}
	qs, err := s.Qualities(ctx, scored)
	if err != nil {
		return nil, err
	}
	for id, q := range known {
		qs[id] = q
	}
	var bsos []int64
	for _, c := range cs {
		if c.BSOID != nil {
			bsos = append(bsos, *c.BSOID)
		}
	}
	names := map[int64]string{}
	if len(bsos) > 0 {
		in, args := idList(uniqueIDs(bsos), 1)
		rows, err := s.db.Read().QueryContext(ctx, `SELECT id, name FROM organisations WHERE id IN (`+in+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("BSO names: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var name string
			if err := rows.Scan(&id, &name); err != nil {
				return nil, err
			}
			names[id] = name
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return qualityByBSO(cs, qs, names), nil
}

// qualityAnswers counts each campaign's respondents (invitations not
// revoked) and, for each with a current answer (not superseded, not
// rejected), when that answer first arrived: the earliest arrival of the
// first version of its current answers' chains.
func (s *Store) qualityAnswers(ctx context.Context, ids []int64, facts map[int64]*qualityFacts) error {
	in, args := idList(ids, 1)
	rows, err := s.db.Read().QueryContext(ctx, `SELECT i.campaign_id, i.id, s.id, s.received_at, o.received_at
		FROM campaign_invitations i
		LEFT JOIN submissions s ON s.invitation_id = i.id AND s.superseded = FALSE AND s.state <> 'rejected'
		LEFT JOIN submissions o ON o.id = s.original_id
		WHERE i.revoked_at IS NULL AND i.campaign_id IN (`+in+`)`, args...)
	if err != nil {
		return fmt.Errorf("campaign answers: %w", err)
	}
	defer rows.Close()
	invited := map[int64]bool{}
	for rows.Next() {
		var campaignID, invitationID int64
		var subID *int64
		var at, firstAt looseTime
		if err := rows.Scan(&campaignID, &invitationID, &subID, &at, &firstAt); err != nil {
			return fmt.Errorf("campaign answers: %w", err)
		}
		f := facts[campaignID]
		if !invited[invitationID] {
			invited[invitationID] = true
			f.invited++
		}
		if subID == nil {
			continue
		}
		arrived := at.Time
		if firstAt.Valid {
			arrived = firstAt.Time
		}
		if cur, ok := f.answered[invitationID]; !ok || arrived.Before(cur) {
			f.answered[invitationID] = arrived
		}
	}
	return rows.Err()
}

// qualityConsistency scores the values of the approved answers: each
// numeric answer mapped to an indicator is one expected triple (the
// indicator, the respondent organisation, the campaign's period), scored
// by indicator.ScoreTriples against the values received, read once per
// period.
func (s *Store) qualityConsistency(ctx context.Context, cs []*Campaign, ids []int64, facts map[int64]*qualityFacts) error {
	period := map[int64]string{}
	for _, c := range cs {
		period[c.ID] = c.Period
	}
	in, args := idList(ids, 1)
	rows, err := s.db.Read().QueryContext(ctx, `SELECT campaign_id, organisation_id, version_id, answers FROM submissions
		WHERE superseded = FALSE AND state = 'approved' AND campaign_id IN (`+in+`) ORDER BY id`, args...)
	if err != nil {
		return fmt.Errorf("approved answers: %w", err)
	}
	type approved struct {
		campaignID, org, version int64
		answers                  string
	}
	var subs []approved
	for rows.Next() {
		var a approved
		if err := rows.Scan(&a.campaignID, &a.org, &a.version, &a.answers); err != nil {
			rows.Close()
			return fmt.Errorf("approved answers: %w", err)
		}
		subs = append(subs, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	mappings := map[int64][]form.Mapping{}
	expected := map[int64][]indicator.Triple{}
	byPeriod := map[string][]indicator.Triple{}
	for _, a := range subs {
		ms, ok := mappings[a.version]
		if !ok {
			if ms, err = s.forms.FindMappings(ctx, user.System, a.version); err != nil {
				return err
			}
			mappings[a.version] = ms
		}
		answers := decodeAnswers([]byte(a.answers))
		for _, m := range ms {
			if _, ok := number(answers[m.Field]); !ok {
				continue
			}
			t := indicator.Triple{IndicatorID: m.IndicatorID, Subject: indicator.Subject{Kind: indicator.SubjectOrganisation, ID: a.org},
				Period: period[a.campaignID]}
			expected[a.campaignID] = append(expected[a.campaignID], t)
			byPeriod[t.Period] = append(byPeriod[t.Period], t)
		}
	}
	for p, ts := range byPeriod {
		got, err := s.indicators.QualityReceipts(ctx, ts, "")
		if err != nil {
			return err
		}
		for id, exp := range expected {
			if period[id] == p {
				facts[id].consistency = indicator.ScoreTriples(exp, got, indicator.DefaultGraceDays).Consistency
			}
		}
	}
	return nil
}

// idList writes placeholders for ids starting at $start.
func idList(ids []int64, start int) (string, []any) {
	ph := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		ph[i] = "$" + strconv.Itoa(start+i)
		args[i] = id
	}
	return strings.Join(ph, ","), args
}
