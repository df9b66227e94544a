package mapping

import (
	"encoding/json"
	"math"
	"testing"
)

func TestValue(t *testing.T) {
	tests := []struct {
		name       string
		v          Value
		str, jsonS string
	}{
		{"number", Of(1.25), "1.25", "1.25"},
		{"zero", Of(0), "0", "0"},
		{"NaN", Of(math.NaN()), "", "null"},
		{"infinity", Of(math.Inf(1)), "", "null"},
		{"division by zero", Ratio(3, 0), "", "null"},
		{"zero value", Value{}, "", "null"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if s := tc.v.String(); s != tc.str {
				t.Errorf("String() = %q, want %q", s, tc.str)
			}
			b, err := json.Marshal(tc.v)
			if err != nil || string(b) != tc.jsonS {
				t.Errorf("JSON %s (%v), want %s", b, err, tc.jsonS)
			}
			var back Value
			if err := json.Unmarshal(b, &back); err != nil || back != tc.v {
				t.Errorf("round trip gave %v (%v)", back, err)
			}
		})
	}
	if Of(2).Format(2) != "2.00" || (Value{}).Format(2) != "" {
		t.Error("Format")
	}
	if Of(2).Or(9) != 2 || (Value{}).Or(9) != 9 {
		t.Error("Or")
	}
}
