package openrosa

import (
	"encoding/xml"
	"net/http"
	"strconv"
)

// Version is the protocol version every response carries in the
// X-OpenRosa-Version header.
const Version = "1.0"

// Namespaces of the OpenRosa documents.
const (
	nsFormList = "http://openrosa.org/xforms/xformsList"
	nsManifest = "http://openrosa.org/xforms/xformsManifest"
	nsResponse = "http://openrosa.org/http/response"
)

// FormListItem is one blank form offered to a device.
type FormListItem struct {
	FormID      string
	Name        string
	Version     string
	MD5         string // hex MD5 of the XForm; announced as "md5:" + MD5
	DownloadURL string
	ManifestURL string // empty: the form has no media files
}

type xformsList struct {
	XMLName xml.Name     `xml:"xforms"`
	NS      string       `xml:"xmlns,attr"`
	Forms   []xformEntry `xml:"xform"`
}

type xformEntry struct {
	FormID      string `xml:"formID"`
	Name        string `xml:"name"`
	Version     string `xml:"version"`
	Hash        string `xml:"hash"`
	DownloadURL string `xml:"downloadUrl"`
	ManifestURL string `xml:"manifestUrl,omitempty"`
}

// FormList is the form list document for items.
func FormList(items []FormListItem) []byte {
	doc := xformsList{NS: nsFormList, Forms: make([]xformEntry, len(items))}
	for i, it := range items {
		doc.Forms[i] = xformEntry{FormID: it.FormID, Name: it.Name, Version: it.Version, Hash: "md5:" + it.MD5,
			DownloadURL: it.DownloadURL, ManifestURL: it.ManifestURL}
	}
	return document(doc)
}

// MediaFile is one file a form's manifest lists.
type MediaFile struct {
	Filename    string
	MD5         string
	DownloadURL string
}

type manifest struct {
	XMLName xml.Name       `xml:"manifest"`
	NS      string         `xml:"xmlns,attr"`
	Files   []manifestFile `xml:"mediaFile"`
}

type manifestFile struct {
	Filename    string `xml:"filename"`
	Hash        string `xml:"hash"`
	DownloadURL string `xml:"downloadUrl"`
}

// Manifest is the manifest document of a form's media files (none is a
// valid, empty manifest).
func Manifest(files []MediaFile) []byte {
	doc := manifest{NS: nsManifest, Files: make([]manifestFile, len(files))}
	for i, f := range files {
		doc.Files[i] = manifestFile{Filename: f.Filename, Hash: "md5:" + f.MD5, DownloadURL: f.DownloadURL}
	}
	return document(doc)
}

type response struct {
	XMLName xml.Name `xml:"OpenRosaResponse"`
	NS      string   `xml:"xmlns,attr"`
	Message message  `xml:"message"`
}

type message struct {
	Nature string `xml:"nature,attr,omitempty"`
	Text   string `xml:",chardata"`
}

// Natures of a response's message, as ODK Collect shows them.
const (
	NatureSubmitSuccess = "submit_success"
	NatureError         = "error"
)

// Response is an OpenRosaResponse carrying one message.
func Response(nature, text string) []byte {
	return document(response{NS: nsResponse, Message: message{Nature: nature, Text: text}})
}

func document(v any) []byte {
	b, err := xml.MarshalIndent(v, "", "  ")
	if err != nil {
		// The documents are plain structs of strings; marshalling cannot
		// fail for them.
		panic(err)
	}
	return append([]byte(xml.Header), append(b, '\n')...)
}

// WriteXML answers with an OpenRosa document and the protocol's headers.
func WriteXML(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h.Set("Content-Type", "text/xml; charset=utf-8")
	h.Set("X-OpenRosa-Version", Version)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
