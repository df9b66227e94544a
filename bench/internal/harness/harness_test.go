package harness

import (
	"os"
	"strings"
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	hundred := make([]int, 100)
	for i := range hundred {
		hundred[i] = i + 1
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 99, 0},
		{"one value", ms(7), 50, 7 * time.Millisecond},
		{"median of four is the second", ms(1, 2, 3, 4), 50, 2 * time.Millisecond},
		{"p99 of 100 is the 99th", ms(hundred...), 99, 99 * time.Millisecond},
		{"p90 of 100 is the 90th", ms(hundred...), 90, 90 * time.Millisecond},
		{"p99 of ten is the slowest", ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 100), 99, 100 * time.Millisecond},
		{"p100 is the maximum", ms(1, 2, 3), 100, 3 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("Percentile(%v, %v) = %v, want %v", tt.sorted, tt.p, got, tt.want)
			}
		})
	}
}

func TestParseStatusKB(t *testing.T) {
	status := "Name:\tobservatory\nVmPeak:\t 1300000 kB\nVmHWM:\t   81234 kB\nVmRSS:\t   70000 kB\n"
	tests := []struct {
		field   string
		want    int64
		wantErr bool
	}{
		{"VmHWM", 81234, false},
		{"VmRSS", 70000, false},
		{"VmSwap", 0, true},
		{"Name", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseStatusKB(status, tt.field)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("ParseStatusKB(%s) = %d, %v; want %d, error %v", tt.field, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestLastLine(t *testing.T) {
	tests := map[string]string{
		"secret\n":                 "secret",
		"note\nsecret\n\n":         "secret",
		"  spaced  \r\n":           "spaced",
		"":                         "",
		"first\nsecond\nthird\r\n": "third",
	}
	for in, want := range tests {
		if got := LastLine(in); got != want {
			t.Errorf("LastLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPickList(t *testing.T) {
	allowed := []string{"sqlite", "postgres"}
	got, err := PickList("--engines", " postgres, sqlite,postgres,", allowed)
	if err != nil || strings.Join(got, ",") != "postgres,sqlite" {
		t.Errorf("PickList = %v, %v; want postgres,sqlite in the given order without repeats", got, err)
	}
	if _, err := PickList("--engines", "sqlite,mysql", allowed); err == nil || !strings.Contains(err.Error(), `"mysql"`) {
		t.Errorf("an unknown engine must be refused by name, got %v", err)
	}
	if _, err := PickList("--engines", " , ", allowed); err == nil {
		t.Error("an empty list must be refused")
	}
}

func TestCommandLineQuotes(t *testing.T) {
	got := CommandLine("./bench/httpload", []string{"-engines", "sqlite", "-note", "tests of others ran; it's noisy"})
	want := `go run ./bench/httpload -engines sqlite -note 'tests of others ran; it'\''s noisy'`
	if got != want {
		t.Errorf("CommandLine = %s\nwant          %s", got, want)
	}
	got = CommandLine("./bench/httpload", []string{"-pg", "postgres://bench:s3cret@db.local/postgres"})
	if strings.Contains(got, "s3cret") || !strings.Contains(got, "bench:xxxxx@db.local") {
		t.Errorf("CommandLine must hide the database password: %s", got)
	}
}

// TestProcCPU reads this test's own CPU time and parent from /proc.
func TestProcCPU(t *testing.T) {
	deadline := time.Now().Add(50 * time.Millisecond)
	for x := 0; time.Now().Before(deadline); x++ {
		_ = x * x
	}
	ticks, _, ppid := ProcCPU(os.Getpid())
	if ppid != os.Getppid() {
		t.Errorf("parent = %d, want %d", ppid, os.Getppid())
	}
	if ticks <= 0 {
		t.Errorf("CPU ticks = %d after 50ms of work, want more than 0", ticks)
	}
	if got, _, _ := ProcCPU(-1); got != 0 {
		t.Errorf("a missing process has CPU %d, want 0", got)
	}
}
