package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/bench/internal/machine"
	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/openrosa"
)

// TestPayloadsAreValidAnswers checks that what the clients send is a
// valid answer to the shipped firm survey on both channels, so that the
// benchmark measures stored submissions, not refusals.
func TestPayloadsAreValidAnswers(t *testing.T) {
	tpl, ok := form.StandardByName(template)
	if !ok {
		t.Fatalf("no template %s", template)
	}
	def := tpl.Definition()
	for seq := range 50 {
		a := answersFor(seq%7, seq, seq)
		m := map[string]any{}
		dec := json.NewDecoder(bytes.NewReader(a.JSON()))
		dec.UseNumber()
		if err := dec.Decode(&m); err != nil {
			t.Fatal(err)
		}
		if bad := campaign.CheckAnswers(def, m, campaign.Checking{Earlier: true}); len(bad) > 0 {
			t.Fatalf("answers %d refused: %v\n%s", seq, bad, a.JSON())
		}
		id := campaign.NewInstanceID()
		xml := instanceXML(def.FormID, def.Version, "i42", id, a)
		in, err := openrosa.ParseInstance(collectForm(def), xml)
		if err != nil {
			t.Fatalf("instance %d: %v\n%s", seq, err, xml)
		}
		if in.InstanceID != id || in.Answers["respondent_ref"] != "i42" {
			t.Errorf("instance %d: ID %q, respondent %v", seq, in.InstanceID, in.Answers["respondent_ref"])
		}
		var body struct {
			InstanceID string `json:"instance_id"`
			VersionID  int64  `json:"version_id"`
		}
		if err := json.Unmarshal(pageBody(id, 7, a), &body); err != nil || body.InstanceID != id || body.VersionID != 7 {
			t.Errorf("page body: %+v, %v", body, err)
		}
	}
}

// collectForm is the definition with the respondent question first, as
// the campaign's OpenRosa server serves it.
func collectForm(def *form.Definition) *form.Definition {
	d := *def
	q := form.Field{Name: campaign.RespondentField, Type: form.TypeText, Required: true, Path: "/" + d.FormID + "/" + campaign.RespondentField}
	d.Fields = append([]form.Field{q}, d.Fields...)
	return &d
}

func TestPoolGivesEachWorkerItsOwnLinks(t *testing.T) {
	cs := &campaignSetup{Tokens: make([]string, 10)}
	p := &pool{cs: cs, clients: 3} // 3 links each; the tenth is never used
	seen := map[int]int{}
	for w := range 3 {
		for seq := range 3 {
			i := p.index(w, seq)
			if i%3 != w {
				t.Errorf("worker %d got link %d of another worker", w, i)
			}
			seen[i]++
		}
	}
	if len(seen) != 9 || p.reused.Load() != 0 {
		t.Errorf("9 distinct links expected without reuse, got %v, reused %d", seen, p.reused.Load())
	}
	if i := p.index(1, 3); i != 1 || p.reused.Load() != 1 {
		t.Errorf("past its share a worker starts again at its first link: got %d, reused %d", i, p.reused.Load())
	}
}

func TestReportFlagsMissingAndGoal(t *testing.T) {
	o := &options{clients: 64, duration: time.Second, respondents: 100, goalRate: 1000, goalP99: 100 * time.Millisecond}
	r := &engineResult{Engine: "sqlite", Setup: &campaignSetup{}, AckedPage: 10, StoredPage: 9, AckedOR: 5, StoredOR: 5,
		Phases: []phaseResult{
			{Name: "JSON over HTTP", HTTP: true, Stats: phaseStats{AckedPS: 1500, P99: 50 * time.Millisecond}},
			{Name: "OpenRosa over HTTP", HTTP: true, Stats: phaseStats{AckedPS: 900, P99: 50 * time.Millisecond}},
			{Name: "Store.Submit, page input", Stats: phaseStats{AckedPS: 3000}},
		}}
	out := renderReport(o, machineForTest(), []*engineResult{r})
	for _, want := range []string{"**1 acknowledged submissions are missing**", "| JSON over HTTP |  | 1500 |", "| met |",
		"| **missed** |", "JSON over HTTP reaches 50 % of the store's own rate"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func machineForTest() machine.Machine { return machine.Machine{CPUs: 2, Model: "test CPU"} }
