package demo

import "fmt"

// names holds the given and family names common in one language area.
type names struct {
	female, male, family []string
}

// peopleNames are invented combinations of names common in the region; none
// is meant to be a real person.
var peopleNames = map[string]names{
	"en": {
		female: []string{"Marcia", "Shanice", "Kezia", "Tamika", "Natalie", "Sharon", "Andrea", "Renée", "Cherise", "Keisha", "Alicia", "Deborah", "Yolanda", "Anya", "Simone",
			"Latoya", "Jodi-Ann", "Nadia", "Priya", "Savitri", "Kamla", "Camille", "Tricia", "Donna", "Charmaine", "Abigail", "Celeste", "Nicole", "Rochelle", "Janelle"},
		male: []string{"Andre", "Marlon", "Dwayne", "Kemar", "Ryan", "Devon", "Shane", "Jason", "Trevor", "Carlton", "Winston", "Everton", "Ravi", "Anil", "Kevon",
			"Rohan", "Damian", "Glenroy", "Kirk", "Jerome", "Nigel", "Brent", "Dexter", "Garfield", "Terrence", "Omari", "Kareem", "Vishnu", "Curtis", "Leon"},
		family: []string{"Campbell", "Williams", "Brown", "Thompson", "Clarke", "Joseph", "Charles", "James", "Baptiste", "Alleyne", "Gittens", "Greenidge", "Bynoe", "Holder",
			"Forde", "Husbands", "Mohammed", "Ramdial", "Persad", "Maharaj", "Singh", "Ali", "Khan", "Rampersad", "Ramkissoon", "Hosein", "Lewis", "Daniel", "Francis",
			"Alexander", "Edwards", "Phillip", "Pierre", "St. Rose", "Augustin", "Emmanuel", "Felix", "Mitchell", "Bailey", "Reid", "McKenzie", "Morgan", "Grant",
			"Gordon", "Henry", "Richards", "Walker", "Spence", "Chin", "Lashley", "Yearwood", "Cumberbatch", "Rolle", "Ferguson", "Knowles", "Pinder", "Sands",
			"Bethel", "Cartwright", "Castillo", "Garbutt", "Usher", "Persaud", "Sookdeo", "Ramsaroop", "Hippolyte", "Auguste", "Jn Pierre", "Cadogan", "Mills"},
	},
	"es": {
		female: []string{"María", "Carmen", "Yolanda", "Rosa", "Altagracia", "Yesenia", "Ana", "Lucía", "Mariela", "Daniela", "Yokasta", "Milagros", "Francisca", "Paola",
			"Mercedes", "Rosanna", "Yanet", "Josefina", "Leidy", "Raquel"},
		male: []string{"José", "Juan", "Luis", "Carlos", "Manuel", "Rafael", "Ramón", "Pedro", "Francisco", "Miguel", "Héctor", "Julio", "Wilson", "Félix", "Andrés",
			"Domingo", "Ángel", "Fernando", "Eduardo", "Nelson"},
		family: []string{"Rodríguez", "Pérez", "Martínez", "García", "Fernández", "Gómez", "Jiménez", "Reyes", "Santos", "Díaz", "Núñez", "Almonte", "Taveras", "Peralta",
			"Castillo", "Rosario", "De la Cruz", "Guzmán", "Báez", "Polanco", "Mejía", "Tejada", "Cabrera", "Vásquez", "Batista", "Ureña", "Estévez", "Marte", "Abreu", "Paulino"},
	},
	"fr": {
		female: []string{"Marie", "Nadège", "Guerline", "Fabienne", "Widline", "Rose-Marie", "Mirlande", "Darline", "Esther", "Nathalie", "Judith", "Lovely", "Clotilde",
			"Micheline", "Roseline", "Sandra", "Myriam", "Edline"},
		male: []string{"Jean", "Pierre", "Jean-Claude", "Wilson", "Frantz", "Ricardo", "Emmanuel", "Jacques", "Yves", "Stanley", "Wesner", "Jocelyn", "Fritz", "Rony",
			"Dieudonné", "Evens", "Junior", "Ronald"},
		family: []string{"Jean-Baptiste", "Pierre", "Joseph", "Louis", "Charles", "Desrosiers", "Lamothe", "Célestin", "Saint-Fleur", "Dorval", "Étienne", "Toussaint",
			"Bellegarde", "Augustin", "Noël", "Guerrier", "Alexis", "Michel", "Fleurant", "Paul", "Désir", "Baptiste", "Jeune", "Vilsaint", "Philogène", "Exantus", "Jolicoeur", "Casséus"},
	},
	"nl": {
		female: []string{"Sharda", "Priya", "Shanti", "Jennifer", "Mireille", "Ingrid", "Sandra", "Naomi", "Rachel", "Anjali", "Wendy", "Melissa", "Sunita", "Gaitrie",
			"Ruth", "Chandra", "Denise", "Joyce"},
		male: []string{"Ravi", "Anand", "Ricardo", "Romeo", "Stanley", "Marcel", "Iwan", "Rudy", "Kenneth", "Glenn", "Dinesh", "Sergio", "Hans", "Reginald", "Sunil",
			"Errol", "Roy", "Wilfred"},
		family: []string{"Ramdin", "Sewdien", "Jagesar", "Kartodikromo", "Soekhoe", "Sardjoe", "Biharie", "Pinas", "Wongsonadi", "Tjon A Joe", "Fung A Loi", "Vrede",
			"Kromodimedjo", "Brunings", "Lie Kwie", "Ramautar", "Ramsaran", "Mungra", "Kanhai", "Nelom", "Wijngaarde", "Abena", "Linger", "Doelwijt", "Mangal", "Dwarka", "Sitaldin"},
	},
}

// person is an invented name.
type person struct {
	given, family string
	female        bool
}

func (p person) String() string { return p.given + " " + p.family }

// newPerson draws a name in a language; female sets the gender.
func newPerson(g *rng, lang string, female bool) person {
	n := peopleNames[lang]
	p := person{family: pick(g, n.family), female: female}
	if female {
		p.given = pick(g, n.female)
	} else {
		p.given = pick(g, n.male)
	}
	return p
}

// phoneFor gives a number in the 555-01xx block that numbering plans keep
// for fiction.
func phoneFor(g *rng, dial string) string {
	return fmt.Sprintf("%s 555 01%02d", dial, g.intn(100))
}
