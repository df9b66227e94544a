// Package importer imports organisations and cluster memberships in bulk
// from CSV and XLSX files: templates to fill in, a dry run that reports
// every problem by file, sheet, row and column, and an all-or-nothing
// commit.
//
// Reading. The format is sniffed from the content, not the name: a zip
// (PK\x03\x04) is read as an .xlsx workbook, an OLE2 file (.xls) is refused
// with advice, anything else is CSV. CSV text is decoded by its byte-order
// mark (UTF-8, UTF-16LE/BE), else as UTF-8 when valid, else as
// Windows-1252 (the superset of Latin-1 that Excel's plain "CSV" writes);
// the delimiter is whichever of comma, semicolon and tab occurs most often
// in the header line. Reports say which encoding and delimiter were used.
// Rows are numbered as a spreadsheet shows them (the header is row 1; blank
// lines count; a quoted value with line breaks stays in one row). Workbooks
// are streamed with excelize's Rows iterator, reading raw values; the sheet
// named after the kind is read, else the first.
//
// Formulas. A workbook cell holding a formula is refused ("paste values"),
// found by a second token scan of the sheet's XML because the iterator only
// gives a formula's cached result. In both formats a text value that would
// act as a formula when the data is later exported to a spreadsheet ("=…",
// or "+", "-", "@" before a function call such as +HYPERLINK( ) is refused
// too, to stop formula injection; a phone number "+1 868 …" or a name
// "-Tech" is not affected.
//
// ISIC codes. Classes are four digits; those of divisions 01–03 start with
// zero, which a spreadsheet drops when it takes the code for a number. A
// three-digit value is read as the class with a leading zero when that
// class exists; no class has three digits, so the reading is unambiguous.
// Two lost zeros (11 for 0011) are not guessed.
//
// Checks. Reference data (countries, areas, ISIC classes) is loaded once
// per file. Countries are found by ISO3, ISO2 or English name (case,
// accents, "St." and a leading "The" ignored); areas by ISO 3166-2 code or
// name within the row's country. Duplicates are the same normalised name in
// the same country, within the file (every row of the group is reported)
// or in the registry (read once for the file's countries); a row marked
// allow_duplicate=yes is exempt. Scope: an organisation row's country must
// pass the organisation write filter (user.OrgWriteFilter, evaluated on a
// row holding only the country); a membership's cluster must be readable
// (else "not found", so its existence does not leak) and writable, and its
// organisation readable or in one of the cluster's countries.
//
// Memberships are stored through cluster.Store.AddMembershipTx, so its
// rules (dates, archived records, overlapping periods with the registry and
// with earlier rows of the same file) apply unchanged. The dry run runs the
// same additions in a transaction that is always rolled back, each row under
// a savepoint so that a refused row is reported and the others still
// checked. Organisations are stored with multi-row INSERTs (25 rows a
// statement on SQLite, whose binding of numbered parameters grows with
// their square; 500 on PostgreSQL, where each statement is a round trip),
// with an audit entry per organisation through audit.Record.
//
// Dry run and commit. On the web the dry run keeps the uploaded file
// itself (gzip, in import_batches) under an unguessable token, for its
// owner only, for two hours. The commit re-reads that file and checks it
// again against the registry as it is then (someone may have added the same
// organisation meanwhile) before storing it: the person commits exactly the
// file they saw checked, without uploading it again, and no check is
// skipped because time passed. The batch is marked committed in the
// storing transaction, so a replayed commit stores nothing twice. Storing
// the parsed rows instead would need a versioned serial format and would
// still need the re-check. The API and the command line check and store in
// one call.
//
// Limits: 20 MB and 100,000 data rows a file; a workbook may expand to at
// most 512 MB when unzipped.
package importer
