package nquads

import (
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/cayleygraph/quad"
)

const xsd = "http://www.w3.org/2001/XMLSchema#"

func TestParseLine(t *testing.T) {
	s, p, o := quad.IRI("http://example/s"), quad.IRI("http://example/p"), quad.IRI("http://example/o")
	for _, tc := range []struct {
		name string
		line string
		opt  Options
		want quad.Quad
	}{
		{"relative IRIs", `<alice> <follows> <bob> .`, Options{},
			quad.Quad{Subject: quad.IRI("alice"), Predicate: quad.IRI("follows"), Object: quad.IRI("bob")}},
		{"absolute IRIs strict", `<http://example/s> <http://example/p> <http://example/o> .`, Options{Strict: true},
			quad.Quad{Subject: s, Predicate: p, Object: o}},
		{"IRI label", `<s> <p> <o> <g> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.IRI("o"), Label: quad.IRI("g")}},
		{"blank nodes", "_:a.b\t<http://example/p>\t_:c. ", Options{Strict: true},
			quad.Quad{Subject: quad.BNode("a.b"), Predicate: p, Object: quad.BNode("c")}},
		{"blank node label", `_:1a <http://example/p> _:x-y_z:w·‿ _:g .`, Options{},
			quad.Quad{Subject: quad.BNode("1a"), Predicate: p, Object: quad.BNode("x-y_z:w·‿"), Label: quad.BNode("g")}},
		{"unicode blank node", `_:café <http://example/p> _:日本 .`, Options{},
			quad.Quad{Subject: quad.BNode("café"), Predicate: p, Object: quad.BNode("日本")}},
		{"minimal whitespace", `<http://example/s><http://example/p>"x"@en<http://example/g>.`, Options{},
			quad.Quad{Subject: s, Predicate: p, Object: quad.LangString{Value: "x", Lang: "en"}, Label: quad.IRI("http://example/g")}},
		{"lang tag then blank node", `<s> <p> "x"@en-GB_:g.`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.LangString{Value: "x", Lang: "en-GB"}, Label: quad.BNode("g")}},
		{"leading space, comment", "  <s> <p> <o> .# done", Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.IRI("o")}},
		{"trailing CR", "<s> <p> <o> .\r", Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.IRI("o")}},
		{"plain literal", `<s> <p> "cool_person" .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.String("cool_person")}},
		{"ECHAR", `<s> <p> "\t\b\n\r\f\"\'\\" .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.String("\t\b\n\r\f\"'\\")}},
		{"UCHAR", `<s> <p> "\u00e9\U0001F600\u0000" .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.String("é😀\x00")}},
		{"raw characters in literal", "<s> <p> \"\x00\x7f é <>{}|^`\" .", Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.String("\x00\x7f é <>{}|^`")}},
		{"UCHAR in IRI", `<http://example/\u0053> <http://example/p\U000000e9> <o> .`, Options{},
			quad.Quad{Subject: quad.IRI("http://example/S"), Predicate: quad.IRI("http://example/pé"), Object: quad.IRI("o")}},
		{"escaped scheme is absolute", `<\u0068ttp://x/> <http://example/p> <http://example/o> .`, Options{Strict: true},
			quad.Quad{Subject: quad.IRI("http://x/"), Predicate: p, Object: o}},
		{"unicode IRI", `<http://example/ü> <p> <o> .`, Options{},
			quad.Quad{Subject: quad.IRI("http://example/ü"), Predicate: quad.IRI("p"), Object: quad.IRI("o")}},
		{"xsd:integer to Int", `<s> <p> "42"^^<` + xsd + `integer> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.Int(42)}},
		{"short xsd:integer to Int", `<http://example/s> <http://example/p> "-7"^^<xsd:integer> .`, Options{Strict: true},
			quad.Quad{Subject: s, Predicate: p, Object: quad.Int(-7)}},
		{"bad integer stays typed", `<s> <p> "4x"^^<` + xsd + `integer> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.TypedString{Value: "4x", Type: xsd + "integer"}}},
		{"xsd:string to String", `<s> <p> "x"^^<` + xsd + `string> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.String("x")}},
		{"xsd:boolean to Bool", `<s> <p> "true"^^<` + xsd + `boolean> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.Bool(true)}},
		{"schema:Boolean to Bool", `<type> <gephi:inline> "true"^^<schema:Boolean> .`, Options{},
			quad.Quad{Subject: quad.IRI("type"), Predicate: quad.IRI("gephi:inline"), Object: quad.Bool(true)}},
		{"xsd:double to Float", `<s> <p> "1.5e3"^^<` + xsd + `double> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.Float(1500)}},
		{"NaN to Float", `<s> <p> "NaN"^^<` + xsd + `double> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.Float(math.NaN())}},
		{"xsd:dateTime to Time", `<s> <p> "2020-01-01T10:00:00+02:00"^^<` + xsd + `dateTime> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.Time(time.Date(2020, 1, 1, 10, 0, 0, 0, time.FixedZone("", 7200)))}},
		{"unknown datatype stays typed", `<s> <p> "123"^^<` + xsd + `byte> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.TypedString{Value: "123", Type: xsd + "byte"}}},
		{"escaped datatype", `<s> <p> "5"^^<http://www.w3.org/2001/XMLSchema\u0023int> .`, Options{},
			quad.Quad{Subject: quad.IRI("s"), Predicate: quad.IRI("p"), Object: quad.Int(5)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := ParseLine(tc.line, tc.opt)
			if err != nil || !ok {
				t.Fatalf("ParseLine(%q) = ok %v, err %v", tc.line, ok, err)
			}
			if !quadEqual(got, tc.want) {
				t.Errorf("ParseLine(%q)\n got %#v\nwant %#v", tc.line, got, tc.want)
			}
		})
	}
}

func TestParseLineBlank(t *testing.T) {
	for _, line := range []string{"", "   ", "\t", "\r", "# comment", "  #<s> <p> <o> .", "#"} {
		q, ok, err := ParseLine(line, Options{Strict: true})
		if ok || err != nil || q != (quad.Quad{}) {
			t.Errorf("ParseLine(%q) = %v, %v, %v; want a blank line", line, q, ok, err)
		}
	}
}

func TestParseLineErrors(t *testing.T) {
	strict := Options{Strict: true}
	for _, tc := range []struct {
		line string
		opt  Options
		col  int
		msg  string // the error message must contain this
	}{
		// Terms in the wrong place.
		{`"s" <p> <o> .`, Options{}, 1, "literal is not allowed as subject"},
		{`<s> "p" <o> .`, Options{}, 5, "literal is not allowed as predicate"},
		{`<s> _:p <o> .`, Options{}, 5, "blank node is not allowed as predicate"},
		{`<s> <p> <o> "g" .`, Options{}, 13, "literal is not allowed as graph label"},
		{`<s> <p> <o> <g> .`, Options{Triples: true}, 13, "graph label is not allowed in N-Triples"},
		{`<s> <p> <o> _:g .`, Options{Triples: true}, 13, "graph label is not allowed in N-Triples"},
		{`<s> <p> <o> <g> <h> .`, Options{}, 17, `expected '.' at end of statement, found "<h>"`},
		{`<s> <p> .`, Options{}, 9, "expected object (IRI, blank node or literal), found \".\""},
		{`<s> <p>`, Options{}, 8, "expected object (IRI, blank node or literal), found end of line"},
		{`<s>`, Options{}, 4, "expected predicate (IRI), found end of line"},
		// What Cayley's reader lets through.
		{`<s> <p> 1 .`, Options{}, 9, `found "1"`},
		{`<s> <p> true .`, Options{}, 9, `found "true"`},
		{`ex:s <p> <o> .`, Options{}, 1, `expected subject (IRI or blank node), found "ex:s"`},
		{`<s> ex:p <o> .`, Options{}, 5, `expected predicate (IRI), found "ex:p"`},
		{`@prefix ex: <http://example/> .`, Options{}, 1, `found "@prefix"`},
		{`<http://example/ s> <p> <o> .`, Options{}, 17, `character ' ' is not allowed in IRI`},
		{`<s> <p> "a\zb" .`, Options{}, 11, `invalid escape \z in literal`},
		{`<s> <p> "a\` + "\u00e9" + `" .`, Options{}, 11, `invalid escape \é in literal`},
		{`<s> <p> "\u12G4" .`, Options{}, 10, `invalid escape \u12G4: expected 4 hex digits`},
		{`<s> <p> "\u12" .`, Options{}, 10, `expected 4 hex digits`},
		{`<s> <p> "\U0001F60" .`, Options{}, 10, `expected 8 hex digits`},
		{`<s> <p> "\uD800" .`, Options{}, 10, `escape \uD800 is not a Unicode scalar value`},
		{`<s> <p> "\U00110000" .`, Options{}, 10, `is not a Unicode scalar value`},
		{`<s> <p> "\UFFFFFFFF" .`, Options{}, 10, `escape \UFFFFFFFF is not a Unicode scalar value`},
		{`<s> <p> "\U80000041" .`, Options{}, 10, `is not a Unicode scalar value`},
		{`<a\UFFFFFFFF> <p> <o> .`, Options{}, 3, `is not a Unicode scalar value`},
		{`<s> <p> 'x' .`, Options{}, 9, `found "'x'"`},
		{`<s> <p> """x""" .`, Options{}, 11, "literal is not allowed as graph label"},
		{`<s> <p> "x .`, Options{}, 9, "unterminated literal"},
		{"<s> <p> \"a\nb\" .", Options{}, 11, "line break in literal"},
		{"<s> <p> \"a\rb\" .", Options{}, 11, "line break in literal"},
		// IRIs.
		{`<s<p> <o> .`, Options{}, 3, "character '<' is not allowed in IRI"},
		{`<s> <p> <o .`, Options{}, 11, "character ' ' is not allowed in IRI"},
		{`<s> <p> <o`, Options{}, 9, "unterminated IRI"},
		{`<a"b> <p> <o> .`, Options{}, 3, `character '"' is not allowed in IRI`},
		{`<a{b> <p> <o> .`, Options{}, 3, `character '{' is not allowed in IRI`},
		{`<a}b> <p> <o> .`, Options{}, 3, `character '}' is not allowed in IRI`},
		{`<a|b> <p> <o> .`, Options{}, 3, `character '|' is not allowed in IRI`},
		{`<a^b> <p> <o> .`, Options{}, 3, `character '^' is not allowed in IRI`},
		{"<a`b> <p> <o> .", Options{}, 3, "character '`' is not allowed in IRI"},
		{"<a\tb> <p> <o> .", Options{}, 3, `character '\t' is not allowed in IRI`},
		{"<a\x00b> <p> <o> .", Options{}, 3, `character '\x00' is not allowed in IRI`},
		{`<a\nb> <p> <o> .`, Options{}, 3, `invalid escape \n in IRI`},
		{`<a\/b> <p> <o> .`, Options{}, 3, `invalid escape \/ in IRI`},
		{`<a\u0020b> <p> <o> .`, Options{}, 3, `escape \u0020 yields ' ', which is not allowed in IRI`},
		{`<a\u003Eb> <p> <o> .`, Options{}, 3, `yields '>'`},
		{`<a\u00ZZ> <p> <o> .`, Options{}, 3, `expected 4 hex digits`},
		{`<> <p> <o> .`, Options{}, 1, "empty IRI <>"},
		{`<s> <p> <o> <> .`, Options{}, 13, "empty IRI <>"},
		// Strict: relative IRIs anywhere.
		{`<s> <http://example/p> <http://example/o> .`, strict, 1, "relative IRI <s>"},
		{`<http://example/s> <p> <http://example/o> .`, strict, 20, "relative IRI <p>"},
		{`<http://example/s> <http://example/p> </o> .`, strict, 39, "relative IRI </o>"},
		{`<http://example/s> <http://example/p> <http://example/o> <g> .`, strict, 58, "relative IRI <g>"},
		{`<http://example/s> <http://example/p> "x"^^<dt> .`, strict, 44, "relative IRI <dt>"},
		{`<1a:b> <http://example/p> <http://example/o> .`, strict, 1, "relative IRI <1a:b>"},
		{`<> <http://example/p> <http://example/o> .`, strict, 1, "relative IRI <>"},
		// Language tags and datatypes.
		{`<s> <p> "x"@1 .`, Options{}, 12, `invalid language tag "@1"`},
		{`<s> <p> "x"@ .`, Options{}, 12, `invalid language tag "@"`},
		{`<s> <p> "x"@en- .`, Options{}, 12, `invalid language tag "@en-"`},
		{`<s> <p> "x"@en-gb- .`, Options{}, 12, `invalid language tag`},
		{`<s> <p> "x"@en_US .`, Options{}, 12, `invalid language tag "@en_US"`},
		{`<s> <p> "x"@en1 .`, Options{}, 12, `invalid language tag "@en1"`},
		{`<s> <p> "x"@é .`, Options{}, 12, `invalid language tag`},
		{`<s> <p> "x"^^xsd:string .`, Options{}, 12, `expected "^^<" to start a datatype IRI`},
		{`<s> <p> "x"^<dt> .`, Options{}, 12, `expected "^^<" to start a datatype IRI`},
		{`<s> <p> "x"^^ <dt> .`, Options{}, 12, `expected "^^<"`},
		// Blank nodes.
		{`_: <p> <o> .`, Options{}, 1, "empty or invalid blank node label"},
		{`_:-a <p> <o> .`, Options{}, 1, "empty or invalid blank node label"},
		{`_:.a <p> <o> .`, Options{}, 1, "empty or invalid blank node label"},
		{`_a <p> <o> .`, Options{}, 1, `expected "_:" to start a blank node label`},
		{`_:a! <p> <o> .`, Options{}, 4, `expected predicate (IRI), found "!"`},
		// The end of the statement.
		{`<s> <p> <o>`, Options{}, 12, "missing final '.'"},
		{`<s> <p> <o> `, Options{}, 13, "missing final '.'"},
		{`<s> <p> <o> # no dot`, Options{}, 13, "expected '.' at end of statement, found comment"},
		{`<s> <p> <o> . <s> <p> <o> .`, Options{}, 15, `unexpected "<s>" after final '.'`},
		{`<s> <p> <o> ..`, Options{}, 14, `unexpected "." after final '.'`},
		{`<s> <p> _:o..`, Options{}, 13, `unexpected "." after final '.'`},
		{`<s> <p> <o> , <o2> .`, Options{}, 13, `found ","`},
		{`<s> <p> <o> ; <p2> <o2> .`, Options{}, 13, `found ";"`},
		{"<s> <p> <o> .\v", Options{}, 14, `unexpected "\v" after final '.'`},
		{"<s> <p> <o> .\u00a0", Options{}, 14, `unexpected "\u00a0" after final '.'`},
		{"<s> <p> <o> .\r\r", Options{}, 14, `unexpected "\r" after final '.'`},
		{"\v<s> <p> <o> .", Options{}, 1, `expected subject`},
		{"\ufeff<s> <p> <o> .", Options{}, 1, `expected subject`},
		// Encoding.
		{"<s> <p> \"caf\xe9\" .", Options{}, 13, "invalid UTF-8"},
		{"<s\xff> <p> <o> .", Options{}, 3, "invalid UTF-8"},
		{"_:a\xc3 <p> <o> .", Options{}, 4, "invalid UTF-8"},
		{"<s> <p> <o> . # caf\xe9", Options{}, 20, "invalid UTF-8"},
		{"# caf\xe9", Options{}, 6, "invalid UTF-8"},
		{"<s> <p> \"é\xe9\" .", Options{}, 11, "invalid UTF-8"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			q, ok, err := ParseLine(tc.line, tc.opt)
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("ParseLine(%q) = %v, %v, %v; want a *SyntaxError", tc.line, q, ok, err)
			}
			if ok || q != (quad.Quad{}) {
				t.Errorf("ParseLine(%q) returned ok %v, quad %v with an error", tc.line, ok, q)
			}
			if se.Line != 1 || se.Col != tc.col || !strings.Contains(se.Msg, tc.msg) {
				t.Errorf("ParseLine(%q) error = line %d col %d %q; want line 1 col %d containing %q",
					tc.line, se.Line, se.Col, se.Msg, tc.col, tc.msg)
			}
			if strings.HasSuffix(se.Msg, ".") || se.Msg[:1] != strings.ToLower(se.Msg[:1]) {
				t.Errorf("message %q: want lowercase, no final period", se.Msg)
			}
		})
	}
}

func TestSyntaxErrorString(t *testing.T) {
	_, _, err := ParseLine(`<s> <p> 1 .`, Options{})
	want := `line 1:9: expected object (IRI, blank node or literal), found "1"`
	if err == nil || err.Error() != want {
		t.Errorf("error = %v, want %s", err, want)
	}
}

// FuzzParseLine checks that no input panics, that ParseLine and Reader agree
// on a single line, and that what is accepted survives a round trip through
// Cayley's N-Quads rendering.
func FuzzParseLine(f *testing.F) {
	for _, s := range []string{
		`<alice> <follows> <bob> .`,
		`_:a.b <http://example/p> "x\u00e9\n"@en-GB _:g . # c`,
		`<s> <p> "42"^^<http://www.w3.org/2001/XMLSchema#integer> <g>.`,
		`<http://example/\u0053> <p> "\U0001F600"^^<dt> .`,
		`<s> <p> "a\zb" .`,
	} {
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, line string, strict bool) {
		if strings.ContainsAny(line, "\r\n") {
			return
		}
		opt := Options{Strict: strict}
		q, ok, err := ParseLine(line, opt)
		if err != nil && ok {
			t.Fatalf("ok with error %v", err)
		}
		rq, _, rerr := NewReader(strings.NewReader(line), opt).Next()
		if (err == nil) != (rerr == nil || (rerr == io.EOF && !ok)) || (ok && !quadEqual(q, rq)) {
			t.Fatalf("ParseLine: %v, %v, %v; Reader: %v, %v", q, ok, err, rq, rerr)
		}
		if !ok {
			return
		}
		again, ok2, err2 := ParseLine(q.NQuad(), opt)
		if err2 != nil || !ok2 || again.NQuad() != q.NQuad() {
			t.Fatalf("round trip of %q: %q, %v, %v", line, again.NQuad(), ok2, err2)
		}
	})
}
