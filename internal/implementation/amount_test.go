package implementation

import (
	"strings"
	"testing"
)

func TestParseMoney(t *testing.T) {
	ok := []struct {
		in   string
		cur  string
		want int64
	}{
		{"1250.50", "USD", 125050},
		{"1,250.5", "USD", 125050},
		{"USD 300", "USD", 30000},
		{"300 usd", "USD", 30000},
		{"$1,000", "USD", 100000},
		{"US$ 12", "USD", 1200},
		{"EC$ 45.10", "XCD", 4510},
		{"$45", "JMD", 4500},
		{"+7", "USD", 700},
		{"1500", "JPY", 1500},
	}
	for _, c := range ok {
		got, err := ParseMoney(c.in, c.cur)
		if err != nil || got != c.want {
			t.Errorf("ParseMoney(%q, %s) = %d, %v; want %d", c.in, c.cur, got, err, c.want)
		}
	}
	bad := []struct {
		in, cur, says string
	}{
		{"", "USD", "Enter the amount"},
		{"abc", "USD", "not part of an amount"},
		{"12.345", "USD", "not an amount in USD"},
		{"1.200,50", "USD", "not an amount in USD"},
		{"-5", "USD", "more than zero"},
		{"(5.00)", "USD", "more than zero"},
		{"0", "USD", "more than zero"},
		{"0.00", "USD", "more than zero"},
		{"€ 100", "USD", "sign of EUR"},
		{"£100", "USD", "sign of GBP"},
		{"EUR 100", "USD", "is in EUR"},
		{"100 JMD", "USD", "is in JMD"},
		{"TT$ 100", "JMD", "sign of TTD"},
		{"$100", "EUR", "not of EUR"},
		{"12.5", "JPY", "at most 0 decimals"},
	}
	for _, c := range bad {
		_, err := ParseMoney(c.in, c.cur)
		if err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("ParseMoney(%q, %s) error %v; want one that says %q", c.in, c.cur, err, c.says)
		}
	}
}

func TestCheckFile(t *testing.T) {
	pdf := []byte("%PDF-1.4\n%âãÏÓ\n1 0 obj\n<<>>\nendobj\n")
	png := []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
	jpeg := []byte("\xff\xd8\xff\xe0\x00\x10JFIF\x00")
	for name, data := range map[string][]byte{"r.pdf": pdf, "r.png": png, "r.jpg": jpeg, "no-extension": pdf} {
		if _, err := CheckFile(&File{Name: name, Data: data}); err != nil {
			t.Errorf("%s refused: %v", name, err)
		}
	}
	refused := map[string]*File{
		"not a PDF":   {Name: "receipt.pdf", Data: []byte("just text pretending")},
		"larger than": {Name: "big.pdf", Data: append(append([]byte{}, pdf...), make([]byte, MaxAttachmentBytes)...)},
		"empty":       {Name: "empty.pdf"},
		"GIF":         {Name: "x.png", Data: []byte("GIF89a....")},
	}
	for says, f := range refused {
		if _, err := CheckFile(f); err == nil || !strings.Contains(err.Error(), says) && !strings.Contains(err.Error(), "not a PDF") {
			t.Errorf("%s: error %v, want one saying %q", f.Name, err, says)
		}
	}
}
