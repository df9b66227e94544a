package campaign_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strings"
	"testing"

	"github.com/clusterobservatory/observatory/internal/campaign"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/db/dbtest"
	"github.com/clusterobservatory/observatory/internal/form"
	"github.com/clusterobservatory/observatory/internal/indicator"
	"github.com/clusterobservatory/observatory/internal/openrosa"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// filesCampaign is an open campaign of a form with an image question
// (photo) and a file question (report), answered by Negril Spice through
// its link.
type filesCampaign struct {
	w       *world
	d       *db.DB
	s       *campaign.Store
	staff   *user.User
	c       *campaign.Campaign
	token   string
	ref     string // the invitation as ODK Collect names it
	version int64
}

func openFilesCampaign(t *testing.T, d *db.DB) *filesCampaign {
	t.Helper()
	ctx := context.Background()
	w := newWorld(t, d)
	tpl, _ := form.StandardByName("firm_results")
	def := tpl.Definition()
	def.FormID, def.Title = "firm_photos", "Firm photos"
	label := func(s string) form.Text {
		l := form.Text{}
		for _, lang := range def.Languages {
			l[lang] = s
		}
		return l
	}
	def.Fields = append(def.Fields,
		form.Field{Name: "photo", Type: form.TypeImage, Label: label("Photo of the shop"), Path: "/firm_results/photo"},
		form.Field{Name: "report", Type: form.TypeFile, Label: label("Annual report"), Path: "/firm_results/report"})
	wb, err := form.WriteXLSForm(def)
	if err != nil {
		t.Fatal(err)
	}
	fs := form.NewStore(d, indicator.NewStore(d))
	imp, err := fs.Import(ctx, user.System, wb, "firm_photos.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := fs.SetPublished(ctx, user.System, imp.Version.ID, true); err != nil {
		t.Fatal(err)
	}
	fc := &filesCampaign{w: w, d: d, version: imp.Version.ID, s: campaign.NewStore(d, campaign.Options{BaseURL: w.e.Server.URL})}
	fc.staff = w.e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", w.bso))
	c, err := fc.s.CreateCampaign(ctx, fc.staff.Actor(), campaign.Input{Title: "Firm photos 2025", VersionID: fc.version, Period: "2025",
		OpensOn: day(-1), ClosesOn: day(30), Deadline: day(20), ClusterIDs: []int64{w.clusterB}})
	if err != nil {
		t.Fatal(err)
	}
	o, err := fc.s.OpenCampaign(ctx, fc.staff.Actor(), c.ID)
	if err != nil || len(o.Links) != 1 {
		t.Fatalf("open: %v %+v", err, o)
	}
	fc.c, fc.token, fc.ref = o.Campaign, o.Links[0].Token, fmt.Sprint("i", o.Links[0].InvitationID)
	return fc
}

// count runs a COUNT(*) query.
func (fc *filesCampaign) count(t *testing.T, q string, args ...any) (n int) {
	t.Helper()
	if err := fc.d.Read().QueryRowContext(context.Background(), q, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// otherOfficer is BSO staff of another BSO.
func (fc *filesCampaign) otherOfficer(t *testing.T) *user.User {
	other := exec(t, fc.d, `INSERT INTO organisations (kind, name, name_norm, country_iso3, created_at, updated_at)
		VALUES ('bso', 'Trinidad Export Agency', 'trinidad export agency', 'TTO', $1, $1)`, db.Now())
	return fc.w.e.CreateUser(user.BSOStaff, fmt.Sprintf("bso:%d", other))
}

// pngPhoto is a small real PNG picture.
func pngPhoto(t *testing.T) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for i := range img.Pix {
		img.Pix[i] = byte(i * 7)
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var (
	jpegPhoto = append([]byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00"), bytes.Repeat([]byte{0x5a}, 2000)...)
	pdfReport = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")
)

// pagePost is what the respondent page's script sends: the answers in the
// part "submission" and one part per file.
func (fc *filesCampaign) pagePost(t *testing.T, instance string, answers map[string]any, files map[string][]byte) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="submission"; filename="submission.json"`)
	h.Set("Content-Type", "application/json")
	pw, _ := mw.CreatePart(h)
	json.NewEncoder(pw).Encode(map[string]any{"instance_id": instance, "version_id": fc.version, "answers": answers})
	for name, data := range files {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", fmt.Sprintf(`form-data; name=%q; filename=%q`, name, name))
		h.Set("Content-Type", "image/png") // what the browser claims is not believed
		pw, _ := mw.CreatePart(h)
		pw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest("POST", fc.w.e.Server.URL+"/r/"+fc.token+"/submissions", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return req
}

func photoAnswers() map[string]any {
	a := pageAnswers(5)
	a["photo"], a["report"] = "photo-shop.png", "report-accounts.pdf"
	return a
}

func TestSubmissionFilesWeb(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		fc := openFilesCampaign(t, d)
		e := fc.w.e
		photo := pngPhoto(t)

		// Refused files: nothing is stored, and the message names the file.
		huge := append(append([]byte{}, photo...), make([]byte, campaign.MaxFileBytes)...)
		if r := e.Do(http.DefaultClient, fc.pagePost(t, campaign.NewInstanceID(), photoAnswers(), map[string][]byte{"photo-shop.png": huge})); r.StatusCode != http.StatusRequestEntityTooLarge ||
			!strings.Contains(r.Body, "photo-shop.png") {
			t.Errorf("oversize: %d %s", r.StatusCode, r.Body)
		}
		page := []byte("<!DOCTYPE html><html><script>alert(1)</script></html>")
		if r := e.Do(http.DefaultClient, fc.pagePost(t, campaign.NewInstanceID(), photoAnswers(), map[string][]byte{"photo-shop.png": page})); r.StatusCode != http.StatusUnsupportedMediaType ||
			!strings.Contains(r.Body, "photo-shop.png") {
			t.Errorf("web page as a photo: %d %s", r.StatusCode, r.Body)
		}
		if n := fc.count(t, `SELECT COUNT(*) FROM submissions`) + fc.count(t, `SELECT COUNT(*) FROM submission_files`); n != 0 {
			t.Errorf("%d rows after refusals", n)
		}

		// The photo is sent; the report is named but not sent.
		first := campaign.NewInstanceID()
		r := e.Do(http.DefaultClient, fc.pagePost(t, first, photoAnswers(), map[string][]byte{"photo-shop.png": photo}))
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("submit: %d %s", r.StatusCode, r.Body)
		}
		var got campaign.PageSubmitted
		json.Unmarshal([]byte(r.Body), &got)
		sub, err := fc.s.FindSubmission(ctx, fc.staff.Actor(), got.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(sub.Attachments) != 2 || sub.Attachments[0].Name != "photo-shop.png" || sub.Attachments[0].ContentType != "image/png" ||
			sub.Attachments[0].Size != int64(len(photo)) || sub.Attachments[0].Missing || !sub.Attachments[1].Missing {
			t.Errorf("attachments %+v", sub.Attachments)
		}
		// A retry stores nothing new.
		if r := e.Do(http.DefaultClient, fc.pagePost(t, first, photoAnswers(), map[string][]byte{"photo-shop.png": photo})); r.StatusCode != http.StatusOK {
			t.Errorf("retry: %d %s", r.StatusCode, r.Body)
		}
		if n := fc.count(t, `SELECT COUNT(*) FROM submission_files`); n != 1 {
			t.Errorf("%d files stored", n)
		}

		// Staff see the files on the submission's page and download them.
		b := e.Browser(fc.staff)
		subPage := fmt.Sprintf("/submissions/%d", sub.ID)
		r = e.Get(b, subPage)
		for _, want := range []string{`href="` + subPage + `/files/photo-shop.png"`, `src="` + subPage + `/files/photo-shop.png?inline=1"`,
			"report-accounts.pdf", "Named in the answers but not received"} {
			if !strings.Contains(r.Body, want) {
				t.Errorf("the submission page lacks %s", want)
			}
		}
		r = e.Get(b, subPage+"/files/photo-shop.png")
		if r.StatusCode != 200 || r.Body != string(photo) || r.Header.Get("Content-Type") != "image/png" ||
			r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("Content-Disposition") != `attachment; filename=photo-shop.png` {
			t.Errorf("download: %d %v (%d bytes)", r.StatusCode, r.Header, len(r.Body))
		}
		if r := e.Get(b, subPage+"/files/photo-shop.png?inline=1"); !strings.HasPrefix(r.Header.Get("Content-Disposition"), "inline") {
			t.Errorf("thumbnail: %v", r.Header)
		}
		if r := e.Get(b, subPage+"/files/report-accounts.pdf"); r.StatusCode != 404 {
			t.Errorf("missing file: %d", r.StatusCode)
		}
		token := e.Token(fc.staff)
		if r := e.API("GET", "/api/v1"+subPage+"/files/photo-shop.png", token, nil); r.StatusCode != 200 || r.Body != string(photo) {
			t.Errorf("API download: %d", r.StatusCode)
		}
		if r := e.API("GET", "/api/v1"+subPage+"/files/photo-shop.png", "", nil); r.StatusCode != 401 {
			t.Errorf("API without a token: %d", r.StatusCode)
		}

		// Another BSO's officer finds nothing.
		other := fc.otherOfficer(t)
		if r := e.Get(e.Browser(other), subPage+"/files/photo-shop.png"); r.StatusCode != 404 || strings.Contains(r.Body, string(photo[:8])) {
			t.Errorf("other BSO, page: %d", r.StatusCode)
		}
		if r := e.API("GET", "/api/v1"+subPage+"/files/photo-shop.png", e.Token(other), nil); r.StatusCode != 404 {
			t.Errorf("other BSO, API: %d", r.StatusCode)
		}

		// Answering again is an edit: the photo named again but not sent
		// is kept, the report now sent is stored.
		r = e.Do(http.DefaultClient, fc.pagePost(t, campaign.NewInstanceID(), photoAnswers(), map[string][]byte{"report-accounts.pdf": pdfReport}))
		if r.StatusCode != http.StatusCreated {
			t.Fatalf("edit: %d %s", r.StatusCode, r.Body)
		}
		json.Unmarshal([]byte(r.Body), &got)
		edited, _ := fc.s.FindSubmission(ctx, fc.staff.Actor(), got.ID)
		if len(edited.Attachments) != 2 || edited.Attachments[0].Missing || edited.Attachments[1].Missing ||
			edited.Attachments[1].SHA256 != sub.Attachments[0].SHA256 {
			t.Errorf("edit's attachments %+v", edited.Attachments)
		}
		editPage := fmt.Sprintf("/submissions/%d", edited.ID)
		if r := e.Get(b, editPage+"/files/photo-shop.png"); r.StatusCode != 200 || r.Body != string(photo) {
			t.Errorf("kept photo: %d", r.StatusCode)
		}
		if r := e.Get(b, editPage+"/files/report-accounts.pdf"); r.StatusCode != 200 || r.Body != string(pdfReport) ||
			r.Header.Get("Content-Type") != "application/pdf" {
			t.Errorf("report: %d %v", r.StatusCode, r.Header)
		}
		// The replaced submission keeps its own copy.
		if r := e.Get(b, subPage+"/files/photo-shop.png"); r.StatusCode != 200 || r.Body != string(photo) {
			t.Errorf("replaced submission's photo: %d", r.StatusCode)
		}

		// A staff edit does not show the files and keeps them.
		form := answersForm(campaign.NewInstanceID(), "6")
		r = e.PostForm(b, editPage+"/edit", form)
		if r.StatusCode != http.StatusSeeOther {
			t.Fatalf("staff edit: %d %s", r.StatusCode, r.Body)
		}
		staffPage := r.Header.Get("Location")
		for name, want := range map[string][]byte{"photo-shop.png": photo, "report-accounts.pdf": pdfReport} {
			if r := e.Get(b, staffPage+"/files/"+url.PathEscape(name)); r.StatusCode != 200 || r.Body != string(want) {
				t.Errorf("staff edit lost %s: %d", name, r.StatusCode)
			}
		}
	})
}

// collectFiles builds an ODK Collect request: the instance, the files,
// and the flag of a split submission's earlier parts.
func collectFiles(t *testing.T, url, name, secret, xml string, files map[string][]byte, incomplete bool) *http.Request {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	part, _ := mw.CreateFormFile("xml_submission_file", "instance.xml")
	part.Write([]byte(xml))
	for n, data := range files {
		part, _ := mw.CreateFormFile(n, n)
		part.Write(data)
	}
	if incomplete {
		mw.WriteField("*isIncomplete*", "yes")
	}
	mw.Close()
	r, _ := http.NewRequest(http.MethodPost, url+"/submission", &body)
	r.Header.Set("Content-Type", mw.FormDataContentType())
	r.Header.Set("X-OpenRosa-Version", "1.0")
	r.SetBasicAuth(name, secret)
	return r
}

// photoInstance is the firm survey with a photo and a report, as ODK
// Collect writes it; deprecated names the instance an edit replaces.
func photoInstance(ref, instanceID, deprecated string) string {
	xml := strings.Replace(collectInstance(ref, instanceID, "12"), `<firm_results xmlns:orx="http://openrosa.org/xforms" id="firm_results" version="2026.1">`,
		`<firm_photos xmlns:orx="http://openrosa.org/xforms" id="firm_photos" version="2026.1">`, 1)
	xml = strings.Replace(xml, "</firm_results>", "</firm_photos>", 1)
	meta := "<orx:meta>"
	if deprecated != "" {
		meta += "<orx:deprecatedID>" + deprecated + "</orx:deprecatedID>"
	}
	return strings.Replace(xml, "<orx:meta>", "<photo>shop.jpg</photo><report>accounts.pdf</report>"+meta, 1)
}

func TestSubmissionFilesOpenRosa(t *testing.T) {
	dbtest.Engines(t, func(t *testing.T, d *db.DB) {
		ctx := context.Background()
		fc := openFilesCampaign(t, d)
		actor := fc.staff.Actor()
		_, secret, err := fc.s.CreateAppUser(ctx, actor, fc.c.ID, "Officer 1")
		if err != nil {
			t.Fatal(err)
		}
		base := fc.w.e.Server.URL + "/openrosa/" + fc.c.Key
		send := func(xml string, files map[string][]byte, incomplete bool) (int, string) {
			t.Helper()
			r := fc.w.e.Do(http.DefaultClient, collectFiles(t, base, "Officer 1", secret, xml, files, incomplete))
			return r.StatusCode, r.Body
		}
		files := func(q string, args ...any) int {
			return fc.count(t, `SELECT COUNT(*) FROM submission_files`+q, args...)
		}

		// Refused: a program as the photo, a file over the limit.
		bad := photoInstance(fc.ref, campaign.NewInstanceID(), "")
		if code, body := send(bad, map[string][]byte{"shop.jpg": []byte("MZ\x90\x00 a program")}, false); code != 422 || !strings.Contains(body, "shop.jpg") {
			t.Errorf("program: %d %s", code, body)
		}
		if code, body := send(bad, map[string][]byte{"shop.jpg": make([]byte, openrosa.MaxAttachmentBytes+1)}, false); code != 413 || !strings.Contains(body, "shop.jpg") {
			t.Errorf("oversize: %d %s", code, body)
		}
		if n := fc.count(t, `SELECT COUNT(*) FROM submissions`) + files(""); n != 0 {
			t.Errorf("%d rows after refusals", n)
		}

		// A split submission: the photo first, flagged incomplete, then
		// the report in a second request with the same instance. Each part
		// is 201, as ODK Collect needs; a part sent twice changes nothing.
		id := campaign.NewInstanceID()
		xml := photoInstance(fc.ref, id, "")
		if code, body := send(xml, map[string][]byte{"shop.jpg": jpegPhoto}, true); code != 201 || !strings.Contains(body, "Files still to come: 1") {
			t.Fatalf("first part: %d %s", code, body)
		}
		if code, _ := send(xml, map[string][]byte{"shop.jpg": jpegPhoto}, true); code != 201 || files("") != 1 {
			t.Errorf("first part again: %d, %d files", code, files(""))
		}
		// A part no question names is left aside.
		if code, body := send(xml, map[string][]byte{"accounts.pdf": pdfReport, "stray.jpg": jpegPhoto}, false); code != 201 || strings.Contains(body, "still to come") {
			t.Fatalf("second part: %d %s", code, body)
		}
		var subID int64
		d.Read().QueryRowContext(ctx, `SELECT id FROM submissions WHERE instance_id = $1`, id).Scan(&subID)
		if n := files(" WHERE submission_id = $1", subID); n != 2 || fc.count(t, `SELECT COUNT(*) FROM submissions`) != 1 {
			t.Fatalf("%d files of the split submission", n)
		}
		sub, _ := fc.s.FindSubmission(ctx, actor, subID)
		for _, a := range sub.Attachments {
			if a.Missing {
				t.Errorf("still missing after the last part: %+v", a)
			}
		}
		// The same file name with other content is a conflict.
		if code, body := send(xml, map[string][]byte{"shop.jpg": append([]byte("\xff\xd8\xff\xe1"), 1, 2, 3)}, false); code != 409 || !strings.Contains(body, "shop.jpg") {
			t.Errorf("other content under a stored name: %d %s", code, body)
		}
		f, err := fc.s.SubmissionFile(ctx, actor, subID, "shop.jpg")
		if err != nil || !bytes.Equal(f.Data, jpegPhoto) || f.ContentType != "image/jpeg" {
			t.Fatalf("stored photo: %v %+v", err, f)
		}

		// An edit from Collect sends the changed report only; the photo is
		// kept from the submission it replaces.
		newReport := append([]byte("%PDF-1.7\n% corrected\n"), pdfReport[9:]...)
		if code, body := send(photoInstance(fc.ref, campaign.NewInstanceID(), id), map[string][]byte{"accounts.pdf": newReport}, false); code != 201 {
			t.Fatalf("edit: %d %s", code, body)
		}
		var editID int64
		d.Read().QueryRowContext(ctx, `SELECT id FROM submissions WHERE deprecated_id = $1`, id).Scan(&editID)
		if f, err := fc.s.SubmissionFile(ctx, actor, editID, "shop.jpg"); err != nil || !bytes.Equal(f.Data, jpegPhoto) {
			t.Errorf("edit lost the photo: %v", err)
		}
		if f, err := fc.s.SubmissionFile(ctx, actor, editID, "accounts.pdf"); err != nil || !bytes.Equal(f.Data, newReport) {
			t.Errorf("edit's report: %v", err)
		}

		// Another BSO's officer finds nothing.
		if _, err := fc.s.SubmissionFile(ctx, fc.otherOfficer(t).Actor(), subID, "shop.jpg"); !problem.Is(err, problem.NotFound) {
			t.Errorf("other BSO: %v", err)
		}
	})
}
