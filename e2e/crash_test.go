package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
)

// TestKilledServerRestartsConsistent kills the server with SIGKILL while 16
// clients create accounts through the API, restarts it on the same database, and checks
// that every creation that was acknowledged is there, each with its audit
// entry, and that the database is sound.
func TestKilledServerRestartsConsistent(t *testing.T) {
	engines := map[string]func(t *testing.T) string{
		"sqlite":   func(t *testing.T) string { return "sqlite:" + filepath.Join(t.TempDir(), "crash.db") },
		"postgres": func(t *testing.T) string { return dbtest.EmptyPostgresURL(t) },
	}
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			dbURL := engines[name](t)
			bin := observatoryBinary(t)
			cmd := exec.Command(bin, "user", "create", "--db", dbURL, "--email", "ops2@example.org", "--name", "Ops", "--role", "admin", "--password-stdin")
			cmd.Stdin = strings.NewReader("a long enough password\n")
			if out, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("user create: %v %s", err, out)
			}
			out, err := exec.Command(bin, "token", "create", "--db", dbURL, "--email", "ops2@example.org").Output()
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimSpace(string(out)), "\n")
			token := lines[len(lines)-1]

			addr := freeAddr(t)
			srv := exec.Command(bin, "serve", "--addr", addr, "--db", dbURL, "--log-level", "error")
			srv.Stderr = os.Stderr
			if err := srv.Start(); err != nil {
				t.Fatal(err)
			}
			waitReady(t, "http://"+addr)

			var mu sync.Mutex
			acked := map[int64]string{}
			ctx, stop := context.WithTimeout(context.Background(), 20*time.Second)
			defer stop()
			var wg sync.WaitGroup
			client := &http.Client{Timeout: 5 * time.Second}
			for w := 0; w < 16; w++ {
				wg.Add(1)
				go func(w int) {
					defer wg.Done()
					for i := 0; i < 2000 && ctx.Err() == nil; i++ {
						orgName := fmt.Sprintf("crash%d-%d@example.org", w, i)
						body := fmt.Sprintf(`{"email":%q,"name":"Crash Test","role":"reviewer"}`, orgName)
						req, _ := http.NewRequestWithContext(ctx, "POST", "http://"+addr+"/api/v1/users", strings.NewReader(body))
						req.Header.Set("Authorization", "Bearer "+token)
						req.Header.Set("Content-Type", "application/json")
						resp, err := client.Do(req)
						if err != nil {
							return // the server is gone
						}
						var created struct{ ID int64 }
						json.NewDecoder(resp.Body).Decode(&created)
						resp.Body.Close()
						if resp.StatusCode == http.StatusCreated && created.ID > 0 {
							mu.Lock()
							acked[created.ID] = orgName
							mu.Unlock()
						}
					}
				}(w)
			}
			time.Sleep(1500 * time.Millisecond)
			srv.Process.Kill() // SIGKILL: no shutdown, no flush
			srv.Wait()
			stop()
			wg.Wait()
			if len(acked) == 0 {
				t.Fatal("no creation was acknowledged before the kill; the load did not run")
			}

			// Restart: migrations run again and the server becomes ready.
			srv2 := exec.Command(bin, "serve", "--addr", addr, "--db", dbURL, "--log-level", "error")
			srv2.Stderr = os.Stderr
			if err := srv2.Start(); err != nil {
				t.Fatal(err)
			}
			waitReady(t, "http://"+addr)
			srv2.Process.Signal(os.Interrupt)
			srv2.Wait()

			d, err := db.Open(context.Background(), dbURL)
			if err != nil {
				t.Fatal(err)
			}
			defer d.Close()
			if d.Dialect == db.SQLite {
				var check string
				d.Read().QueryRowContext(context.Background(), `PRAGMA integrity_check`).Scan(&check)
				if check != "ok" {
					t.Fatalf("integrity_check: %s", check)
				}
			}
			missing := 0
			for id, orgName := range acked {
				var got string
				var audited int
				d.Read().QueryRowContext(context.Background(), `SELECT email FROM users WHERE id = $1`, id).Scan(&got)
				d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM audit_log WHERE record_type = 'user' AND record_id = $1`,
					fmt.Sprint(id)).Scan(&audited)
				if got != orgName || audited == 0 {
					missing++
				}
			}
			var stored, audits int
			d.Read().QueryRowContext(context.Background(), `SELECT COUNT(*) FROM users WHERE email LIKE 'crash%'`).Scan(&stored)
			d.Read().QueryRowContext(context.Background(), `SELECT COUNT(DISTINCT record_id) FROM audit_log WHERE record_type = 'user' AND action = 'create' AND after_json LIKE '%crash%'`).Scan(&audits)
			t.Logf("%d acknowledged, %d accounts stored, %d create entries in the audit log", len(acked), stored, audits)
			if missing > 0 {
				t.Fatalf("%d acknowledged creations are missing or unaudited after the crash", missing)
			}
			if stored != audits {
				t.Fatalf("%d accounts but %d creation audit entries: a change without its entry", stored, audits)
			}
		})
	}
}

func freeAddr(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
