package audit

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestDiff(t *testing.T) {
	tests := []struct {
		name          string
		before, after string
		want          []Change
		wantErr       bool
	}{
		{name: "nothing on either side", before: "", after: "null", want: nil},
		{name: "identical objects", before: `{"a":1,"b":"x"}`, after: `{"b":"x","a":1}`, want: nil},
		{
			name:   "creation lists every field as added",
			before: "", after: `{"name":"Spice Isle Agro","stage":"identified"}`,
			want: []Change{
				{Field: "name", New: "Spice Isle Agro", Added: true},
				{Field: "stage", New: "identified", Added: true},
			},
		},
		{
			name:   "deletion lists every field as removed",
			before: `{"id":7}`, after: "",
			want: []Change{{Field: "id", Old: "7", Removed: true}},
		},
		{
			name:   "changed, added and removed fields, sorted",
			before: `{"stage":"diagnosed","name":"Cocoa","facilitator":"Ann"}`,
			after:  `{"stage":"implementing","name":"Cocoa","started_year":2021}`,
			want: []Change{
				{Field: "facilitator", Old: "Ann", Removed: true},
				{Field: "stage", Old: "diagnosed", New: "implementing"},
				{Field: "started_year", New: "2021", Added: true},
			},
		},
		{
			name:   "null and booleans read as text",
			before: `{"archived_at":null,"women_led":false}`,
			after:  `{"archived_at":"2024-05-01T10:00:00Z","women_led":true}`,
			want: []Change{
				{Field: "archived_at", Old: "", New: "2024-05-01T10:00:00Z"},
				{Field: "women_led", Old: "false", New: "true"},
			},
		},
		{
			name:   "nested objects compare field by field",
			before: `{"contact":{"name":"Ann","phone":"1"}}`,
			after:  `{"contact":{"name":"Ann","phone":"2"}}`,
			want:   []Change{{Field: "contact.phone", Old: "1", New: "2"}},
		},
		{
			name:   "arrays compare as a whole",
			before: `{"countries":["JAM","TTO"]}`,
			after:  `{"countries":["JAM","BRB"]}`,
			want:   []Change{{Field: "countries", Old: `["JAM","TTO"]`, New: `["JAM","BRB"]`}},
		},
		{
			name:   "large numbers stay exact",
			before: `{"budget":12345678901234567890}`,
			after:  `{"budget":12345678901234567891}`,
			want:   []Change{{Field: "budget", Old: "12345678901234567890", New: "12345678901234567891"}},
		},
		{
			name:   "a value that is not an object is one unnamed field",
			before: `3`, after: `4`,
			want: []Change{{Field: "", Old: "3", New: "4"}},
		},
		{
			name:   "text with markup stays as it is",
			before: `{"note":"a < b"}`, after: `{"note":"a & b"}`,
			want: []Change{{Field: "note", Old: "a < b", New: "a & b"}},
		},
		{name: "invalid JSON is an error", before: `{"a":`, after: `{}`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Diff(json.RawMessage(tt.before), json.RawMessage(tt.after))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, want error %v", err, tt.wantErr)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Diff(%s, %s)\n got  %+v\n want %+v", tt.before, tt.after, got, tt.want)
			}
		})
	}
}
