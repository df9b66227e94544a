package campaign

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"

	qrcode "github.com/skip2/go-qrcode"
)

// tokenBytes is the length of an invitation token: 256 random bits.
const tokenBytes = 32

// newToken returns a fresh random token (base64url, 43 characters) and its hash.
func newToken() (token, hash string) {
	b := make([]byte, tokenBytes)
	// crypto/rand.Read never fails (it panics if the system cannot give randomness).
	_, _ = rand.Read(b)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, HashToken(token)
}

// HashToken is the SHA-256 hash of a token in hex, as stored.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// validTokenShape reports whether s looks like a token, so that junk never
// reaches the database.
func validTokenShape(s string) bool {
	if len(s) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return false
	}
	_, err := base64.RawURLEncoding.DecodeString(s)
	return err == nil
}

// newKey returns a random campaign key (128 bits, hex) for OpenRosa addresses.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// LinkPath is the path of an invitation link.
func LinkPath(token string) string { return "/r/" + token }

// QRCode returns a PNG QR code of a link, medium error correction, 256
// pixels square: enough for a phone camera from a printed page.
func QRCode(link string) ([]byte, error) {
	return qrcode.Encode(link, qrcode.Medium, 256)
}
