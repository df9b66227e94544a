package campaign

import (
	"bytes"
	"errors"
	"testing"

	"github.com/clusterobservatory/observatory/internal/problem"
)

func TestCheckAttachment(t *testing.T) {
	ftyp := func(brand string) []byte { return append([]byte("\x00\x00\x00\x18ftyp"+brand), make([]byte, 16)...) }
	tests := []struct {
		name string
		data []byte
		want string // content type, or the kind of refusal
	}{
		{"shop.jpg", []byte("\xff\xd8\xff\xe0\x00\x10JFIF"), "image/jpeg"},
		{"shop.bin", []byte("\x89PNG\r\n\x1a\n\x00\x00"), "image/png"},
		{"IMG_0001.HEIC", ftyp("heic"), "image/heic"},
		{"report.pdf", []byte("%PDF-1.4\n"), "application/pdf"},
		{"voice.m4a", ftyp("M4A "), "audio/mp4"},
		{"voice.amr", []byte("#!AMR\n\x3c"), "audio/amr"},
		{"voice.3gpp", ftyp("3gp4"), "audio/3gpp"},
		{"clip.3gp", ftyp("3gp4"), "video/3gpp"},
		{"clip.mp4", ftyp("isom"), "video/mp4"},
		{"clip.mov", ftyp("qt  "), "video/quicktime"},
		{"voice.ogg", []byte("OggS\x00\x02"), "audio/ogg"},
		{"notes.txt", []byte("Opening hours 8-5"), "text/plain"},
		{"list.csv", []byte("a,b\n1,2\n"), "text/csv"},
		{"book.xlsx", []byte("PK\x03\x04\x14\x00"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"book.xls", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00"), "application/vnd.ms-excel"},
		// Refused whatever the name says.
		{"photo.jpg", []byte("MZ\x90\x00"), "415"},
		{"photo.jpg", []byte("\x7fELF\x02\x01"), "415"},
		{"run.txt", []byte("#!/bin/sh\nrm -rf /"), "415"},
		{"photo.jpg", []byte("<!DOCTYPE html><script>alert(1)</script>"), "415"},
		{"logo.png", []byte("<?xml version=\"1.0\"?><svg/>"), "415"},
		{"logo.svg", []byte("plain words"), "415"},
		{"page.html", []byte("\xff\xd8\xff\xe0"), "415"},
		{"archive.zip", []byte("PK\x03\x04\x14\x00"), "415"},
		{"notes.json", []byte(`{"a": 1}`), "415"},
		{"empty.jpg", []byte{}, "422"},
		{"big.jpg", append([]byte("\xff\xd8\xff"), make([]byte, MaxFileBytes)...), "413"},
		{"../etc/passwd", []byte("root"), "422"},
	}
	for _, tt := range tests {
		ct, err := checkAttachment(tt.name, tt.data)
		got := ct
		if err != nil {
			got = "422"
			switch {
			case errors.Is(err, errUnsupportedMedia):
				got = "415"
			case problem.Is(err, problem.TooLarge):
				got = "413"
			}
			if p := problem.As(err); p == nil || !bytes.Contains([]byte(p.Message), []byte(tt.name)) {
				t.Errorf("%s: the message does not name the file: %v", tt.name, err)
			}
		}
		if got != tt.want {
			t.Errorf("%s %q: got %s (%v), want %s", tt.name, tt.data[:min(len(tt.data), 12)], got, err, tt.want)
		}
	}
}

func TestPrepareFiles(t *testing.T) {
	photo := append([]byte("\xff\xd8\xff\xe0"), make([]byte, MaxFileBytes-4)...)
	var atts []Attachment
	for i := range MaxFilesBytes/MaxFileBytes + 1 {
		atts = append(atts, Attachment{Name: string(rune('a'+i)) + ".jpg", Data: photo})
	}
	if err := prepareFiles(atts); !problem.Is(err, problem.TooLarge) {
		t.Errorf("over the total: %v", err)
	}
	atts = []Attachment{{Name: "a.jpg", Data: photo[:100], ContentType: "text/html", Size: 1}, {Name: "b.pdf", ContentType: "application/pdf", Size: 99}}
	if err := prepareFiles(atts); err != nil {
		t.Fatal(err)
	}
	if a := atts[0]; a.ContentType != "image/jpeg" || a.Size != 100 || len(a.SHA256) != 64 || a.Missing {
		t.Errorf("sent file %+v", a)
	}
	if b := atts[1]; !b.Missing || b.Size != 0 || b.ContentType != "" {
		t.Errorf("named file %+v", b)
	}
	if err := prepareFiles([]Attachment{{Name: "a.jpg"}, {Name: "a.jpg"}}); err == nil {
		t.Error("a name twice")
	}
}

func TestInheritFiles(t *testing.T) {
	prev := `[{"name":"shop.jpg","content_type":"image/jpeg","size":10,"sha256":"aa"},{"name":"gone.pdf","content_type":"application/pdf","size":5,"sha256":"bb"},{"name":"later.pdf","content_type":"","size":0,"missing":true}]`
	atts := []Attachment{{Name: "shop.jpg", Missing: true}, {Name: "new.png", ContentType: "image/png", Size: 3, SHA256: "cc"}}
	out, carry, err := inheritFiles(atts, prev, []byte(`{"photo":"shop.jpg","doc":"later.pdf","logo":"new.png"}`))
	if err != nil {
		t.Fatal(err)
	}
	// shop.jpg is named and not sent: kept; gone.pdf is no longer named;
	// later.pdf is named by an answer and still missing.
	if len(out) != 3 || out[0].SHA256 != "aa" || out[0].Missing || out[1].Name != "new.png" || out[2].Name != "later.pdf" || !out[2].Missing {
		t.Errorf("files %+v", out)
	}
	if len(carry) != 1 || carry[0] != "shop.jpg" {
		t.Errorf("carried %v", carry)
	}
	if out, carry, _ := inheritFiles(atts, "[]", nil); len(out) != 2 || carry != nil {
		t.Errorf("nothing to inherit: %+v %v", out, carry)
	}
}
