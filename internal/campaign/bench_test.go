package campaign

import (
	"context"
	"testing"

	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// BenchmarkSubmit measures acknowledged submissions (committed before
// Submit returns) through one link on SQLite.
func BenchmarkSubmit(b *testing.B) {
	t := b
	d := dbtest.SQLite(b)
	f := newFixture(t, d)
	c, _ := f.open(t, f.input())
	tok := f.link(t, c, f.firm1)
	body := answers(t, 10, 4, "Acme", "Bolt")
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		if _, _, err := f.s.Submit(ctx, SubmissionInput{Token: tok, FormVersionID: f.version, InstanceID: NewInstanceID(),
			Channel: ChannelWeb, Answers: body, Raw: body, RawType: "application/json"}); err != nil {
			b.Fatal(err)
		}
	}
}
