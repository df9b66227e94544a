package campaign

import (
	"context"
	"fmt"

	"github.com/clusterobservatory/observatory/internal/user"
)

// Option is one choice of the new-campaign form.
type Option struct {
	ID    int64
	Label string
}

// NewOptions are the choices of the new-campaign form: the published form
// versions, the clusters the actor may invite and the earlier campaigns.
type NewOptions struct {
	Versions  []Option
	Clusters  []Option
	Campaigns []Option
}

// FindNewOptions lists the choices of the new-campaign form.
func (s *Store) FindNewOptions(ctx context.Context, actor user.Actor) (*NewOptions, error) {
	if err := mayRun(actor); err != nil {
		return nil, err
	}
	out := &NewOptions{}
	cond, args := user.ClusterReadFilter(actor, "c", 1)
	queries := []struct {
		dst  *[]Option
		q    string
		args []any
	}{
		{&out.Versions, `SELECT v.id, f.title || ' (' || v.version || ')' FROM form_versions v JOIN forms f ON f.id = v.form_id
			WHERE v.published = TRUE ORDER BY lower(f.title), v.created_at DESC, v.id DESC`, nil},
		{&out.Clusters, `SELECT c.id, c.name FROM clusters c WHERE c.archived_at IS NULL AND ` + cond + ` ORDER BY c.name_norm, c.id`, args},
	}
	ccond, cargs := campaignScope(actor, "c", 1)
	queries = append(queries, struct {
		dst  *[]Option
		q    string
		args []any
	}{&out.Campaigns, `SELECT c.id, c.title || ' (' || c.period || ')' FROM campaigns c WHERE ` + ccond + ` ORDER BY c.created_at DESC, c.id DESC`, cargs})
	for _, q := range queries {
		rows, err := s.db.Read().QueryContext(ctx, q.q, q.args...)
		if err != nil {
			return nil, fmt.Errorf("campaign options: %w", err)
		}
		for rows.Next() {
			var o Option
			if err := rows.Scan(&o.ID, &o.Label); err != nil {
				rows.Close()
				return nil, err
			}
			*q.dst = append(*q.dst, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
