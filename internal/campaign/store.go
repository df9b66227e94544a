package campaign

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/mail"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// Audit record types.
const (
	RecordCampaign   = "campaign"
	RecordInvitation = "campaign_invitation"
	RecordSubmission = "submission"
)

// Options are what the store needs beyond the database.
type Options struct {
	// BaseURL is the public address links are made from.
	BaseURL string
	// Mailer sends invitations and reminders; nil sends nothing.
	Mailer mail.Sender
	// Jobs queues the invitation and reminder emails; nil queues nothing
	// (the emails are then sent by calling SendInvitations and SendReminders).
	Jobs *job.Runner
}

// Store keeps campaigns, invitations and submissions.
type Store struct {
	db         *db.DB
	forms      *form.Store
	indicators *indicator.Store
	opts       Options
}

// NewStore returns a store on d.
func NewStore(d *db.DB, o Options) *Store {
	ind := indicator.NewStore(d)
	return &Store{db: d, forms: form.NewStore(d, ind), indicators: ind, opts: o}
}

// Link is the full address of an invitation link.
func (s *Store) Link(token string) string {
	return strings.TrimRight(s.opts.BaseURL, "/") + LinkPath(token)
}

const campaignSelect = `SELECT c.id, c.campaign_key, c.title, c.form_id, f.form_key, c.version_id, v.version, c.period,
	c.opens_on, c.closes_on, c.deadline, c.status, c.bso_id, c.prefill_from, c.reminder_days, c.actor, c.created_at, c.updated_at,
	(SELECT COUNT(*) FROM campaign_invitations i WHERE i.campaign_id = c.id),
	(SELECT COUNT(*) FROM campaign_invitations i WHERE i.campaign_id = c.id
		AND EXISTS (SELECT 1 FROM submissions s WHERE s.invitation_id = i.id)),
	(SELECT COUNT(*) FROM submissions s WHERE s.campaign_id = c.id AND s.superseded = FALSE)
	FROM campaigns c JOIN forms f ON f.id = c.form_id JOIN form_versions v ON v.id = c.version_id `

// campaignSelectBare reads the same columns without the counts (zero),
// for the paths every submission takes: counting a campaign's respondents
// and submissions costs time in proportion to its size.
var campaignSelectBare = campaignSelect[:strings.Index(campaignSelect, "(SELECT COUNT(*)")] + `0, 0, 0
	FROM campaigns c JOIN forms f ON f.id = c.form_id JOIN form_versions v ON v.id = c.version_id `

type scanner interface{ Scan(dest ...any) error }

func (s *Store) scanCampaign(row scanner) (*Campaign, error) {
	var c Campaign
	var bso, prefill sql.NullInt64
	var days string
	err := row.Scan(&c.ID, &c.Key, &c.Title, &c.FormID, &c.FormKey, &c.VersionID, &c.Version, &c.Period, &c.OpensOn, &c.ClosesOn,
		&c.Deadline, &c.Status, &bso, &prefill, &days, &c.Actor, &c.CreatedAt, &c.UpdatedAt, &c.Respondents, &c.Answered, &c.Submissions)
	if err != nil {
		return nil, err
	}
	if bso.Valid {
		c.BSOID = &bso.Int64
	}
	if prefill.Valid {
		c.PrefillFrom = &prefill.Int64
	}
	c.ReminderDays, _ = ParseDays(days)
	c.OpenRosaURL = strings.TrimRight(s.opts.BaseURL, "/") + "/openrosa/" + c.Key
	c.ClusterIDs = []int64{}
	return &c, nil
}

// Filter narrows the campaign list.
type Filter struct {
	Status Status
	Limit  int // 0 means 50, at most 500
	Offset int
}

// FindCampaigns lists the campaigns the actor runs, newest first, with
// the total before paging.
func (s *Store) FindCampaigns(ctx context.Context, actor user.Actor, f Filter) ([]*Campaign, int, error) {
	if err := mayRun(actor); err != nil {
		return nil, 0, err
	}
	cond, args := campaignScope(actor, "c", 1)
	if f.Status != "" {
		args = append(args, string(f.Status))
		cond += fmt.Sprintf(" AND c.status = $%d", len(args))
	}
	var total int
	if err := s.db.Read().QueryRowContext(ctx, `SELECT COUNT(*) FROM campaigns c WHERE `+cond, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count campaigns: %w", err)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	rows, err := s.db.Read().QueryContext(ctx, campaignSelect+`WHERE `+cond+
		fmt.Sprintf(` ORDER BY c.created_at DESC, c.id DESC LIMIT %d OFFSET %d`, limit, max(f.Offset, 0)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("find campaigns: %w", err)
	}
	defer rows.Close()
	out := []*Campaign{}
	for rows.Next() {
		c, err := s.scanCampaign(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("find campaigns: %w", err)
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// FindCampaign returns one campaign the actor runs.
func (s *Store) FindCampaign(ctx context.Context, actor user.Actor, id int64) (*Campaign, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	return s.loadCampaign(ctx, s.db.Read(), actor, id)
}

func (s *Store) loadCampaign(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Campaign, error) {
	return s.loadCampaignFrom(ctx, q, actor, id, campaignSelect)
}

// loadCampaignBare loads a campaign without its counts (Respondents,
// Answered and Submissions are zero).
func (s *Store) loadCampaignBare(ctx context.Context, q db.Querier, actor user.Actor, id int64) (*Campaign, error) {
	return s.loadCampaignFrom(ctx, q, actor, id, campaignSelectBare)
}

func (s *Store) loadCampaignFrom(ctx context.Context, q db.Querier, actor user.Actor, id int64, sel string) (*Campaign, error) {
	cond, args := campaignScope(actor, "c", 2)
	c, err := s.scanCampaign(q.QueryRowContext(ctx, sel+`WHERE c.id = $1 AND `+cond, append([]any{id}, args...)...))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, problem.NotFoundf("No campaign #%d that you may see.", id)
	}
	if err != nil {
		return nil, fmt.Errorf("campaign %d: %w", id, err)
	}
	rows, err := q.QueryContext(ctx, `SELECT cluster_id FROM campaign_clusters WHERE campaign_id = $1 ORDER BY cluster_id`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign clusters: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var cid int64
		if err := rows.Scan(&cid); err != nil {
			return nil, err
		}
		c.ClusterIDs = append(c.ClusterIDs, cid)
	}
	return c, rows.Err()
}

// CreateCampaign creates a draft campaign and its invitations: one per
// organisation that was a member of a chosen cluster at any time during
// the campaign's period (also if it has left since) and per chosen
// organisation, each organisation once.
func (s *Store) CreateCampaign(ctx context.Context, actor user.Actor, in Input) (*Campaign, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	f := in.check()
	if actor.Role == user.BSOStaff {
		in.BSOID = actor.Scope.IntID()
	}
	var c *Campaign
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		var formID int64
		var published bool
		if in.VersionID > 0 {
			err := tx.QueryRowContext(ctx, `SELECT form_id, published FROM form_versions WHERE id = $1`, in.VersionID).Scan(&formID, &published)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				f.Add("version_id", "There is no form version #%d.", in.VersionID)
			case err != nil:
				return fmt.Errorf("form version: %w", err)
			case !published:
				f.Add("version_id", "Publish the form version before sending it to respondents.")
			}
		}
		if in.PrefillFrom != 0 && formID != 0 {
			prev, err := s.loadCampaign(ctx, tx, actor, in.PrefillFrom)
			switch {
			case problem.Is(err, problem.NotFound):
				f.Add("prefill_from", "There is no campaign #%d that you may see.", in.PrefillFrom)
			case err != nil:
				return err
			case prev.FormID != formID:
				f.Add("prefill_from", "Answers can only be carried over from a campaign of the same form.")
			}
		}
		if err := checkIDs(ctx, tx, actor, "clusters", "c", user.ClusterReadFilter, in.ClusterIDs, "cluster_ids", &f); err != nil {
			return err
		}
		if err := checkIDs(ctx, tx, actor, "organisations", "o", user.OrgReadFilter, in.OrganisationIDs, "organisation_ids", &f); err != nil {
			return err
		}
		if err := f.Err(); err != nil {
			return err
		}
		now := db.Now()
		var bso, prefill, uid any
		if in.BSOID > 0 {
			bso = in.BSOID
		}
		if in.PrefillFrom > 0 {
			prefill = in.PrefillFrom
		}
		if actor.UserID != 0 {
			uid = actor.UserID
		}
		var id int64
		err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (campaign_key, title, form_id, version_id, period, opens_on, closes_on,
			deadline, status, bso_id, prefill_from, reminder_days, created_by, actor, created_at, updated_at)
			VALUES ($1,$2,$3,$4,$5,$6,$7,$8,'draft',$9,$10,$11,$12,$13,$14,$14) RETURNING id`,
			newKey(), in.Title, formID, in.VersionID, in.Period, in.OpensOn, in.ClosesOn, in.Deadline, bso, prefill,
			daysText(in.ReminderDays), uid, actor.Label(), now).Scan(&id)
		if err != nil {
			return fmt.Errorf("insert campaign: %w", err)
		}
		n, err := insertRespondents(ctx, tx, id, in, endOfDay(in.ClosesOn), now)
		if err != nil {
			return err
		}
		if n == 0 {
			return problem.Fields{{Field: "cluster_ids", Message: fmt.Sprintf("The chosen clusters had no members during %s: choose other clusters or add organisations.", in.Period)}}.Err()
		}
		if c, err = s.loadCampaign(ctx, tx, user.System, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "create", RecordCampaign, id, nil, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// checkIDs reports the IDs of table rows (alias a) that do not exist or
// that the actor may not see under the scope rule.
func checkIDs(ctx context.Context, q db.Querier, actor user.Actor, table, a string, rule func(user.Actor, string, int) (string, []any),
	ids []int64, field string, f *problem.Fields) error {
	for _, id := range ids {
		cond, args := rule(actor, a, 2)
		var n int
		err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table+` `+a+` WHERE `+a+`.id = $1 AND `+a+`.archived_at IS NULL AND `+cond,
			append([]any{id}, args...)...).Scan(&n)
		if err != nil {
			return fmt.Errorf("check %s: %w", table, err)
		}
		if n == 0 {
			f.Add(field, "There is no %s #%d that you may invite.", strings.TrimSuffix(table, "s"), id)
		}
	}
	return nil
}

// insertRespondents invites the members of the chosen clusters during the
// campaign's period (respondents.go) and the chosen organisations; an
// organisation is invited once, through the lowest-numbered chosen cluster
// it belonged to during the period.
func insertRespondents(ctx context.Context, tx *sql.Tx, id int64, in Input, expires, now time.Time) (int, error) {
	p, err := periodSpan(in.Period)
	if err != nil {
		return 0, problem.Fields{{Field: "period", Message: upperFirst(err.Error()) + "."}}.Err()
	}
	for _, cid := range in.ClusterIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO campaign_clusters (campaign_id, cluster_id) VALUES ($1, $2)`, id, cid); err != nil {
			return 0, fmt.Errorf("campaign cluster: %w", err)
		}
	}
	if err := insertClusterMembers(ctx, tx, id, in.ClusterIDs, p, expires, now); err != nil {
		return 0, err
	}
	for _, oid := range in.OrganisationIDs {
		_, err := tx.ExecContext(ctx, `INSERT INTO campaign_invitations (campaign_id, organisation_id, expires_at, created_at)
			VALUES ($1, $2, $3, $4) ON CONFLICT (campaign_id, organisation_id) DO NOTHING`, id, oid, expires, now)
		if err != nil {
			return 0, fmt.Errorf("invite organisation: %w", err)
		}
	}
	var n int
	err = tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_invitations WHERE campaign_id = $1`, id).Scan(&n)
	return n, err
}

// Opened is what opening a campaign did: the links made for respondents
// without email, to pass on by hand (shown once), and the number of
// invitations queued for email.
type Opened struct {
	Campaign *Campaign
	Links    []*IssuedLink
	Emailed  int
}

// OpenCampaign opens a draft campaign: links are made for respondents
// without email (returned, to copy), and the invitation emails and the
// reminders are queued.
func (s *Store) OpenCampaign(ctx context.Context, actor user.Actor, id int64) (*Opened, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	out := &Opened{}
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.loadCampaign(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if before.Status != StatusDraft {
			return problem.Conflictf("The campaign is %s; only a draft campaign opens.", before.Status)
		}
		now := db.Now()
		if !now.Before(before.Closes()) {
			return problem.Conflictf("The campaign closed on %s; change nothing and create a new campaign instead.", before.ClosesOn)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = 'open', opened_at = $1, updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return fmt.Errorf("open campaign: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT i.id FROM campaign_invitations i JOIN organisations o ON o.id = i.organisation_id
			WHERE i.campaign_id = $1 AND i.revoked_at IS NULL AND o.email = '' ORDER BY o.name_norm, i.id`, id)
		if err != nil {
			return fmt.Errorf("invitations without email: %w", err)
		}
		var ids []int64
		for rows.Next() {
			var iid int64
			if err := rows.Scan(&iid); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, iid)
		}
		rows.Close()
		for _, iid := range ids {
			l, err := s.issue(ctx, tx, iid, purposeCopy, false)
			if err != nil {
				return err
			}
			out.Links = append(out.Links, l)
		}
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM campaign_invitations i JOIN organisations o ON o.id = i.organisation_id
			WHERE i.campaign_id = $1 AND i.revoked_at IS NULL AND o.email <> ''`, id).Scan(&out.Emailed); err != nil {
			return err
		}
		if err := s.queueMail(ctx, tx, actor, before, now); err != nil {
			return err
		}
		if out.Campaign, err = s.loadCampaign(ctx, tx, actor, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "open", RecordCampaign, id, before, out.Campaign)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// reminderHour is the hour of day (UTC) reminders go out.
const reminderHour = 9

// queueMail queues the invitation emails now and one reminder job per
// reminder day still ahead.
func (s *Store) queueMail(ctx context.Context, tx *sql.Tx, actor user.Actor, c *Campaign, now time.Time) error {
	if s.opts.Jobs == nil {
		return nil
	}
	o := job.Opts{UserID: actor.UserID, Title: "Invitations: " + c.Title}
	if _, err := s.opts.Jobs.EnqueueTx(ctx, tx, MailArgs{CampaignID: c.ID}, o); err != nil {
		return err
	}
	deadline, _ := time.Parse(dateLayout, c.Deadline)
	for _, d := range c.ReminderDays {
		at := deadline.AddDate(0, 0, -d).Add(reminderHour * time.Hour)
		if at.Before(now) {
			continue
		}
		o := job.Opts{UserID: actor.UserID, Title: fmt.Sprintf("Reminders %d days before the deadline: %s", d, c.Title),
			Insert: &river.InsertOpts{ScheduledAt: at}}
		if _, err := s.opts.Jobs.EnqueueTx(ctx, tx, MailArgs{CampaignID: c.ID, DaysBefore: d}, o); err != nil {
			return err
		}
	}
	return nil
}

// CloseCampaign closes an open campaign: its links stop working.
func (s *Store) CloseCampaign(ctx context.Context, actor user.Actor, id int64) (*Campaign, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	var c *Campaign
	err := s.db.Tx(ctx, func(tx *sql.Tx) error {
		before, err := s.loadCampaign(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if before.Status != StatusOpen {
			return problem.Conflictf("The campaign is %s; only an open campaign closes.", before.Status)
		}
		now := db.Now()
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET status = 'closed', closed_at = $1, updated_at = $1 WHERE id = $2`, now, id); err != nil {
			return fmt.Errorf("close campaign: %w", err)
		}
		if c, err = s.loadCampaign(ctx, tx, actor, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, actor, "close", RecordCampaign, id, before, c)
	})
	return c, err
}
