package region_test

import (
	"context"
	"net/http/httptest"
	"testing"

	"github.com/clusterobservatory/observatory/internal/app/apptest"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/demo"
	"github.com/clusterobservatory/observatory/internal/user"
)

// BenchmarkPages measures the region and country pages on the demo region
// at scale 10, signed in as an administrator (the largest lists), with
// requests in parallel as a busy server sees them.
func BenchmarkPages(b *testing.B) {
	d := dbtest.SQLite(b)
	if _, err := demo.Generate(context.Background(), d, 10); err != nil {
		b.Fatal(err)
	}
	e := apptest.New(b, d)
	c := e.Browser(e.CreateUser(user.Admin, ""))
	for _, t := range []struct{ name, path string }{{"region", "/"}, {"country", "/countries/JAM"}} {
		path := t.path
		b.Run(t.name, func(b *testing.B) {
			if r := e.Get(c, path); r.StatusCode != 200 {
				b.Fatalf("%s: %d", path, r.StatusCode)
			}
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					if r := e.Get(c, path); r.StatusCode != 200 {
						b.Errorf("%s: %d", path, r.StatusCode)
					}
				}
			})
		})
	}
}

// BenchmarkHandlers measures the pages' handlers alone, without the network
// and client, for anonymous visitors; the sign-in form is the baseline of
// what the layout and middleware cost on their own.
func BenchmarkHandlers(b *testing.B) {
	d := dbtest.SQLite(b)
	if _, err := demo.Generate(context.Background(), d, 10); err != nil {
		b.Fatal(err)
	}
	e := apptest.New(b, d)
	h := e.App.Handler()
	for _, t := range []struct{ name, path string }{{"login", "/login"}, {"region", "/"}, {"country", "/countries/JAM"}} {
		b.Run(t.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", t.path, nil))
				if w.Code != 200 {
					b.Fatalf("%s: %d", t.path, w.Code)
				}
			}
		})
	}
}
