package demo

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/clusterobservatory/observatory/internal/audit"
	clusterdomain "github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/event"
	"github.com/clusterobservatory/observatory/internal/user"
)

// The events of the cluster initiatives from 2021 to 2025: a few a year for
// every initiative working that year, of every type, organised by its lead
// BSO, with 3 to 15 current members attending and a few more people
// counted only in the totals; some are shared by two initiatives of the
// same sector, and trade missions go abroad. They are recorded through the
// event store, so that its checks and audit entries are the real ones.

// eventYears are the years events are generated for.
var eventYears = []int{2021, 2022, 2023, 2024, 2025}

// eventTypes are the types with their relative frequency.
var eventTypes = []struct {
	typ    event.Type
	weight float64
	days   [2]int // shortest and longest duration, in days
}{
	{event.TypeMeeting, 30, [2]int{1, 1}}, {event.TypeWorkshop, 22, [2]int{1, 2}}, {event.TypeTraining, 20, [2]int{1, 3}},
	{event.TypeTradeMission, 7, [2]int{3, 5}}, {event.TypeMatchmaking, 13, [2]int{1, 2}}, {event.TypeOther, 8, [2]int{1, 1}},
}

// eventTitles are title templates by type, in the four languages: %s is
// the initiative's name (and, for a trade mission, first the city).
var eventTitles = map[event.Type][]text{
	event.TypeMeeting: {
		{"Members' meeting of the %s", "Reunión de miembros del %s", "Réunion des membres du %s", "Ledenvergadering van %s"},
		{"Annual general meeting of the %s", "Asamblea anual del %s", "Assemblée générale annuelle du %s", "Algemene jaarvergadering van %s"}},
	event.TypeWorkshop: {
		{"Export readiness workshop, %s", "Taller de preparación para exportar, %s", "Atelier de préparation à l'export, %s", "Workshop exportgereedheid, %s"},
		{"Strategy workshop, %s", "Taller de estrategia, %s", "Atelier de stratégie, %s", "Strategieworkshop, %s"}},
	event.TypeTraining: {
		{"Training in quality management, %s", "Capacitación en gestión de calidad, %s", "Formation à la gestion de la qualité, %s", "Training kwaliteitsmanagement, %s"},
		{"Digital marketing training, %s", "Capacitación en mercadeo digital, %s", "Formation au marketing numérique, %s", "Training digitale marketing, %s"}},
	event.TypeTradeMission: {
		{"Trade mission to %s, %s", "Misión comercial a %s, %s", "Mission commerciale à %s, %s", "Handelsmissie naar %s, %s"}},
	event.TypeMatchmaking: {
		{"Buyers' matchmaking, %s", "Rueda de negocios con compradores, %s", "Rencontres d'affaires avec des acheteurs, %s", "Matchmaking met kopers, %s"}},
	event.TypeOther: {
		{"Open day, %s", "Jornada de puertas abiertas, %s", "Journée portes ouvertes, %s", "Open dag, %s"}},
}

// missionCities are where trade missions go.
var missionCities = []struct{ city, iso3, iso2, numeric, name, lang, currency string }{
	{"Miami", "USA", "US", "840", "United States of America", "en", "USD"},
	{"New York", "USA", "US", "840", "United States of America", "en", "USD"},
	{"Toronto", "CAN", "CA", "124", "Canada", "en;fr", "CAD"},
	{"London", "GBR", "GB", "826", "United Kingdom", "en", "GBP"},
}

// ensureMissionCountries adds the trade missions' destinations to the
// reference countries when they are missing: the reference data holds the
// programme's region only, and an event's country must be a known country.
// They are not in the region.
func ensureMissionCountries(ctx context.Context, d *db.DB) error {
	return d.Tx(ctx, func(tx *sql.Tx) error {
		for _, c := range missionCities {
			_, err := tx.ExecContext(ctx, `INSERT INTO countries (iso3, iso2, numeric_code, name, languages, currency, in_region, notes)
				VALUES ($1,$2,$3,$4,$5,$6,FALSE,'Destination of trade missions') ON CONFLICT (iso3) DO NOTHING`,
				c.iso3, c.iso2, c.numeric, c.name, c.lang, c.currency)
			if err != nil {
				return fmt.Errorf("country %s: %w", c.iso3, err)
			}
		}
		return nil
	})
}

// plannedEvent is an event before it is recorded, and its ID after.
type plannedEvent struct {
	in    event.Input
	actor user.Actor
	id    int64
}

// recorded is what the audit log keeps of a demo event: its ID and input.
type recorded struct {
	ID int64 `json:"id"`
	event.Input
}

// generateEvents records the initiatives' events and adds their count.
//
// The event store writes one event per transaction; the few thousand
// events of the demo would take seconds that way, so they are written in
// one transaction with multi-row INSERTs instead, after the store's own
// validation (event.Input.Validate: dates, the sex breakdown, youth, and
// the attendees within the totals), with an audit entry per event by its
// organiser's staff. Organisers, clusters and attendees are the region's,
// so the store's reference checks hold by construction (and the foreign
// keys check them again).
func generateEvents(ctx context.Context, d *db.DB, s *stored, scale int, counts map[string]int) error {
	if err := ensureMissionCountries(ctx, d); err != nil {
		return err
	}
	evs := s.planEvents(newRNG(scale, streamEvents))
	today := db.Now().Format(event.DateLayout)
	for i := range evs {
		if err := evs[i].in.Validate(today); err != nil {
			return fmt.Errorf("event %q: %w", evs[i].in.Title, err)
		}
	}
	err := d.Tx(ctx, func(tx *sql.Tx) error {
		var next int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM events`).Scan(&next); err != nil {
			return err
		}
		events := newTable("events", "id", "title", "title_norm", "type", "organiser_id", "starts_on", "ends_on", "place",
			"country_iso3", "description", "participants", "women", "men", "other_sex", "youth", "created_at", "updated_at")
		clusters := newTable("event_clusters", "event_id", "cluster_id")
		attendees := newTable("event_attendees", "event_id", "organisation_id", "participants", "women", "men", "other_sex", "youth")
		for i := range evs {
			in := &evs[i].in
			next++
			evs[i].id = next
			// An event is recorded a few days after it ends.
			end, _ := time.Parse(event.DateLayout, in.EndsOn)
			created := end.AddDate(0, 0, 2+int(next%9)).Add(recordHour(next))
			var country any
			if in.Country != "" {
				country = in.Country
			}
			events.add(next, in.Title, clusterdomain.NormaliseName(in.Title), string(in.Type), in.OrganiserID, in.StartsOn, in.EndsOn,
				in.Place, country, in.Description, in.Participants, in.Women, in.Men, in.Other, in.Youth, created, created)
			for _, c := range in.ClusterIDs {
				clusters.add(next, c)
			}
			for _, a := range *in.Attendees {
				attendees.add(next, a.OrganisationID, a.Participants, a.Women, a.Men, a.Other, a.Youth)
			}
		}
		for _, t := range []*table{events, clusters, attendees} {
			if err := t.write(ctx, tx, d.Dialect); err != nil {
				return err
			}
		}
		for _, e := range evs {
			if err := audit.Record(ctx, tx, e.actor, "create", "event", e.id, nil, recorded{ID: e.id, Input: e.in}); err != nil {
				return err
			}
		}
		return syncIdentity(ctx, tx, d, "events")
	})
	if err != nil {
		return err
	}
	counts["events"] = len(evs)
	return nil
}

// planEvents draws every event, year by year and initiative by
// initiative, in ID order.
func (s *stored) planEvents(r *rng) []plannedEvent {
	var out []plannedEvent
	weights := make([]float64, len(eventTypes))
	for i, t := range eventTypes {
		weights[i] = t.weight
	}
	last := historyEnd
	for _, year := range eventYears {
		from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year, 12, 15, 0, 0, 0, 0, time.UTC)
		if to.After(last) {
			to = last
		}
		for _, k := range s.clusters {
			if k.first.IsZero() || k.first.After(to) {
				continue
			}
			start := maxTime(from, k.first.AddDate(0, 0, 14))
			if start.After(to) {
				continue
			}
			n := 1 + r.intn(3)
			if k.first.Year() == year {
				n = 1
			}
			for range n {
				day := r.day(start, to)
				members := k.membersOn(day)
				if len(members) < 3 {
					continue
				}
				t := eventTypes[r.weighted(weights)]
				e := s.drawEvent(r, k, t.typ, day, t.days)
				if e != nil {
					out = append(out, *e)
				}
			}
		}
	}
	return out
}

// drawEvent draws one event of the initiative on a day.
func (s *stored) drawEvent(r *rng, k *scluster, typ event.Type, day time.Time, span [2]int) *plannedEvent {
	lang := "en"
	if p := profileOf(k.country); p != nil {
		lang = p.lang
	}
	clusters := []*scluster{k}
	// One event in eight is held with another initiative of the same
	// sector in the same country (any country for a trade mission).
	if r.chance(0.125) {
		var others []*scluster
		for _, o := range s.clusters {
			if o != k && o.sector == k.sector && (o.country == k.country || typ == event.TypeTradeMission) &&
				len(o.membersOn(day)) >= 3 {
				others = append(others, o)
			}
		}
		if len(others) > 0 {
			clusters = append(clusters, pick(r, others))
		}
	}
	in := event.Input{Type: typ, OrganiserID: k.lead.id, StartsOn: day.Format(event.DateLayout),
		EndsOn: day.AddDate(0, 0, r.between(span[0], span[1])-1).Format(event.DateLayout), Country: k.country}
	tpl := pick(r, eventTitles[typ]).in(lang)
	if typ == event.TypeTradeMission {
		c := pick(r, missionCities)
		in.Title, in.Place, in.Country = fmt.Sprintf(tpl, c.city, k.name), c.city, c.iso3
		in.Description = fmt.Sprintf("Members of the %s met buyers and distributors in %s.", k.name, c.city)
	} else {
		in.Title = fmt.Sprintf(tpl, k.name)
		in.Place = s.placeOf(r, k)
	}
	for _, c := range clusters {
		in.ClusterIDs = append(in.ClusterIDs, c.id)
	}
	// The attendees: 3 to 15 members of the initiatives on the day.
	var pool []*sorg
	for _, c := range clusters {
		for _, m := range c.membersOn(day) {
			if !slices.Contains(pool, m.org) {
				pool = append(pool, m.org)
			}
		}
	}
	shuffle(r, pool)
	pool = pool[:min(len(pool), r.between(3, 15))]
	slices.SortFunc(pool, func(a, b *sorg) int { return int(a.id - b.id) })
	women, youth := 0.40+0.15*r.float(), 0.20+0.20*r.float()
	var sum event.Counts
	rows := make([]event.AttendeeInput, 0, len(pool))
	for _, o := range pool {
		c := people(r, 1+r.intn(3), women, youth)
		rows = append(rows, event.AttendeeInput{OrganisationID: o.id, Counts: c})
		sum = addCounts(sum, c)
	}
	in.Attendees = &rows
	// People who came on their own, or from organisations outside the
	// registry, are counted only in the totals.
	extra := people(r, r.intn(16), women, youth)
	if r.chance(0.05) {
		extra.Participants++
		extra.Other++
	}
	total := addCounts(sum, extra)
	in.Participants, in.Women, in.Men, in.Other, in.Youth = total.Participants, total.Women, total.Men, total.Other, total.Youth
	actor := user.System
	if len(clusters) == 1 {
		actor = s.staffOf(k.lead)
	}
	return &plannedEvent{in: in, actor: actor}
}

// people draws n people with the shares of women and young people.
func people(r *rng, n int, women, youth float64) event.Counts {
	c := event.Counts{Participants: n}
	for range n {
		if r.chance(women) {
			c.Women++
		} else {
			c.Men++
		}
		if r.chance(youth) {
			c.Youth++
		}
	}
	return c
}

func addCounts(a, b event.Counts) event.Counts {
	return event.Counts{Participants: a.Participants + b.Participants, Women: a.Women + b.Women, Men: a.Men + b.Men,
		Other: a.Other + b.Other, Youth: a.Youth + b.Youth}
}

// placeOf is where an initiative meets: mostly the town it is named
// after, otherwise the town of its lead BSO's area, or the capital.
func (s *stored) placeOf(r *rng, k *scluster) string {
	p := profileOf(k.country)
	if p == nil || len(p.towns) == 0 {
		return k.lead.area
	}
	for _, t := range p.towns {
		if strings.Contains(k.name, t.name) && r.chance(0.8) {
			return t.name
		}
	}
	for _, t := range p.towns {
		if t.area == k.lead.area {
			return t.name
		}
	}
	return p.towns[0].name
}
