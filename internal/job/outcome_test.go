package job

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestOutcome(t *testing.T) {
	shown := problem.New(problem.Invalid, "Row 3 has no name.")
	internal := &problem.Error{Kind: problem.Internal, Message: "disk full at /var/lib"}
	tests := []struct {
		name         string
		err          error
		attempt, max int
		state        State
		msg          string
	}{
		{"success", nil, 1, 3, Succeeded, ""},
		{"problem, attempts left", shown, 1, 3, Retrying, "Row 3 has no name."},
		{"problem, last attempt", shown, 3, 3, Failed, "Row 3 has no name."},
		{"wrapped problem", fmt.Errorf("import: %w", shown), 1, 1, Failed, "Row 3 has no name."},
		{"plain error hidden", errors.New("pq: syntax error"), 1, 1, Failed, ""},
		{"internal problem hidden", internal, 1, 1, Failed, ""},
		{"timeout retried", context.DeadlineExceeded, 1, 2, Retrying, ""},
		{"cancelled by worker", river.JobCancel(shown), 1, 3, Cancelled, "Row 3 has no name."},
		{"failed by worker", Fail(shown), 1, 3, Failed, "Row 3 has no name."},
		{"failed by worker, internal", Fail(internal), 1, 3, Failed, ""},
		{"snoozed", river.JobSnooze(time.Minute), 1, 3, Queued, ""},
	}
	for _, tt := range tests {
		state, msg := outcome(tt.err, tt.attempt, tt.max)
		if state != tt.state || msg != tt.msg {
			t.Errorf("%s: got %s %q, want %s %q", tt.name, state, msg, tt.state, tt.msg)
		}
	}
}

func TestLocalPath(t *testing.T) {
	tests := map[string]bool{
		"/clusters/7": true, "/": true, "": false, "//evil.example": false, `/\evil.example`: false,
		"https://evil.example": false, "clusters/7": false, "javascript:alert(1)": false,
	}
	for link, want := range tests {
		if got := localPath(link); got != want {
			t.Errorf("localPath(%q) = %v, want %v", link, got, want)
		}
	}
}

func TestShare(t *testing.T) {
	tests := []struct {
		done, total int64
		want        float64
	}{{0, 0, 0}, {5, 0, 0}, {1, 4, 0.25}, {4, 4, 1}, {9, 4, 1}}
	for _, tt := range tests {
		p := Progress{Done: tt.done, Total: tt.total}
		if got := p.Share(); got != tt.want {
			t.Errorf("Share(%d/%d) = %v, want %v", tt.done, tt.total, got, tt.want)
		}
	}
}
