package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/job"
	"github.com/clusterobservatory/observatory/internal/user"
)

type wireArgs struct{}

func (wireArgs) Kind() string { return "wire" }

type wireWorker struct{ river.WorkerDefaults[wireArgs] }

func (wireWorker) Work(ctx context.Context, _ *river.Job[wireArgs]) error {
	job.Report(ctx, 1234, 5000, "")
	job.SetResult(ctx, job.Result{Message: "All rows stored.", Link: "/clusters"})
	return nil
}

func TestJobWiring(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		e := apptest.New(t, d)
		ctx := context.Background()
		if err := job.Register(e.App.Jobs, wireWorker{}); err != nil {
			t.Fatal(err)
		}
		if err := e.App.Jobs.Start(ctx); err != nil {
			t.Fatal(err)
		}
		defer e.App.Jobs.Stop(ctx)
		owner := e.CreateUser(user.BSOStaff, "bso:1")
		other := e.CreateUser(user.Admin, "")
		stranger := e.CreateUser(user.CountryCoordinator, "country:JAM")
		id, err := e.App.Jobs.Enqueue(ctx, wireArgs{}, job.Opts{UserID: owner.ID, Title: "Wire", Unit: job.Rows})
		if err != nil {
			t.Fatal(err)
		}
		for range 500 {
			p, _ := e.App.Jobs.Progress(ctx, id)
			if p.State.Final() {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		path := "/jobs/" + strconv.FormatInt(id, 10)
		r := e.Get(e.Browser(owner), path)
		if r.StatusCode != 200 || !strings.Contains(r.Body, "All rows stored.") || !strings.Contains(r.Body, `href="/clusters"`) {
			t.Fatalf("owner: %d\n%s", r.StatusCode, r.Body)
		}
		if r := e.Get(e.Browser(other), path); r.StatusCode != 200 {
			t.Errorf("admin: %d", r.StatusCode)
		}
		if r := e.Get(e.Browser(stranger), path); r.StatusCode != 404 {
			t.Errorf("stranger: %d", r.StatusCode)
		}
		if r := e.API("GET", "/api/v1"+path, e.Token(owner), nil); r.StatusCode != 200 || !strings.Contains(r.Body, `"state":"succeeded"`) {
			t.Errorf("API: %d %s", r.StatusCode, r.Body)
		}
		if r := e.API("GET", "/api/v1"+path, e.Token(stranger), nil); r.StatusCode != 404 {
			t.Errorf("API stranger: %d", r.StatusCode)
		}
		if r := e.API("GET", "/api/v1"+path, "", nil); r.StatusCode != 401 {
			t.Errorf("API anonymous: %d %s", r.StatusCode, r.Body)
		}
		if r := e.Get(e.Anonymous(), "/jobs"); r.StatusCode != 303 {
			t.Errorf("anonymous page: %d", r.StatusCode)
		}
		if r := e.Get(e.Browser(owner), "/jobs"); r.StatusCode != 200 || !strings.Contains(r.Body, path) {
			t.Errorf("list: %d", r.StatusCode)
		}
	})
}
