package db

import (
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	_ "modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// sqlitePragmas make SQLite safe and quick for a web server: WAL lets reads
// run beside a write, NORMAL sync is durable across process crashes in WAL
// mode, and the busy timeout makes a writer wait rather than fail.
var sqlitePragmas = []string{
	"journal_mode(WAL)",
	"busy_timeout(10000)",
	"synchronous(NORMAL)",
	"foreign_keys(ON)",
	"cache_size(-32000)",
	"temp_store(MEMORY)",
}

func sqliteDSN(path string, immediate bool) string {
	q := url.Values{}
	for _, p := range sqlitePragmas {
		q.Add("_pragma", p)
	}
	if immediate {
		// BEGIN IMMEDIATE takes the write lock at the start, so two
		// transactions never deadlock upgrading from read to write.
		q.Set("_txlock", "immediate")
	}
	q.Set("_time_format", "sqlite")
	// The path is part of a URI: characters that URIs reserve must be escaped,
	// or a "#" in a folder name would silently cut the path short.
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	return "file:" + escaped + "?" + q.Encode()
}

func openSQLite(path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("sqlite: empty path")
	}
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("sqlite: %w", err)
		}
	}
	read, err := sql.Open("sqlite", sqliteDSN(path, false))
	if err != nil {
		return nil, err
	}
	read.SetMaxOpenConns(8)
	read.SetMaxIdleConns(8)
	write, err := sql.Open("sqlite", sqliteDSN(path, true))
	if err != nil {
		read.Close()
		return nil, err
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	return &DB{Dialect: SQLite, read: read, write: write, turn: make(chan struct{}, 1)}, nil
}
