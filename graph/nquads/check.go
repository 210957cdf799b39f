package nquads

import (
	"fmt"
	"unicode/utf8"
)

// CheckIRI reports why iri cannot be written as an N-Quads IRIREF, or nil: it must not be
// empty, must be valid UTF-8 without the characters an IRIREF forbids (controls, space and
// <>"{}|^`\), and, when absolute is set, must start with a scheme.
func CheckIRI(iri string, absolute bool) error {
	if iri == "" {
		return fmt.Errorf("empty IRI")
	}
	for i, r := range iri {
		if r == utf8.RuneError {
			if _, size := utf8.DecodeRuneInString(iri[i:]); size <= 1 {
				return fmt.Errorf("invalid UTF-8 in IRI <%s>", abbreviate(iri))
			}
		}
		if r < utf8.RuneSelf && iriForbidden[r] {
			return fmt.Errorf("character %q is not allowed in IRI <%s>", r, abbreviate(iri))
		}
	}
	if absolute && !hasScheme(iri) {
		return fmt.Errorf("relative IRI <%s> (an absolute IRI with a scheme is required)", abbreviate(iri))
	}
	return nil
}

// CheckLangTag reports why tag is not a language tag as N-Quads writes one
// ([a-zA-Z]+ ('-' [a-zA-Z0-9]+)*), or nil.
func CheckLangTag(tag string) error {
	i := 0
	for i < len(tag) && isAlpha(tag[i]) {
		i++
	}
	ok := i > 0
	for ok && i < len(tag) {
		if tag[i] != '-' {
			ok = false
			break
		}
		j := i + 1
		for j < len(tag) && (isAlpha(tag[j]) || isDigit(tag[j])) {
			j++
		}
		ok = j > i+1
		i = j
	}
	if !ok {
		return fmt.Errorf("invalid language tag %q", abbreviate(tag))
	}
	return nil
}

// abbreviate shortens s for a message: at most 64 bytes, cut at a rune boundary.
func abbreviate(s string) string {
	const max = 64
	if len(s) <= max {
		return s
	}
	i := max
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return s[:i] + "…"
}
