package campaign

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strings"

	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/openrosa"
	"github.com/clusterobservatory/observatory/internal/problem"
)

// Limits of the files kept with a submission. A submission's files may
// arrive over several requests (ODK Collect splits large ones); the total
// counts them all.
const (
	MaxFileBytes  = openrosa.MaxAttachmentBytes
	MaxFilesBytes = 100 << 20
	MaxFiles      = 100
)

// PathName is the file's name as a URL path segment.
func (a Attachment) PathName() string { return url.PathEscape(a.Name) }

// Inline reports whether the file is a picture a browser shows in the page
// (a thumbnail); everything else is only downloaded.
func (a Attachment) Inline() bool { return !a.Missing && inlineType(a.ContentType) }

// SizeKey and SizeValue say the file's size in a readable unit: the
// message key of the unit and the number to put in it.
func (a Attachment) SizeKey() string {
	switch {
	case a.Size >= 1<<20:
		return "campaignfiles.size_mb"
	case a.Size >= 1<<10:
		return "campaignfiles.size_kb"
	}
	return "campaignfiles.size_bytes"
}

// SizeValue is the number that goes with SizeKey.
func (a Attachment) SizeValue() float64 {
	switch {
	case a.Size >= 1<<20:
		return float64(a.Size) / (1 << 20)
	case a.Size >= 1<<10:
		return float64(a.Size) / (1 << 10)
	}
	return float64(a.Size)
}

// SizeDecimals is how many decimals SizeValue is shown with.
func (a Attachment) SizeDecimals() int {
	if a.Size < 1<<10 {
		return 0
	}
	return 1
}

func inlineType(ct string) bool {
	switch ct {
	case "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "image/avif":
		return true
	}
	return false
}

// refusedExtensions are names a downloaded file must not carry whatever it
// holds: a browser or desktop would open them as a page or a program.
var refusedExtensions = []string{".htm", ".html", ".xhtml", ".shtml", ".svg", ".svgz", ".xml", ".js", ".mjs", ".hta", ".exe",
	".com", ".bat", ".cmd", ".scr", ".pif", ".msi", ".dll", ".ps1", ".vbs", ".vbe", ".wsf", ".jar", ".apk", ".sh", ".php", ".lnk"}

// attachmentProblem is a refusal of one file, naming it; unsupported marks a
// content type not taken (415 on the respondent page).
func attachmentProblem(kind problem.Kind, unsupported bool, name, format string, args ...any) error {
	msg := fmt.Sprintf(format, args...)
	e := &problem.Error{Kind: kind, Message: msg, Details: []problem.Detail{{File: name, Message: msg}}}
	if unsupported {
		e.Err = errUnsupportedMedia
	}
	return e
}

// plainFileName reports whether s names a file without any folder.
func plainFileName(s string) bool {
	return s != "" && s == path.Base(s) && s != "." && s != ".." && !strings.ContainsAny(s, "\\\x00") && len(s) <= 255 &&
		!strings.ContainsFunc(s, func(r rune) bool { return r < 32 || r == 127 })
}

// checkAttachment reads a file's type from its content (never its declared type)
// and refuses it when it is empty, too large, a program or a web page, or
// of a kind not taken. It returns the content type.
func checkAttachment(name string, data []byte) (string, error) {
	if !plainFileName(name) {
		return "", attachmentProblem(problem.Invalid, false, name, "The file name %q is not a plain file name.", name)
	}
	if len(data) == 0 {
		return "", attachmentProblem(problem.Invalid, false, name, "The file %s is empty.", name)
	}
	if len(data) > MaxFileBytes {
		return "", attachmentProblem(problem.TooLarge, false, name, "The file %s is larger than %d MB; send a smaller file.", name, MaxFileBytes>>20)
	}
	ext := strings.ToLower(path.Ext(name))
	if slices.Contains(refusedExtensions, ext) {
		return "", attachmentProblem(problem.Invalid, true, name, "The file %s is refused: files ending in %s are not taken.", name, ext)
	}
	ct := sniffAttachment(ext, data)
	switch ct {
	case "":
		return "", attachmentProblem(problem.Invalid, true, name, "The file %s is of a kind that is not taken; send a photo (JPEG, PNG, "+
			"WebP, HEIC), a PDF, a recording (audio or video), a text or CSV file, or an office document.", name)
	case "executable":
		return "", attachmentProblem(problem.Invalid, true, name, "The file %s is a program; programs are not taken.", name)
	case "markup":
		return "", attachmentProblem(problem.Invalid, true, name, "The file %s is a web page or markup; it is not taken.", name)
	}
	return ct, nil
}

// sniffAttachment names the content type of data from its first bytes, with the
// extension deciding only between kinds that share a container (office
// documents in ZIP or OLE files, MP4 audio and video, 3GPP). It returns
// "executable" or "markup" for refused content and "" for anything else
// not taken.
func sniffAttachment(ext string, data []byte) string {
	head := data[:min(len(data), 512)]
	switch {
	case bytes.HasPrefix(head, []byte("MZ")), bytes.HasPrefix(head, []byte("\x7fELF")),
		bytes.HasPrefix(head, []byte("\xfe\xed\xfa")), bytes.HasPrefix(head, []byte("\xce\xfa\xed\xfe")),
		bytes.HasPrefix(head, []byte("\xcf\xfa\xed\xfe")), bytes.HasPrefix(head, []byte("\xca\xfe\xba\xbe")),
		bytes.HasPrefix(head, []byte("#!")) && !bytes.HasPrefix(head, []byte("#!AMR")):
		return "executable"
	case bytes.HasPrefix(head, []byte("#!AMR")):
		return "audio/amr"
	case bytes.HasPrefix(head, []byte("fLaC")):
		return "audio/flac"
	case len(head) >= 12 && string(head[4:8]) == "ftyp":
		return isoMediaType(string(head[8:12]), ext)
	case bytes.HasPrefix(head, []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")):
		return map[string]string{".xls": "application/vnd.ms-excel", ".doc": "application/msword"}[ext]
	}
	ct := http.DetectContentType(data)
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		ct = ct[:i]
	}
	switch ct {
	case "image/jpeg", "image/png", "image/gif", "image/webp", "image/bmp", "application/pdf", "audio/mpeg", "audio/wave",
		"audio/aiff", "video/webm", "video/avi":
		return ct
	case "application/ogg":
		return "audio/ogg"
	case "application/zip":
		return map[string]string{
			".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
			".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
			".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
			".ods":  "application/vnd.oasis.opendocument.spreadsheet",
			".odt":  "application/vnd.oasis.opendocument.text"}[ext]
	case "text/html", "text/xml":
		return "markup"
	case "text/plain":
		switch ext {
		case "", ".txt":
			return "text/plain"
		case ".csv":
			return "text/csv"
		}
	}
	return ""
}

// isoMediaType names an ISO media file (MP4 and its kin) by its brand.
func isoMediaType(brand, ext string) string {
	switch {
	case slices.Contains([]string{"heic", "heix", "hevc", "hevx", "heim", "heis"}, brand):
		return "image/heic"
	case brand == "mif1" || brand == "msf1":
		return "image/heif"
	case brand == "avif" || brand == "avis":
		return "image/avif"
	case strings.HasPrefix(brand, "3gp") || strings.HasPrefix(brand, "3g2"):
		if ext == ".3gpp" || ext == ".3ga" {
			return "audio/3gpp"
		}
		return "video/3gpp"
	case brand == "M4A " || brand == "M4B ":
		return "audio/mp4"
	case brand == "qt  ":
		return "video/quicktime"
	case slices.Contains([]string{"isom", "iso2", "iso4", "iso5", "iso6", "mp41", "mp42", "avc1", "M4V ", "dash", "MSNV"}, brand):
		if ext == ".m4a" {
			return "audio/mp4"
		}
		return "video/mp4"
	}
	return ""
}

// prepareFiles checks the files of a submission and sets what the server
// computes: the type read from the content, the size and the SHA-256. A
// file named without its content is marked missing.
func prepareFiles(atts []Attachment) error {
	if len(atts) > MaxFiles {
		return problem.New(problem.Invalid, "A submission may name at most %d files.", MaxFiles)
	}
	seen := make(map[string]bool, len(atts))
	var total int64
	for i := range atts {
		a := &atts[i]
		if seen[a.Name] {
			return attachmentProblem(problem.Invalid, false, a.Name, "The file %s is named twice.", a.Name)
		}
		seen[a.Name] = true
		if a.Data == nil {
			if !plainFileName(a.Name) {
				return attachmentProblem(problem.Invalid, false, a.Name, "The file name %q is not a plain file name.", a.Name)
			}
			*a = Attachment{Name: a.Name, Missing: true}
			continue
		}
		ct, err := checkAttachment(a.Name, a.Data)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(a.Data)
		a.ContentType, a.Size, a.SHA256, a.Missing = ct, int64(len(a.Data)), hex.EncodeToString(sum[:]), false
		total += a.Size
	}
	if total > MaxFilesBytes {
		return problem.New(problem.TooLarge, "The files of a submission may hold at most %d MB together; these hold %d MB.",
			MaxFilesBytes>>20, total>>20)
	}
	return nil
}

// anyFileData reports whether any file comes with its content.
func anyFileData(atts []Attachment) bool {
	return slices.ContainsFunc(atts, func(a Attachment) bool { return a.Data != nil })
}

// inheritFiles completes an edit's files from the submission it replaces
// (prevJSON, its stored file list): a file the edit names, in its list or
// in an answer, without sending it keeps the replaced submission's copy
// (or stays missing). It returns the edit's files and the names whose
// stored copy is carried.
func inheritFiles(atts []Attachment, prevJSON string, answers []byte) ([]Attachment, []string, error) {
	if prevJSON == "" || prevJSON == "[]" {
		return atts, nil, nil
	}
	var prev []Attachment
	if json.Unmarshal([]byte(prevJSON), &prev) != nil || len(prev) == 0 {
		return atts, nil, nil
	}
	byName := make(map[string]Attachment, len(prev))
	for _, p := range prev {
		byName[p.Name] = p
	}
	var carry []string
	listed := make(map[string]bool, len(atts))
	out := make([]Attachment, 0, len(atts)+len(prev))
	for _, a := range atts {
		listed[a.Name] = true
		if p, ok := byName[a.Name]; ok && a.Missing && !p.Missing {
			a = p
			carry = append(carry, a.Name)
		}
		out = append(out, a)
	}
	named := map[string]bool{}
	fileAnswers(decodeAnswers(answers), named)
	for _, p := range prev {
		if listed[p.Name] || !named[p.Name] {
			continue
		}
		out = append(out, p)
		if !p.Missing {
			carry = append(carry, p.Name)
		}
	}
	if total := storedFileBytes(out); total > MaxFilesBytes {
		return nil, nil, problem.New(problem.TooLarge, "The files of a submission may hold at most %d MB together; with the files kept "+
			"from the edited submission these hold %d MB.", MaxFilesBytes>>20, total>>20)
	}
	return out, carry, nil
}

func storedFileBytes(atts []Attachment) (n int64) {
	for _, a := range atts {
		if !a.Missing {
			n += a.Size
		}
	}
	return n
}

// FileFieldNames lists the file names the answers give to the form's image
// and file fields, at any depth, in form order, each once.
func FileFieldNames(def *form.Definition, answers map[string]any) []string {
	fields := map[string]bool{}
	for _, f := range def.Fields {
		if f.Type == form.TypeImage || f.Type == form.TypeFile {
			fields[f.Name] = true
		}
	}
	if len(fields) == 0 {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	var walk func(m map[string]any)
	walk = func(m map[string]any) {
		for _, f := range def.Fields {
			switch x := m[f.Name].(type) {
			case string:
				if fields[f.Name] && x != "" && !seen[x] {
					seen[x] = true
					out = append(out, x)
				}
			case []any:
				for _, row := range x {
					if r, ok := row.(map[string]any); ok {
						walk(r)
					}
				}
			}
		}
	}
	walk(answers)
	return out
}

// withNamedFiles lists every file the answers name: the sent ones with their
// content, the others without (they are then marked missing). Sent files
// come first in the order received.
func withNamedFiles(named []string, sent []Attachment) []Attachment {
	out := slices.Clone(sent)
	for _, n := range named {
		if !slices.ContainsFunc(sent, func(a Attachment) bool { return a.Name == n }) {
			out = append(out, Attachment{Name: n})
		}
	}
	return out
}

// missingFiles counts the files named but not received.
func missingFiles(atts []Attachment) (n int) {
	for _, a := range atts {
		if a.Missing {
			n++
		}
	}
	return n
}

// attachmentNames lists file names for a download cell, separated by
// "; ", with the ones not received marked.
func attachmentNames(atts []Attachment) string {
	names := make([]string, len(atts))
	for i, a := range atts {
		names[i] = a.Name
		if a.Missing {
			names[i] += " (missing)"
		}
	}
	return strings.Join(names, "; ")
}

// keepFileAnswers copies the image and file answers of the submission's
// own fields from before into after: the staff edit page does not show
// them, and an edit keeps its files.
func keepFileAnswers(def *form.Definition, before, after map[string]any) {
	for _, f := range def.Fields {
		if f.Type != form.TypeImage && f.Type != form.TypeFile || f.Repeat != "" {
			continue
		}
		if v, ok := before[f.Name]; ok {
			if _, set := after[f.Name]; !set {
				after[f.Name] = v
			}
		}
	}
}
