package event

import (
	"errors"
	"io"
	"net/http"
	"path"
	"strings"

	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// AttendanceData is the attendance upload page's data.
type AttendanceData struct {
	Event     *Event
	Columns   string
	SetTotals bool
	File      string
	Problems  []problem.Detail
	Message   string
}

// HandleAttendanceForm shows the form that uploads an event's attendance
// as CSV.
func HandleAttendanceForm(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		renderAttendance(w, r, rd, http.StatusOK, &AttendanceData{Event: e, SetTotals: true})
	})
}

// HandleAttendanceUpload replaces an event's attendee list with an
// uploaded CSV file; with any bad row nothing is stored and every problem
// is listed by line and column.
func HandleAttendanceUpload(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		e, err := s.editable(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &AttendanceData{Event: e}
		name, data, err := readUpload(w, r)
		d.SetTotals, d.File = r.PostFormValue("set_totals") != "", name
		if err == nil {
			_, err = s.ImportAttendance(r.Context(), user.ActorFrom(r.Context()), e.ID, name, data, d.SetTotals)
		}
		if err != nil {
			p := problem.As(err)
			if p == nil || (p.Kind != problem.Invalid && p.Kind != problem.TooLarge) {
				rd.Error(w, r, err)
				return
			}
			d.Message, d.Problems = p.Message, p.Details
			renderAttendance(w, r, rd, p.Kind.Status(), d)
			return
		}
		web.Flash(w, web.Localizer(r).T("event.flash.attendance"))
		http.Redirect(w, r, eventPath(e.ID)+"#attendees", http.StatusSeeOther)
	})
}

// readUpload reads the multipart form's file.
func readUpload(w http.ResponseWriter, r *http.Request) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, MaxCSVBytes+1<<20)
	if err := r.ParseMultipartForm(MaxCSVBytes + 1<<20); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return "", nil, problem.New(problem.TooLarge, "The file is larger than %d MB.", MaxCSVBytes>>20)
		}
		return "", nil, (&problem.Fields{{Field: "file", Message: "Send the form as multipart/form-data with the file in the field \"file\"."}}).Err()
	}
	defer r.MultipartForm.RemoveAll()
	file, header, err := r.FormFile("file")
	if err != nil {
		return "", nil, (&problem.Fields{{Field: "file", Message: "Choose a CSV file of attendance."}}).Err()
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, MaxCSVBytes+1))
	if err != nil {
		return "", nil, err
	}
	return path.Base(strings.ReplaceAll(header.Filename, `\`, "/")), data, nil
}

func renderAttendance(w http.ResponseWriter, r *http.Request, rd *web.Renderer, status int, d *AttendanceData) {
	loc := web.Localizer(r)
	d.Columns = CSVColumns
	p := rd.NewPage(r, loc.T("event.attendance_title", "title", d.Event.Title), d)
	p.Section = section
	p.Crumbs = eventCrumbs(loc, d.Event, web.Crumb{Label: loc.T("event.upload_link")})
	rd.Render(w, r, status, "event/attendance", p)
}
