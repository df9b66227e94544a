package logic

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/form"
)

// referenceState is one node's state as ODK's reference engine gave it
// (frontend/conformance/run.mjs --write).
type referenceState struct {
	Relevant     *bool    `json:"relevant"`
	Required     *bool    `json:"required"`
	RequiredOK   *bool    `json:"required_ok"`
	ConstraintOK *bool    `json:"constraint_ok"`
	Value        *string  `json:"value"`
	Options      []string `json:"options"`
	Occurrences  *int     `json:"occurrences"`
}

type referenceRun struct {
	Case   string `json:"case"`
	Now    string `json:"now"`
	States []struct {
		After []json.RawMessage `json:"after"`
		Nodes map[string]referenceState
	} `json:"states"`
}

// TestConformsToReference replays the conformance cases on the server's
// engine and compares every node, after every step, with the state ODK's
// reference engine gave.
func TestConformsToReference(t *testing.T) {
	files, _ := filepath.Glob("../testdata/*.reference.json")
	more, _ := filepath.Glob("../testdata/conformance/*.reference.json")
	files = append(files, more...)
	if len(files) < 5 {
		t.Fatalf("found %d reference files, want the 5 conformance cases", len(files))
	}
	checks := 0
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			var run referenceRun
			readJSON(t, file, &run)
			var def form.Definition
			readJSON(t, strings.TrimSuffix(file, ".reference.json")+".json", &def)
			now, err := time.Parse(time.RFC3339, run.Now)
			if err != nil {
				t.Fatal(err)
			}
			in := New(&def, Options{Now: func() time.Time { return now }})
			for i, st := range run.States {
				label := "initial"
				if st.After != nil {
					label = applyStep(t, in, st.After)
				}
				ours := snapshot(in)
				for ref, want := range st.Nodes {
					checks++
					got, ok := ours[ref]
					if !ok {
						t.Errorf("state %d after %s: %s missing", i, label, ref)
						continue
					}
					if d := differences(got, want); d != "" {
						t.Errorf("state %d after %s: %s: %s", i, label, ref, d)
					}
				}
				for ref := range ours {
					if _, ok := st.Nodes[ref]; !ok {
						t.Errorf("state %d after %s: %s is not in the reference", i, label, ref)
					}
				}
			}
		})
	}
	t.Logf("%d node checks against the reference engine", checks)
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// applyStep applies ['set', field, scope, value], ['add', repeat, outer]
// or ['remove', repeat, outer, i] and returns it as text.
func applyStep(t *testing.T, in *Instance, raw []json.RawMessage) string {
	t.Helper()
	var op, name string
	var scope []int
	json.Unmarshal(raw[0], &op)
	json.Unmarshal(raw[1], &name)
	json.Unmarshal(raw[2], &scope)
	var err error
	switch op {
	case "set":
		var v string
		json.Unmarshal(raw[3], &v)
		err = in.SetValue(name, scope, v)
		return fmt.Sprintf("set %s%v = %q", name, scope, v)
	case "add":
		_, err = in.AddOccurrence(name, scope)
	case "remove":
		var i int
		json.Unmarshal(raw[3], &i)
		err = in.RemoveOccurrence(name, scope, i)
	default:
		t.Fatalf("unknown step %s", op)
	}
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s %s%v", op, name, scope)
}

// snapshot gives our states keyed as the reference file keys them:
// /form/repeat[2]/field, a repeat's range as its reference + "*".
func snapshot(in *Instance) map[string]NodeState {
	out := map[string]NodeState{}
	for _, s := range in.Nodes() {
		ref := reference(in, s.Name, s.Scope)
		if s.Range {
			ref += "*"
		}
		out[ref] = s
	}
	return out
}

func reference(in *Instance, name string, scope []int) string {
	m := in.fields[name]
	parts := strings.Split(m.field.Path, "/")[1:]
	r := 0
	for i, p := range parts {
		if f := in.fields[p]; i > 0 && f != nil && f.field.Type == form.TypeRepeat && r < len(scope) {
			parts[i] = fmt.Sprintf("%s[%d]", p, scope[r]+1)
			r++
		}
	}
	return "/" + strings.Join(parts, "/")
}

func differences(got NodeState, want referenceState) string {
	var d []string
	check := func(what string, g any, w any) {
		if !reflect.DeepEqual(g, w) {
			d = append(d, fmt.Sprintf("%s %v, reference %v", what, g, w))
		}
	}
	if want.Occurrences != nil {
		check("occurrences", got.Occurrences, *want.Occurrences)
		return strings.Join(d, "; ")
	}
	check("relevant", got.Relevant, *want.Relevant)
	if want.Required != nil {
		check("required", got.Required, *want.Required)
	}
	if want.RequiredOK != nil {
		check("required satisfied", got.RequiredOK, *want.RequiredOK)
	}
	if want.ConstraintOK != nil {
		check("constraint satisfied", got.ConstraintOK, *want.ConstraintOK)
	}
	if want.Value != nil {
		check("value", fmt.Sprintf("%q", got.Value), fmt.Sprintf("%q", *want.Value))
	}
	if want.Value != nil && want.Options != nil || len(got.Options) > 0 && got.Relevant {
		check("options", strings.Join(got.Options, " "), strings.Join(want.Options, " "))
	}
	return strings.Join(d, "; ")
}
