package job

import "testing"

func TestReconcile(t *testing.T) {
	tests := []struct {
		ours  State
		river string
		want  State
	}{
		{Succeeded, "", Succeeded},
		{Failed, "running", Failed},
		{Cancelled, "available", Cancelled},
		{Queued, "available", Queued},
		{Queued, "scheduled", Queued},
		{Queued, "running", Running},
		{Running, "running", Running},
		{Running, "available", Retrying},
		{Running, "retryable", Retrying},
		{Retrying, "scheduled", Retrying},
		{Running, "discarded", Failed},
		{Queued, "cancelled", Cancelled},
		{Running, "completed", Succeeded},
		{Running, "", Failed},
		{Queued, "", Failed},
		{Running, "some_future_state", Running},
	}
	for _, tt := range tests {
		if got := reconcile(tt.ours, tt.river); got != tt.want {
			t.Errorf("reconcile(%s, %q) = %s, want %s", tt.ours, tt.river, got, tt.want)
		}
	}
}

func TestStateFinal(t *testing.T) {
	for _, s := range States {
		want := s == Succeeded || s == Failed || s == Cancelled
		if s.Final() != want {
			t.Errorf("%s.Final() = %v", s, s.Final())
		}
		if !s.Valid() {
			t.Errorf("%s not valid", s)
		}
	}
	if State("done").Valid() {
		t.Error("unknown state accepted")
	}
}
