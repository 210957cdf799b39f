package nquads

import "unicode/utf8"

// iriForbidden marks the ASCII characters that may not appear in an IRIREF:
// #x00-#x20 and <>"{}|^`\ (the backslash starts an escape).
var iriForbidden = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c <= ' '; c++ {
		t[c] = true
	}
	for _, c := range "<>\"{}|^`\\" {
		t[c] = true
	}
	return t
}()

// litSpecial marks the bytes that end the fast path inside a literal: the
// closing quote, an escape, a line break and the start of a multi-byte rune.
var litSpecial = func() (t [256]bool) {
	t['"'], t['\\'], t['\n'], t['\r'] = true, true, true, true
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// pnCharsASCII marks the ASCII characters of PN_CHARS: letters, digits, '_',
// ':' and '-'.
var pnCharsASCII = func() (t [utf8.RuneSelf]bool) {
	for c := 0; c < utf8.RuneSelf; c++ {
		t[c] = isAlpha(byte(c)) || isDigit(byte(c)) || c == '_' || c == ':' || c == '-'
	}
	return t
}()

// hexVal maps a byte to its hexadecimal value, or -1.
var hexVal = func() (t [256]int8) {
	for c := range t {
		switch {
		case c >= '0' && c <= '9':
			t[c] = int8(c - '0')
		case c >= 'a' && c <= 'f':
			t[c] = int8(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			t[c] = int8(c - 'A' + 10)
		default:
			t[c] = -1
		}
	}
	return t
}()

func isAlpha(c byte) bool { return (c|0x20) >= 'a' && (c|0x20) <= 'z' }

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// isPNCharsBase reports whether r is in PN_CHARS_BASE.
func isPNCharsBase(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return isAlpha(byte(r))
	case r <= 0x02FF:
		return r >= 0xC0 && r != 0xD7 && r != 0xF7
	case r <= 0x1FFF:
		return r >= 0x0370 && r != 0x037E
	case r <= 0x218F:
		return r == 0x200C || r == 0x200D || r >= 0x2070
	case r <= 0x2FEF:
		return r >= 0x2C00
	case r <= 0xD7FF:
		return r >= 0x3001
	case r <= 0xFFFD:
		return (r >= 0xF900 && r <= 0xFDCF) || r >= 0xFDF0
	default:
		return r >= 0x10000 && r <= 0xEFFFF
	}
}

// isPNChars reports whether r is in PN_CHARS.
func isPNChars(r rune) bool {
	if r < utf8.RuneSelf {
		return pnCharsASCII[r]
	}
	return isPNCharsBase(r) || r == 0xB7 || (r >= 0x0300 && r <= 0x036F) || r == 0x203F || r == 0x2040
}

// hasScheme reports whether the IRI is absolute, that is starts with a scheme
// as RFC 3987 defines it: [A-Za-z][A-Za-z0-9+.-]*":".
func hasScheme(iri string) bool {
	if iri == "" || !isAlpha(iri[0]) {
		return false
	}
	for i := 1; i < len(iri); i++ {
		c := iri[i]
		switch {
		case c == ':':
			return true
		case isAlpha(c) || isDigit(c) || c == '+' || c == '-' || c == '.':
		default:
			return false
		}
	}
	return false
}
