package expr

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// tokKind is the kind of a token.
type tokKind int

const (
	tNum tokKind = iota
	tStr
	tRef
	tName
	tDot
	tDotDot
	tOp
	tLParen
	tRParen
	tComma
	tSlash
	tLBracket
	tRBracket
)

var tokNames = map[tokKind]string{tNum: "number", tStr: "string", tRef: "${reference}", tName: "name", tDot: ".", tDotDot: "..",
	tOp: "operator", tLParen: "(", tRParen: ")", tComma: ",", tSlash: "/", tLBracket: "[", tRBracket: "]"}

type token struct {
	kind tokKind
	text string // operator, name, string or reference
	num  float64
	pos  int // byte offset
}

// SyntaxError says where an expression does not read.
type SyntaxError struct {
	Pos int // 1-based character position
	Msg string
}

func (e *SyntaxError) Error() string { return fmt.Sprintf("at character %d: %s", e.Pos, e.Msg) }

func errAt(src string, off int, format string, args ...any) error {
	if off > len(src) {
		off = len(src)
	}
	return &SyntaxError{Pos: utf8.RuneCountInString(src[:off]) + 1, Msg: fmt.Sprintf(format, args...)}
}

func isDigit(c byte) bool     { return c >= '0' && c <= '9' }
func isNameStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' }
func isNameChar(c byte) bool  { return isNameStart(c) || isDigit(c) || c == '.' || c == '-' }

// operatorWords are operators only after an operand, as XPath reads them.
var operatorWords = map[string]bool{"and": true, "or": true, "div": true, "mod": true}

// lex splits an expression into tokens. Following XPath, "*" and the words
// and, or, div and mod are operators only after an operand.
func lex(src string) ([]token, error) {
	var out []token
	afterOperand := func() bool {
		if len(out) == 0 {
			return false
		}
		switch out[len(out)-1].kind {
		case tNum, tStr, tRef, tName, tDot, tDotDot, tRParen:
			return true
		}
		return false
	}
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '$' && i+1 < len(src) && src[i+1] == '{':
			end := strings.IndexByte(src[i:], '}')
			if end < 0 {
				return nil, errAt(src, i, "a reference ${ is not closed with }")
			}
			out = append(out, token{kind: tRef, text: src[i+2 : i+end], pos: i})
			i += end + 1
		case c == '\'' || c == '"':
			end := strings.IndexByte(src[i+1:], c)
			if end < 0 {
				return nil, errAt(src, i, "a text in quotes is not closed")
			}
			out = append(out, token{kind: tStr, text: src[i+1 : i+1+end], pos: i})
			i += end + 2
		case isDigit(c) || c == '.' && i+1 < len(src) && isDigit(src[i+1]):
			j := i
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if j < len(src) && src[j] == '.' {
				j++
				for j < len(src) && isDigit(src[j]) {
					j++
				}
			}
			n, err := strconv.ParseFloat(src[i:j], 64)
			if err != nil {
				return nil, errAt(src, i, "%s is not a number", src[i:j])
			}
			out = append(out, token{kind: tNum, num: n, pos: i})
			i = j
		case c == '.':
			if i+1 < len(src) && src[i+1] == '.' {
				out = append(out, token{kind: tDotDot, pos: i})
				i += 2
			} else {
				out = append(out, token{kind: tDot, pos: i})
				i++
			}
		case strings.HasPrefix(src[i:], "!=") || strings.HasPrefix(src[i:], "<=") || strings.HasPrefix(src[i:], ">="):
			out = append(out, token{kind: tOp, text: src[i : i+2], pos: i})
			i += 2
		case strings.IndexByte("=<>+-|", c) >= 0:
			out = append(out, token{kind: tOp, text: string(c), pos: i})
			i++
		case c == '*':
			if afterOperand() {
				out = append(out, token{kind: tOp, text: "*", pos: i})
			} else {
				out = append(out, token{kind: tName, text: "*", pos: i})
			}
			i++
		case c == '(' || c == ')' || c == ',' || c == '/' || c == '[' || c == ']':
			kind := map[byte]tokKind{'(': tLParen, ')': tRParen, ',': tComma, '/': tSlash, '[': tLBracket, ']': tRBracket}[c]
			out = append(out, token{kind: kind, pos: i})
			i++
		case isNameStart(c):
			j := i + 1
			for j < len(src) && isNameChar(src[j]) {
				j++
			}
			// One prefix, as in jr:choice-name.
			if j+1 < len(src) && src[j] == ':' && isNameStart(src[j+1]) {
				j += 2
				for j < len(src) && isNameChar(src[j]) {
					j++
				}
			}
			word := src[i:j]
			if operatorWords[word] && afterOperand() {
				out = append(out, token{kind: tOp, text: word, pos: i})
			} else {
				out = append(out, token{kind: tName, text: word, pos: i})
			}
			i = j
		default:
			r, _ := utf8.DecodeRuneInString(src[i:])
			return nil, errAt(src, i, "the character %q has no meaning here", r)
		}
	}
	return out, nil
}
