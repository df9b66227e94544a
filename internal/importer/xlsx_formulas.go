package importer

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/xuri/excelize/v2"
)

// formulaCells finds the cells of a worksheet that hold formulas, as
// row number → column indexes. excelize's streaming iterator gives only a
// formula's cached result, which would be stored as if typed; so the
// worksheet's XML is scanned once more, token by token, for <c> elements
// with an <f> child.
func formulaCells(data []byte, sheet string) (map[int][]int, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("the workbook cannot be unzipped: %v", err)
	}
	p, err := sheetPath(zr, sheet)
	if err != nil {
		return nil, err
	}
	f, err := zr.Open(p)
	if err != nil {
		return nil, fmt.Errorf("the workbook has no part %s: %v", p, err)
	}
	defer f.Close()
	out := map[int][]int{}
	dec := xml.NewDecoder(io.LimitReader(f, maxUnzipped))
	cell := ""
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("the sheet %q is not well-formed XML: %v", sheet, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "c":
				cell = attr(t, "r")
			case "f":
				if col, row, err := excelize.CellNameToCoordinates(cell); err == nil {
					out[row] = append(out[row], col-1)
				}
			}
		case xml.EndElement:
			if t.Name.Local == "c" {
				cell = ""
			}
		}
	}
}

// sheetPath finds the zip part of the named sheet through the workbook and
// its relationships, as the Office Open XML packaging rules define.
func sheetPath(zr *zip.Reader, sheet string) (string, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := readXMLPart(zr, "xl/workbook.xml", &wb); err != nil {
		return "", err
	}
	if err := readXMLPart(zr, "xl/_rels/workbook.xml.rels", &rels); err != nil {
		return "", err
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.RID {
				if strings.HasPrefix(r.Target, "/") {
					return strings.TrimPrefix(r.Target, "/"), nil
				}
				return path.Join("xl", r.Target), nil
			}
		}
	}
	return "", fmt.Errorf("the workbook does not say where the sheet %q is", sheet)
}

func readXMLPart(zr *zip.Reader, name string, v any) error {
	f, err := zr.Open(name)
	if err != nil {
		return fmt.Errorf("the workbook has no part %s", name)
	}
	defer f.Close()
	if err := xml.NewDecoder(io.LimitReader(f, 16<<20)).Decode(v); err != nil {
		return fmt.Errorf("the workbook part %s cannot be read: %v", name, err)
	}
	return nil
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}
