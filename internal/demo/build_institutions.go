package demo

import (
	"math"
	"strings"
	"time"
)

// institutions creates the BSOs, research institutes, ministries, NGOs and
// regional bodies of every country. They joined the registry when the
// platform opened, in the first quarter of 2020.
func (g *gen) institutions() {
	r := newRNG(g.scale, streamInstitutions)
	for _, c := range g.countries {
		list := bsoTemplates[c.lang]
		n := min(len(list), 2+int(math.Round(c.weight/4)))
		for _, t := range list[:n] {
			c.bsos = append(c.bsos, g.institution(r, c, t, t.town))
		}
		// Larger scales add local business centres, a few per country.
		branches := min((g.scale-1)/2, len(c.towns)-1)
		for i := 1; i <= branches; i++ {
			c.bsos = append(c.bsos, g.institution(r, c, branchTemplates[c.lang], i))
		}
		research, ngos := 1, 1
		if c.weight >= 5 {
			research, ngos = 2, 2
		}
		if c.weight >= 10 {
			research = 3
		}
		for _, t := range otherTemplates[c.lang] {
			switch {
			case t.kind == "research" && research > 0:
				research--
				c.research = append(c.research, g.institution(r, c, t, t.town))
			case t.kind == "government":
				c.gov = append(c.gov, g.institution(r, c, t, t.town))
			case t.kind == "ngo" && ngos > 0:
				ngos--
				g.institution(r, c, t, t.town)
			}
		}
	}
	for _, b := range regionalBodies {
		c := g.byISO[b.iso3]
		if c == nil {
			continue
		}
		o := g.institution(r, c, b.inst, b.town)
		if o.kind == "research" {
			c.research = append(c.research, o)
		}
	}
}

// institution creates one institution from a template.
func (g *gen) institution(r *rng, c *country, t institution, townIdx int) *org {
	tw := c.towns[min(townIdx, len(c.towns)-1)]
	name := strings.NewReplacer("{C}", c.name, "{T}", tw.name).Replace(t.name)
	o := g.newOrg(t.kind, name, c, c.areaByNm[tw.area])
	o.isic = t.isic
	o.sectors = t.sectors
	o.desc = t.desc
	o.founded = r.between(1962, 2014)
	contact := newPerson(r, c.lang, r.chance(0.55))
	o.contact = contact.String()
	host := g.host(name, c)
	o.email = g.uniqueEmail("info", host+".example.org")
	o.website = "https://www." + host + ".example.org"
	o.phone = phoneFor(r, c.dial)
	o.created = r.during(r.day(historyStart.AddDate(0, 0, 1), time.Date(2020, 3, 31, 0, 0, 0, 0, time.UTC)))
	o.updated = o.created
	return o
}

// host is the invented web host of an institution: its acronym, with the
// country's code when another institution has the same acronym.
func (g *gen) host(name string, c *country) string {
	h := acronym(name)
	if g.hosts[h] {
		h += "-" + strings.ToLower(c.iso3)
	}
	for n := 2; g.hosts[h]; n++ {
		h = acronym(name) + "-" + strings.ToLower(c.iso3) + itoa(n)
	}
	g.hosts[h] = true
	return h
}

// acronym shortens an institution's name for its invented web address:
// "Grenada Small Business Development Agency" → "gsbda".
func acronym(name string) string {
	var b strings.Builder
	for _, w := range strings.Fields(normalise(strings.ReplaceAll(name, "'", " "))) {
		switch w {
		case "and", "of", "the", "de", "del", "la", "las", "los", "y", "du", "des", "et", "d", "l", "van", "en", "voor", "het":
			continue
		}
		b.WriteByte(w[0])
	}
	if b.Len() < 3 {
		return slug(name)
	}
	return b.String()
}

// uniqueEmail returns local@domain, numbered when the address is taken.
func (g *gen) uniqueEmail(local, domain string) string {
	addr := local + "@" + domain
	for n := 2; g.emails[addr]; n++ {
		addr = local + itoa(n) + "@" + domain
	}
	g.emails[addr] = true
	return addr
}
