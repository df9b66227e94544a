package importer

import (
	"testing"
)

// FuzzCSVReader feeds arbitrary bytes to the file reader: it must never
// panic, always name a format for readable text, and number rows upwards.
func FuzzCSVReader(f *testing.F) {
	f.Add([]byte("name,kind,country\nAcme,firm,JAM\n"))
	f.Add([]byte("\xef\xbb\xbfname;kind;country\n\"Caf\xc3\xa9\";firm;JM\n"))
	f.Add([]byte("\xff\xfen\x00a\x00m\x00e\x00\n\x00"))
	f.Add([]byte("name\tkind\n\"a\"\"b\tc\n\n\nx"))
	f.Add([]byte("PK\x03\x04garbage"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep := newReport(Organisations, "fuzz.csv")
		last := 0
		scan(rep, data, func(rec *record) {
			if rec.row <= last {
				t.Fatalf("row %d after row %d", rec.row, last)
			}
			last = rec.row
			if len(rec.vals) != len(Organisations.Columns()) {
				t.Fatalf("%d values", len(rec.vals))
			}
		})
		rep.finish()
		if rep.Valid > rep.Rows || rep.Rows > MaxRows+1 {
			t.Fatalf("rows %d valid %d", rep.Rows, rep.Valid)
		}
	})
}
