package implementation

import (
	"fmt"
	"math"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/clusterobservatory/observatory/internal/user"
	"github.com/clusterobservatory/observatory/internal/web"
)

// The project timeline, drawn on the server as SVG: projects as bars
// between their dates, milestones as markers on their project's row (the
// plan's own row for milestones of the plan as a whole), a line at today.

// Geometry of the drawing, in SVG user units.
const (
	tlWidth  = 960
	tlLabel  = 220 // the column of project names
	tlRow    = 32
	tlTop    = 28 // room for the month ticks
	tlMarker = 7
)

// Bar is one project (or the plan) on the timeline.
type Bar struct {
	Label      string
	Short      string // the label cut to fit its column
	StartsOn   string
	EndsOn     string
	X, W, Y    float64
	TextY      float64
	Milestones []Marker
}

// Marker is a milestone on its row.
type Marker struct {
	Title  string
	Due    string
	Status Status
	X, Y   float64
	Points string // the diamond's polygon
}

// Tick is the start of a quarter on the axis.
type Tick struct {
	Label string
	X     float64
}

// TimelineData is the timeline page's data.
type TimelineData struct {
	Base
	Width, Height float64
	Bars          []Bar
	Ticks         []Tick
	Today         float64
	ShowToday     bool
	Milestones    []MilestoneState
}

// HandleTimeline draws the baseline's projects and milestones.
func HandleTimeline(s *Store, rd *web.Renderer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, err := pathID(r)
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		ws, ms, err := s.FindMilestones(r.Context(), user.ActorFrom(r.Context()), id, today())
		if err != nil {
			rd.Error(w, r, err)
			return
		}
		d := &TimelineData{Base: Base{W: ws, Tab: "timeline", loc: web.Localizer(r)}, Milestones: ms}
		if ws.Baseline != nil {
			d.layout(ms, today())
		}
		render(w, r, rd, http.StatusOK, &d.Base, "timeline", d)
	})
}

// layout places the bars, markers, ticks and today's line.
func (d *TimelineData) layout(ms []MilestoneState, now time.Time) {
	c := d.W.Baseline
	start, err1 := time.Parse(time.DateOnly, c.StartsOn)
	end, err2 := time.Parse(time.DateOnly, c.EndsOn)
	if err1 != nil || err2 != nil || !end.After(start) {
		return
	}
	span := end.Sub(start).Hours()
	x := func(s string) float64 {
		t, err := time.Parse(time.DateOnly, s)
		if err != nil {
			return tlLabel
		}
		f := t.Sub(start).Hours() / span
		f = min(max(f, 0), 1)
		return math.Round((tlLabel+f*float64(tlWidth-tlLabel-10))*10) / 10
	}
	rows := []Bar{{Label: d.W.Plan.Title, StartsOn: c.StartsOn, EndsOn: c.EndsOn}}
	for _, p := range c.Projects {
		rows = append(rows, Bar{Label: p.Title, StartsOn: p.StartsOn, EndsOn: p.EndsOn})
	}
	for i := range rows {
		b := &rows[i]
		b.Short = short(b.Label, 32)
		b.Y = float64(tlTop + i*tlRow + 6)
		b.TextY = b.Y + 14
		b.X = x(b.StartsOn)
		b.W = max(x(b.EndsOn)-b.X, 2)
	}
	for i, m := range ms {
		row := c.Milestones[i].Project
		if row < 0 || row >= len(rows) {
			row = 0
		}
		mx, my := x(m.Due), rows[row].Y+10
		rows[row].Milestones = append(rows[row].Milestones, Marker{Title: m.Title, Due: m.Due, Status: m.Status, X: mx, Y: my,
			Points: diamond(mx, my)})
	}
	d.Bars = rows
	d.Width, d.Height = tlWidth, float64(tlTop+len(rows)*tlRow+10)
	for q := PeriodOf(start); !q.Start().After(end); q = q.next() {
		if q.Start().Before(start) {
			continue
		}
		d.Ticks = append(d.Ticks, Tick{Label: q.String(), X: x(q.Start().Format(time.DateOnly))})
	}
	t := day(now)
	if !t.Before(start) && !t.After(end) {
		d.ShowToday, d.Today = true, x(t.Format(time.DateOnly))
	}
}

// diamond is the polygon of a milestone marker at (x, y).
func diamond(x, y float64) string {
	return fmt.Sprintf("%.1f,%.1f %.1f,%.1f %.1f,%.1f %.1f,%.1f", x, y-tlMarker, x+tlMarker, y, x, y+tlMarker, x-tlMarker, y)
}

// short cuts s to n characters, with an ellipsis when it is cut.
func short(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
