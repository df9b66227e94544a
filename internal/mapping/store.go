package mapping

import "github.com/clusterobservatory/observatory/internal/db"

// Store keeps definition sets and employment datasets. They are reference
// material read by every signed-in person (see access.go); writes check
// MayImport and MayChange.
type Store struct {
	db *db.DB
}

// NewStore returns a store on d.
func NewStore(d *db.DB) *Store { return &Store{db: d} }

// DB is the store's database.
func (s *Store) DB() *db.DB { return s.db }
