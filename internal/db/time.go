package db

import "time"

// Now is the current time in UTC truncated to microseconds, the precision
// both engines store, so a value read back equals the value written.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }
