package app

import (
	"github.com/clusterobservatory/observatory/internal/audit"
	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/implementation"
	"github.com/clusterobservatory/observatory/internal/importer"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/mapping"
	"github.com/clusterobservatory/observatory/internal/org"
	"github.com/clusterobservatory/observatory/internal/plan"
	"github.com/clusterobservatory/observatory/internal/portfolio"
	"github.com/clusterobservatory/observatory/internal/programme"
	"github.com/clusterobservatory/observatory/internal/region"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// pageSources lists every domain's templates; a test renders each one.
func pageSources() []web.PageSource {
	return []web.PageSource{
		{Domain: "user", FS: user.Templates, Dir: "templates"},
		{Domain: "audit", FS: audit.Templates, Dir: "templates"},
		{Domain: "org", FS: org.Templates, Dir: "templates"},
		{Domain: "cluster", FS: cluster.Templates, Dir: "templates"},
		{Domain: "import", FS: importer.Templates, Dir: "templates"},
		{Domain: "region", FS: region.Templates, Dir: "templates"},
		{Domain: "job", FS: job.Templates, Dir: "templates"},
		{Domain: "mapping", FS: mapping.Templates, Dir: "templates"},
		{Domain: "indicator", FS: indicator.Templates, Dir: "templates"},
		{Domain: "form", FS: form.Templates, Dir: "templates"},
		{Domain: "programme", FS: programme.Templates, Dir: "templates"},
		{Domain: "portfolio", FS: portfolio.Templates, Dir: "templates"},
		{Domain: "event", FS: event.Templates, Dir: "templates"},
		{Domain: "plan", FS: plan.Templates, Dir: "templates"},
		{Domain: "campaign", FS: campaign.Templates, Dir: "templates"},
		{Domain: "implementation", FS: implementation.Templates, Dir: "templates"},
	}
}
