package nquads

import (
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// literal parses a STRING_LITERAL_QUOTE at p.i (which holds '"') with its
// optional language tag or datatype.
func (p *parser) literal() (quad.Value, *SyntaxError) {
	start := p.i
	escaped := false
	i := start + 1
	for {
		if i >= len(p.s) {
			return nil, p.errAt(start, "unterminated literal (missing '\"')")
		}
		c := p.s[i]
		if !litSpecial[c] {
			i++
			continue
		}
		if c == '"' {
			break
		}
		switch {
		case c >= utf8.RuneSelf:
			size, err := p.rune(i)
			if err != nil {
				return nil, err
			}
			i += size
		case c == '\\':
			n, err := p.echar(i)
			if err != nil {
				return nil, err
			}
			escaped = true
			i += n
		default: // '\n' or '\r': only possible through ParseLine
			return nil, p.errAt(i, "line break in literal (write it as \\n or \\r)")
		}
	}
	var val string
	if escaped {
		val = unescapeLiteral(p.s[start+1 : i])
	} else {
		val = p.str(start+1, i)
	}
	p.i = i + 1
	if p.i < len(p.s) {
		switch p.s[p.i] {
		case '@':
			lang, err := p.langTag()
			if err != nil {
				return nil, err
			}
			return quad.LangString{Value: quad.String(val), Lang: lang}, nil
		case '^':
			return p.typed(val)
		}
	}
	return quad.String(val), nil
}

// typed parses "^^<datatype>" after the literal val and converts the value as
// Cayley's reader does.
func (p *parser) typed(val string) (quad.Value, *SyntaxError) {
	if p.i+2 >= len(p.s) || p.s[p.i+1] != '^' || p.s[p.i+2] != '<' {
		return nil, p.errAt(p.i, "expected \"^^<\" to start a datatype IRI, found %s", p.found(p.i))
	}
	p.i += 2
	dt, err := p.iri()
	if err != nil {
		return nil, err
	}
	ts := quad.TypedString{Value: quad.String(val), Type: quad.IRI(dt)}
	if v, err := ts.ParseValue(); err == nil {
		return v, nil
	}
	return ts, nil
}

// langTag parses LANGTAG ::= '@' [a-zA-Z]+ ('-' [a-zA-Z0-9]+)* at p.i.
func (p *parser) langTag() (string, *SyntaxError) {
	start := p.i
	i := start + 1
	for i < len(p.s) && isAlpha(p.s[i]) {
		i++
	}
	ok := i > start+1
	for ok && i < len(p.s) && p.s[i] == '-' {
		j := i + 1
		for j < len(p.s) && (isAlpha(p.s[j]) || isDigit(p.s[j])) {
			j++
		}
		if j == i+1 {
			ok = false
		}
		i = j
	}
	// The tag must not run into a character that could have continued it:
	// "@en_US", "@en1" or "@en-" are bad tags, not a tag and a next term.
	if ok && i < len(p.s) {
		c := p.s[i]
		if isDigit(c) || c == '-' || (c == '_' && !(i+1 < len(p.s) && p.s[i+1] == ':')) || c >= utf8.RuneSelf {
			ok = false
		}
	}
	if !ok {
		return "", p.errAt(start, "invalid language tag %s", p.found(start))
	}
	p.i = i
	return p.str(start+1, i), nil
}

// echar checks the escape at s[i] == '\\' inside a literal and returns its length.
func (p *parser) echar(i int) (int, *SyntaxError) {
	if i+1 < len(p.s) {
		switch p.s[i+1] {
		case 't', 'b', 'n', 'r', 'f', '"', '\'', '\\':
			return 2, nil
		case 'u', 'U':
			_, n, err := p.uchar(i)
			return n, err
		}
	}
	return 0, p.errAt(i, "invalid escape %s in literal", p.escText(i))
}

// unescapeLiteral decodes the ECHAR and UCHAR escapes of a checked literal body.
func unescapeLiteral(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			b.WriteByte(c)
			i++
			continue
		}
		switch s[i+1] {
		case 'u', 'U':
			r, n := decodeUCHAR(s, i)
			b.WriteRune(r)
			i += n
			continue
		case 't':
			c = '\t'
		case 'b':
			c = '\b'
		case 'n':
			c = '\n'
		case 'r':
			c = '\r'
		case 'f':
			c = '\f'
		default: // '"', '\'', '\\'
			c = s[i+1]
		}
		b.WriteByte(c)
		i += 2
	}
	return b.String()
}

// unescapeIRI decodes the UCHAR escapes of a checked IRI body.
func unescapeIRI(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			i++
			continue
		}
		r, n := decodeUCHAR(s, i)
		b.WriteRune(r)
		i += n
	}
	return b.String()
}

// decodeUCHAR decodes a checked \uXXXX or \UXXXXXXXX at s[i].
func decodeUCHAR(s string, i int) (rune, int) {
	n := 4
	if s[i+1] == 'U' {
		n = 8
	}
	var r rune
	for k := i + 2; k < i+2+n; k++ {
		r = r<<4 | rune(hexVal[s[k]])
	}
	return r, n + 2
}
