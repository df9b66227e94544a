package campaign_test

import (
	"testing"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/form"
)

// TestCheckAnswersBlank checks that an optional question left blank (the
// respondent page sends "") is no answer rather than a wrong one, while a
// blank required question and a wrong number are refused.
func TestCheckAnswersBlank(t *testing.T) {
	tpl, _ := form.StandardByName("firm_results")
	def := tpl.Definition()
	answers := map[string]any{
		"firm_name": "Negril Spice", "year": float64(2025), "employees_total": float64(9), "employees_women": float64(4),
		"employees_youth": float64(2), "jobs_created": float64(3), "revenue": float64(1000), "exports": float64(0),
		"investment": "", "certifications": "", "new_products_markets": "", "comments": "",
	}
	if bad := campaign.CheckAnswers(def, answers, campaign.Checking{Simple: true}); len(bad) != 0 {
		t.Fatalf("blank optional answers refused: %v", bad)
	}
	answers["jobs_created"], answers["certifications"] = "", "two"
	bad := campaign.CheckAnswers(def, answers, campaign.Checking{Simple: true})
	got := map[string]string{}
	for _, d := range bad {
		got[d.Field] = d.Message
	}
	if len(bad) != 2 || got["jobs_created"] != "Answer this question." || got["certifications"] != `"two" is not a whole number.` {
		t.Errorf("problems %v", bad)
	}
}

// TestCheckAnswersLogic checks that the form's logic is applied on the
// server: constraints with their messages, answers to questions that do
// not apply, required questions inside repeats, and calculations added
// to answers that lack them.
func TestCheckAnswersLogic(t *testing.T) {
	tpl, _ := form.StandardByName("firm_results")
	def := tpl.Definition()
	answers := map[string]any{
		"firm_name": "Negril Spice", "year": float64(2025), "employees_total": float64(9), "employees_women": float64(12),
		"employees_youth": float64(2), "jobs_created": float64(3), "revenue": float64(1000), "exports": float64(1500),
		"certifications": float64(0), "certification_names": "ISO 9001", "new_products_markets": "none new_product",
		"partners": []any{map[string]any{"partner_name": "JBDC", "partner_type": "bso"}},
	}
	bad := campaign.CheckAnswers(def, answers, campaign.Checking{Simple: true})
	got := map[string]string{}
	for _, d := range bad {
		got[d.Field] = d.Message
	}
	want := map[string]string{
		"employees_women":             "Women cannot outnumber all employees.",
		"exports":                     "Exports cannot exceed revenue.",
		"new_products_markets":        "“None of these” cannot be chosen with another answer.",
		"certification_names":         "This question does not apply to these answers (it is asked only when ${certifications} > 0): leave it blank.",
		"partners.1.cooperation_kind": "Answer this question.",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s: %q, want %q", k, got[k], v)
		}
	}
	if len(bad) != len(want) {
		t.Errorf("problems %v", bad)
	}

	// Fixed, the answers pass, and the count of partners is computed.
	answers["employees_women"], answers["exports"], answers["new_products_markets"] = float64(4), float64(500), "new_product"
	answers["certifications"] = float64(1)
	answers["partners"] = []any{map[string]any{"partner_name": "JBDC", "partner_type": "bso", "cooperation_kind": "joint_project"},
		map[string]any{"partner_name": "UWI", "partner_type": "research", "cooperation_kind": "knowledge_exchange"}}
	if bad := campaign.CheckAnswers(def, answers, campaign.Checking{Simple: true}); len(bad) != 0 {
		t.Fatalf("fixed answers refused: %v", bad)
	}
	campaign.AddCalculations(def, answers)
	if answers["partner_count"] != "2" {
		t.Errorf("partner_count = %v, want 2", answers["partner_count"])
	}
}
