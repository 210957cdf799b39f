package nquads

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/cayleygraph/quad"
)

// parser reads one statement from s. When clone is set, s aliases a reused
// buffer and every substring kept in a value must be copied.
type parser struct {
	s     string
	i     int
	opt   Options
	clone bool
}

// errAt returns a syntax error at byte offset off of the line.
func (p *parser) errAt(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Col: column(p.s, off), Msg: fmt.Sprintf(format, args...)}
}

// str returns s[i:j] as a string that is safe to keep.
func (p *parser) str(i, j int) string {
	if p.clone {
		return strings.Clone(p.s[i:j])
	}
	return p.s[i:j]
}

func (p *parser) skipWS() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t') {
		p.i++
	}
}

// found describes what stands at offset i, for "expected X, found Y".
func (p *parser) found(i int) string {
	if i >= len(p.s) {
		return "end of line"
	}
	if p.s[i] == '#' {
		return "comment"
	}
	j := i
	for j < len(p.s) && j-i < 24 && p.s[j] != ' ' && p.s[j] != '\t' {
		j++
	}
	for j < len(p.s) && !utf8.RuneStart(p.s[j]) {
		j++
	}
	return fmt.Sprintf("%q", p.s[i:j])
}

// statement parses the whole line. ok is false for a blank or comment line.
func (p *parser) statement() (q quad.Quad, ok bool, err *SyntaxError) {
	p.skipWS()
	if p.i == len(p.s) || p.s[p.i] == '#' {
		return q, false, p.comment()
	}
	if q.Subject, err = p.subject(); err != nil {
		return q, false, err
	}
	p.skipWS()
	if q.Predicate, err = p.predicate(); err != nil {
		return q, false, err
	}
	p.skipWS()
	if q.Object, err = p.object(); err != nil {
		return q, false, err
	}
	p.skipWS()
	if q.Label, err = p.graphLabel(); err != nil {
		return q, false, err
	}
	if q.Label != nil {
		p.skipWS()
	}
	if p.i == len(p.s) {
		return q, false, p.errAt(p.i, "missing final '.'")
	}
	if p.s[p.i] != '.' {
		return q, false, p.errAt(p.i, "expected '.' at end of statement, found %s", p.found(p.i))
	}
	p.i++
	p.skipWS()
	if p.i < len(p.s) && p.s[p.i] != '#' {
		return q, false, p.errAt(p.i, "unexpected %s after final '.'", p.found(p.i))
	}
	if err = p.comment(); err != nil {
		return q, false, err
	}
	return q, true, nil
}

// comment checks the rest of the line, a comment or nothing, for valid UTF-8.
func (p *parser) comment() *SyntaxError {
	rest := p.s[p.i:]
	if utf8.ValidString(rest) {
		return nil
	}
	for k := 0; k < len(rest); {
		r, size := utf8.DecodeRuneInString(rest[k:])
		if r == utf8.RuneError && size <= 1 {
			return p.errAt(p.i+k, "invalid UTF-8")
		}
		k += size
	}
	return nil
}

func (p *parser) subject() (quad.Value, *SyntaxError) {
	switch p.s[p.i] {
	case '<':
		return p.iriValue()
	case '_':
		return p.bnode()
	case '"':
		return nil, p.errAt(p.i, "literal is not allowed as subject")
	}
	return nil, p.errAt(p.i, "expected subject (IRI or blank node), found %s", p.found(p.i))
}

func (p *parser) predicate() (quad.Value, *SyntaxError) {
	if p.i < len(p.s) {
		switch p.s[p.i] {
		case '<':
			return p.iriValue()
		case '_':
			return nil, p.errAt(p.i, "blank node is not allowed as predicate")
		case '"':
			return nil, p.errAt(p.i, "literal is not allowed as predicate")
		}
	}
	return nil, p.errAt(p.i, "expected predicate (IRI), found %s", p.found(p.i))
}

func (p *parser) object() (quad.Value, *SyntaxError) {
	if p.i < len(p.s) {
		switch p.s[p.i] {
		case '<':
			return p.iriValue()
		case '_':
			return p.bnode()
		case '"':
			return p.literal()
		}
	}
	return nil, p.errAt(p.i, "expected object (IRI, blank node or literal), found %s", p.found(p.i))
}

// graphLabel parses an optional graph label; it returns nil if there is none.
func (p *parser) graphLabel() (quad.Value, *SyntaxError) {
	if p.i == len(p.s) {
		return nil, nil
	}
	c := p.s[p.i]
	if c != '<' && c != '_' && c != '"' {
		return nil, nil
	}
	if p.opt.Triples {
		return nil, p.errAt(p.i, "graph label is not allowed in N-Triples")
	}
	switch c {
	case '<':
		return p.iriValue()
	case '_':
		return p.bnode()
	}
	return nil, p.errAt(p.i, "literal is not allowed as graph label")
}

func (p *parser) iriValue() (quad.Value, *SyntaxError) {
	s, err := p.iri()
	if err != nil {
		return nil, err
	}
	return quad.IRI(s), nil
}

// iri parses an IRIREF at p.i (which holds '<') and returns it unbracketed,
// with its escapes decoded.
func (p *parser) iri() (string, *SyntaxError) {
	start := p.i
	escaped := false
	i := start + 1
	for ; i < len(p.s) && p.s[i] != '>'; i++ {
		c := p.s[i]
		switch {
		case c >= utf8.RuneSelf:
			size, err := p.rune(i)
			if err != nil {
				return "", err
			}
			i += size - 1
		case c == '\\':
			n, err := p.iriEscape(i)
			if err != nil {
				return "", err
			}
			escaped = true
			i += n - 1
		case iriForbidden[c]:
			return "", p.errAt(i, "character %q is not allowed in IRI", rune(c))
		}
	}
	if i >= len(p.s) {
		return "", p.errAt(start, "unterminated IRI (missing '>')")
	}
	p.i = i + 1
	var v string
	if escaped {
		v = unescapeIRI(p.s[start+1 : i])
	} else {
		v = p.str(start+1, i)
	}
	if p.opt.Strict && !hasScheme(v) {
		return "", p.errAt(start, "relative IRI <%s> (an absolute IRI with a scheme is required)", abbreviate(v))
	}
	if v == "" {
		return "", p.errAt(start, "empty IRI <>")
	}
	return v, nil
}

// iriEscape checks the escape at s[i] == '\\' inside an IRI and returns its length.
func (p *parser) iriEscape(i int) (int, *SyntaxError) {
	if i+1 >= len(p.s) || (p.s[i+1] != 'u' && p.s[i+1] != 'U') {
		return 0, p.errAt(i, "invalid escape %s in IRI (only \\u and \\U are allowed)", p.escText(i))
	}
	r, n, err := p.uchar(i)
	if err != nil {
		return 0, err
	}
	if r < utf8.RuneSelf && iriForbidden[r] {
		return 0, p.errAt(i, "escape %s yields %q, which is not allowed in IRI", p.s[i:i+n], r)
	}
	return n, nil
}

// uchar decodes \uXXXX or \UXXXXXXXX at s[i] and returns its rune and length.
func (p *parser) uchar(i int) (rune, int, *SyntaxError) {
	n := 4
	if p.s[i+1] == 'U' {
		n = 8
	}
	var r uint32
	for k := i + 2; k < i+2+n; k++ {
		if k >= len(p.s) || hexVal[p.s[k]] < 0 {
			return 0, 0, p.errAt(i, "invalid escape %s: expected %d hex digits", p.escText(i), n)
		}
		r = r<<4 | uint32(hexVal[p.s[k]])
	}
	if r > utf8.MaxRune || (r >= 0xD800 && r <= 0xDFFF) {
		return 0, 0, p.errAt(i, "escape %s is not a Unicode scalar value", p.s[i:i+2+n])
	}
	return rune(r), n + 2, nil
}

// escText quotes the escape at s[i] for an error message.
func (p *parser) escText(i int) string {
	j := i + 1
	if j < len(p.s) {
		_, size := utf8.DecodeRuneInString(p.s[j:])
		j += size
		if p.s[i+1] == 'u' || p.s[i+1] == 'U' {
			for j < len(p.s) && j < i+10 && p.s[j] > ' ' && p.s[j] < utf8.RuneSelf && p.s[j] != '"' && p.s[j] != '>' {
				j++
			}
		}
	}
	return p.s[i:j]
}

// rune checks the multi-byte UTF-8 sequence at s[i] and returns its length.
func (p *parser) rune(i int) (int, *SyntaxError) {
	r, size := utf8.DecodeRuneInString(p.s[i:])
	if r == utf8.RuneError && size <= 1 {
		return 0, p.errAt(i, "invalid UTF-8")
	}
	return size, nil
}

// bnode parses a BLANK_NODE_LABEL at p.i (which holds '_').
func (p *parser) bnode() (quad.Value, *SyntaxError) {
	start := p.i
	if start+1 >= len(p.s) || p.s[start+1] != ':' {
		return nil, p.errAt(start, "expected \"_:\" to start a blank node label, found %s", p.found(start))
	}
	i := start + 2
	end := i // end of the label without trailing dots
	for i < len(p.s) {
		c := p.s[i]
		if c < utf8.RuneSelf {
			if c == '.' && i > start+2 {
				i++
				continue
			}
			if !pnCharsASCII[c] || (i == start+2 && c == '-') {
				break
			}
			i++
			end = i
			continue
		}
		r, size := utf8.DecodeRuneInString(p.s[i:])
		if r == utf8.RuneError && size <= 1 {
			return nil, p.errAt(i, "invalid UTF-8")
		}
		if !isPNChars(r) || (i == start+2 && !isPNCharsBase(r)) {
			break
		}
		i += size
		end = i
	}
	if end == start+2 {
		return nil, p.errAt(start, "empty or invalid blank node label, found %s", p.found(start))
	}
	p.i = end
	return quad.BNode(p.str(start+2, end)), nil
}
