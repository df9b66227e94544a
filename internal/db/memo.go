package db

// Memo returns what build made for key the first time it was asked for on
// this database, for data that does not change while the program runs
// (reference names, say). It lives and goes with the DB value, so tests
// that open many databases do not pile it up. A failed build is not kept.
func (d *DB) Memo(key any, build func() (any, error)) (any, error) {
	if v, ok := d.memo.Load(key); ok {
		return v, nil
	}
	v, err := build()
	if err != nil {
		return nil, err
	}
	actual, _ := d.memo.LoadOrStore(key, v)
	return actual, nil
}

// Forget drops what Memo keeps under key, after the data behind it changed.
func (d *DB) Forget(key any) { d.memo.Delete(key) }
