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
	if bad := campaign.CheckAnswers(def, answers); len(bad) != 0 {
		t.Fatalf("blank optional answers refused: %v", bad)
	}
	answers["jobs_created"], answers["certifications"] = "", "two"
	bad := campaign.CheckAnswers(def, answers)
	got := map[string]string{}
	for _, d := range bad {
		got[d.Field] = d.Message
	}
	if len(bad) != 2 || got["jobs_created"] != "Answer this question." || got["certifications"] != `"two" is not a whole number.` {
		t.Errorf("problems %v", bad)
	}
}
