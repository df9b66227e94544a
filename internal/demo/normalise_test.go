package demo

import "testing"

func TestNormalise(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Grenada Small Business Development Agency", "grenada small business development agency"},
		{"Cámara de Comercio de Santiago", "camara de comercio de santiago"},
		{"  Manufacturers' and   Exporters' Association ", "manufacturers and exporters association"},
		{"Atelier Jacmel Artisanat, S.A.", "atelier jacmel artisanat s a"},
		{"Cap-Haïtien Kafe & Fils", "cap haitien kafe fils"},
		{"Productos Lácteos La Vega, SRL", "productos lacteos la vega srl"},
		{"Œuvre Pétion-Ville", "oeuvre petion ville"},
		{"Ondernemershuis Nieuw Nickerie N.V.", "ondernemershuis nieuw nickerie n v"},
		{"", ""},
		{"---", ""},
	}
	for _, tt := range tests {
		if got := normalise(tt.in); got != tt.want {
			t.Errorf("normalise(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestSlug(t *testing.T) {
	if got := slug("Blue Mahoe Creative Studio Ltd"); got != "blue-mahoe-creative-studio-ltd" {
		t.Errorf("slug = %q", got)
	}
	if got := slug("Chocolaterie Jérémie"); got != "chocolaterie-jeremie" {
		t.Errorf("slug = %q", got)
	}
}
