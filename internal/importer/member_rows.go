package importer

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/clusterobservatory/observatory/internal/cluster"
	"github.com/clusterobservatory/observatory/internal/db"
	"github.com/clusterobservatory/observatory/internal/problem"
	"github.com/clusterobservatory/observatory/internal/user"
)

// MemberRow is one membership row read from a file, with the cluster and
// organisation it names resolved to their IDs.
type MemberRow struct {
	Row              int                     `json:"row"`
	ClusterID        int64                   `json:"cluster_id"`
	ClusterName      string                  `json:"cluster_name"`
	OrganisationName string                  `json:"organisation_name"`
	Input            cluster.MembershipInput `json:"input"`

	orgID, orgName, orgCountry string
	clusterIDText, clusterText string
	// orgCol is the column that named the organisation.
	orgCol string
}

// readMemberRow converts the values of one membership row; names are
// resolved later, once every row is read.
func readMemberRow(rec *record, rf *refs, rep *Report) MemberRow {
	m := MemberRow{Row: rec.row, clusterIDText: rec.get(colClusterID), clusterText: rec.get(colClusterName),
		orgID: rec.get(colOrgID), orgName: rec.get(colOrgName), orgCountry: rec.get(colOrgCountry)}
	bad := func(field, format string, args ...any) {
		if !rep.has(rec.row, field) {
			rep.add(rec.row, field, fmt.Sprintf(format, args...))
		}
	}
	if v := rec.get(colRole); v == "" {
		bad(colRole, "the role is missing: use one of %s", strings.Join(roleValues(), ", "))
	} else if r, ok := enumValue(v, roleValues()); !ok {
		bad(colRole, "%q is not a role: use one of %s", v, strings.Join(roleValues(), ", "))
	} else {
		m.Input.Role = cluster.Role(r)
	}
	if v := rec.get(colJoined); v == "" {
		bad(colJoined, "the joining date is missing: write it as YYYY-MM-DD")
	} else if d, err := parseDate(v, rec.workbook, rec.date1904); err != nil {
		bad(colJoined, "%v", err)
	} else {
		m.Input.Joined = d
	}
	if v := rec.get(colLeft); v != "" {
		if d, err := parseDate(v, rec.workbook, rec.date1904); err != nil {
			bad(colLeft, "%v", err)
		} else {
			m.Input.Left = &d
		}
	}
	if m.orgCountry != "" {
		if iso3, ok := rf.findCountry(m.orgCountry); ok {
			m.orgCountry = iso3
		} else {
			bad(colOrgCountry, "%q is not one of the platform's countries: use its ISO code (JAM or JM) or English name", m.orgCountry)
			m.orgCountry = ""
		}
	}
	// The cluster domain's own rules for the values: dates not in the
	// future, left not before joined. The organisation is resolved later.
	if !rep.has(rec.row, colRole) && !rep.has(rec.row, colJoined) && !rep.has(rec.row, colLeft) {
		in := m.Input
		in.OrganisationID = 1
		if err := in.Validate(cluster.Today()); err != nil {
			addDomainProblems(rep, rec.row, err, colOrgID)
		}
	}
	return m
}

// addDomainProblems records the field problems a domain store or
// validation returned as problems of a row, mapping the domain's field
// names to the file's columns.
func addDomainProblems(rep *Report, row int, err error, orgCol string) {
	p := problem.As(err)
	if p == nil {
		rep.add(row, "", err.Error())
		return
	}
	if len(p.Details) == 0 {
		rep.add(row, "", p.Message)
		return
	}
	for _, d := range p.Details {
		field := d.Field
		switch field {
		case "organisation_id":
			field = orgCol
		case "area_id":
			field = colArea
		case "isic_code":
			field = colISIC
		case "country_iso3":
			field = colCountry
		}
		if !rep.has(row, field) {
			rep.add(row, field, d.Message)
		}
	}
}

// resolveMembers finds the cluster and organisation each row names and
// checks that the actor may add that member to that cluster.
func resolveMembers(ctx context.Context, q db.Querier, actor user.Actor, rows []MemberRow, rep *Report) error {
	refs, err := loadClusters(ctx, q, actor)
	if err != nil {
		return err
	}
	var ids []int64
	countries := map[string]bool{}
	for _, m := range rows {
		if m.orgID != "" {
			if id, ok := parseWholeNumber(m.orgID); ok && id > 0 {
				ids = append(ids, id)
			}
		} else if m.orgCountry != "" {
			countries[m.orgCountry] = true
		}
	}
	list := make([]string, 0, len(countries))
	for c := range countries {
		list = append(list, c)
	}
	sort.Strings(list)
	if err := refs.loadOrgs(ctx, q, actor, ids, list); err != nil {
		return err
	}
	for i := range rows {
		resolveMember(&rows[i], refs, rep)
	}
	return nil
}

// resolveMember fills a row's cluster and organisation IDs, or records why
// they cannot be found. A record the actor may not read is reported as
// not found, so that its existence does not leak.
func resolveMember(m *MemberRow, refs *memberRefs, rep *Report) {
	var c *clusterRef
	switch {
	case m.clusterIDText != "":
		id, ok := parseWholeNumber(m.clusterIDText)
		if c = refs.clusters[id]; !ok || c == nil {
			rep.add(m.Row, colClusterID, fmt.Sprintf("there is no cluster #%s that you may read", m.clusterIDText))
		} else if m.clusterText != "" && normaliseName(m.clusterText) != normaliseName(c.Name) {
			rep.add(m.Row, colClusterName, fmt.Sprintf("cluster #%d is %q, not %q; fix one of the two columns", id, c.Name, m.clusterText))
			c = nil
		}
	case m.clusterText != "":
		switch found := refs.clusterNamed[normaliseName(m.clusterText)]; len(found) {
		case 0:
			rep.add(m.Row, colClusterName, fmt.Sprintf("there is no cluster named %q that you may read", m.clusterText))
		case 1:
			c = found[0]
		default:
			rep.add(m.Row, colClusterName, fmt.Sprintf("%d clusters are named %q; use cluster_id instead", len(found), m.clusterText))
		}
	default:
		rep.add(m.Row, colClusterName, "the cluster is missing: fill in cluster_id or cluster_name")
	}
	if c != nil {
		m.ClusterID, m.ClusterName = c.ID, c.Name
		clusterCol := colClusterName
		if m.clusterIDText != "" {
			clusterCol = colClusterID
		}
		switch {
		case !c.Writable:
			rep.add(m.Row, clusterCol, fmt.Sprintf("you may not add members to %s", c.Name))
		case c.Archived:
			rep.add(m.Row, clusterCol, fmt.Sprintf("%s is archived; restore it before adding members", c.Name))
		}
	}

	var o *orgRef
	orgCol := colOrgName
	switch {
	case m.orgID != "":
		orgCol = colOrgID
		id, ok := parseWholeNumber(m.orgID)
		if o = refs.orgs[id]; !ok || o == nil || !o.visible(c) {
			rep.add(m.Row, colOrgID, fmt.Sprintf("there is no organisation #%s that you may add to this cluster", m.orgID))
			o = nil
		}
	case m.orgName != "":
		if m.orgCountry == "" {
			if !rep.has(m.Row, colOrgCountry) {
				rep.add(m.Row, colOrgCountry, "organisation_country is needed with organisation_name")
			}
			break
		}
		var found []*orgRef
		for _, x := range refs.orgNamed[dupKey{normaliseName(m.orgName), m.orgCountry}] {
			if x.visible(c) {
				found = append(found, x)
			}
		}
		switch len(found) {
		case 0:
			rep.add(m.Row, colOrgName, fmt.Sprintf("there is no organisation named %q in %s that you may add to this cluster", m.orgName, m.orgCountry))
		case 1:
			o = found[0]
		default:
			rep.add(m.Row, colOrgName, fmt.Sprintf("%d organisations in %s are named %q; use organisation_id instead", len(found), m.orgCountry, m.orgName))
		}
	default:
		rep.add(m.Row, colOrgName, "the organisation is missing: fill in organisation_id, or organisation_name and organisation_country")
	}
	m.orgCol = orgCol
	if o != nil {
		if o.Archived {
			rep.add(m.Row, orgCol, fmt.Sprintf("%s is archived and cannot join a cluster", o.Name))
		}
		m.Input.OrganisationID, m.OrganisationName = o.ID, o.Name
	}
}
