package org

import "testing"

func TestNormaliseName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"   ", ""},
		{"Blue Mountain Coffee", "blue mountain coffee"},
		{"  Blue   Mountain\tCoffee  ", "blue mountain coffee"},
		{"Blue Mountain Coffee Ltd", "blue mountain coffee"},
		{"Blue Mountain Coffee Ltd.", "blue mountain coffee"},
		{"BLUE MOUNTAIN COFFEE LIMITED", "blue mountain coffee"},
		{"Blue Mountain Coffee Co. Ltd", "blue mountain coffee"},
		{"Blue Mountain Coffee Company Limited", "blue mountain coffee"},
		{"Caribbean Tech, Inc.", "caribbean tech"},
		{"Caribbean Tech Incorporated", "caribbean tech"},
		{"Island Data LLC", "island data"},
		{"Trinidad Steel Corp.", "trinidad steel"},
		{"Bank Holdings plc", "bank holdings"},
		{"Café Créole S.A.", "cafe creole"},
		{"Café Créole SA", "cafe creole"},
		{"Cacao Dominicana, S.R.L.", "cacao dominicana"},
		{"Cacao Dominicana SRL", "cacao dominicana"},
		{"Surinaamse Rijst N.V.", "surinaamse rijst"},
		{"Surinaamse Rijst NV", "surinaamse rijst"},
		{"Handelmaatschappij B.V.", "handelmaatschappij"},
		{"Artisanat Haïtien SARL", "artisanat haitien"},
		{"Artisanat Haïtien S.A.R.L.", "artisanat haitien"},
		{"Pérez y Cía", "perez"},
		{"Smith and Co", "smith"},
		{"Smith & Co.", "smith"},
		{"Manufacturers' & Exporters' Association", "manufacturers exporters association"},
		{"Jamaica Manufacturers’ Association", "jamaica manufacturers association"},
		{"Ñandú Exports", "nandu exports"},
		{"Smørrebrød Ltd", "smorrebrod"},
		{"Straße & Co", "strasse"},
		// A legal form in the middle of a name is part of the name.
		{"Ltd Holdings of Barbados", "ltd holdings of barbados"},
		{"The Company Store", "the company store"},
		// A name that is only a legal form keeps it.
		{"Company", "company"},
		{"Co. Ltd", "co"},
		// Words that only end like a legal form are kept.
		{"Casa", "casa"},
		{"Disco", "disco"},
		{"Tobago Cocoa Estate 2", "tobago cocoa estate 2"},
		{"J&B Trading", "j b trading"},
		{"St. Lucia Distillers", "st lucia distillers"},
	}
	for _, tt := range tests {
		if got := NormaliseName(tt.in); got != tt.want {
			t.Errorf("NormaliseName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestNormaliseNameIsIdempotent(t *testing.T) {
	for _, s := range []string{"Café Créole S.A.", "Pérez y Cía", "Blue Mountain Coffee Co. Ltd", "Company"} {
		once := NormaliseName(s)
		if twice := NormaliseName(once); twice != once {
			t.Errorf("NormaliseName(NormaliseName(%q)) = %q, want %q", s, twice, once)
		}
	}
}
