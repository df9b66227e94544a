package textfile

import "testing"

func TestDetectDelimiter(t *testing.T) {
	for in, want := range map[string]rune{
		"name,kind,country": ',', "name;kind;country": ';', "name\tkind\tcountry": '\t',
		"name": ',', `"a;b",c,d`: ',', "a;b,c;d": ';', `"x;y;z"`: ',',
	} {
		if got := DetectDelimiter(in); got != want {
			t.Errorf("DetectDelimiter(%q) = %q, want %q", in, got, want)
		}
	}
}
