package cluster

// Sector is the broad field of activity of a cluster initiative.
type Sector string

// The sectors the region's cluster programmes work in.
const (
	SectorAgroProcessing  Sector = "agro_processing"
	SectorFisheries       Sector = "fisheries"
	SectorCreative        Sector = "creative"
	SectorTourism         Sector = "tourism"
	SectorICT             Sector = "ict"
	SectorHealthWellness  Sector = "health_wellness"
	SectorNaturalProducts Sector = "natural_products"
	SectorManufacturing   Sector = "manufacturing"
	SectorOther           Sector = "other"
)

// Sectors lists every sector in the order forms show them.
var Sectors = []Sector{
	SectorAgroProcessing, SectorFisheries, SectorCreative, SectorTourism, SectorICT,
	SectorHealthWellness, SectorNaturalProducts, SectorManufacturing, SectorOther,
}

// Valid reports whether s is a known sector.
func (s Sector) Valid() bool { return oneOf(s, Sectors) }

// Key is the message key of the sector's label.
func (s Sector) Key() string { return "cluster.sector." + string(s) }

// Stage is where a cluster initiative stands in its lifecycle.
type Stage string

// The lifecycle stages, in order.
const (
	StageIdentified   Stage = "identified"
	StageApplying     Stage = "applying"
	StageDiagnosed    Stage = "diagnosed"
	StagePlanApproved Stage = "plan_approved"
	StageImplementing Stage = "implementing"
	StageSustaining   Stage = "sustaining"
	StageClosed       Stage = "closed"
)

// Stages lists the lifecycle stages in order.
var Stages = []Stage{
	StageIdentified, StageApplying, StageDiagnosed, StagePlanApproved,
	StageImplementing, StageSustaining, StageClosed,
}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { return oneOf(s, Stages) }

// Key is the message key of the stage's label.
func (s Stage) Key() string { return "cluster.stage." + string(s) }

// Order is the stage's position in the lifecycle (1 for identified), 0 when unknown.
func (s Stage) Order() int {
	for i, x := range Stages {
		if x == s {
			return i + 1
		}
	}
	return 0
}

// Role is the part an organisation plays in a cluster initiative.
type Role string

// The membership roles.
const (
	RoleLeadFirm   Role = "lead_firm"
	RoleMember     Role = "member"
	RoleBSO        Role = "bso"
	RoleResearch   Role = "research"
	RoleGovernment Role = "government"
	RoleNGO        Role = "ngo"
	RoleFunder     Role = "funder"
	RoleObserver   Role = "observer"
)

// Roles lists every membership role in the order forms show them.
var Roles = []Role{
	RoleLeadFirm, RoleMember, RoleBSO, RoleResearch, RoleGovernment, RoleNGO, RoleFunder, RoleObserver,
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return oneOf(r, Roles) }

// Key is the message key of the role's label.
func (r Role) Key() string { return "cluster.role." + string(r) }

func oneOf[T comparable](v T, list []T) bool {
	for _, x := range list {
		if v == x {
			return true
		}
	}
	return false
}

// valuesText lists enum values for validation messages ("a, b or c").
func valuesText[T ~string](list []T) string {
	s := ""
	for i, v := range list {
		switch {
		case i == 0:
		case i == len(list)-1:
			s += " or "
		default:
			s += ", "
		}
		s += string(v)
	}
	return s
}
