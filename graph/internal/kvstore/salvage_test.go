package kvstore

import (
	"errors"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph/nquads"
)

// TestNQuadLine: a salvaged quad is one line, whatever its values hold, and it reads back
// as it was or is refused at that one line.
func TestNQuadLine(t *testing.T) {
	for _, c := range []struct {
		q    quad.Quad
		want string
		back bool // the line reads back to q
	}{
		{quad.Make(quad.IRI("a"), quad.IRI("p"), quad.String("x\ny\rz"), nil), `<a> <p> "x\ny\rz" .`, true},
		{quad.Make(quad.IRI("a\nb"), quad.IRI("p"), quad.IRI("c\rd"), quad.IRI("l")), `<a\u000Ab> <p> <c\u000Dd> <l> .`, false},
		{quad.Make(quad.BNode("b\n1"), quad.IRI("p"), quad.String("x"), nil), `_:b\u000A1 <p> "x" .`, false},
	} {
		got := nquadLine(c.q)
		if got != c.want {
			t.Errorf("nquadLine(%q) = %s, want %s", c.q.NQuad(), got, c.want)
		}
		r := nquads.NewReader(strings.NewReader(got+"\n"+`<next> <p> "ok" .`+"\n"), nquads.Options{})
		q, line, err := r.Next()
		var serr *nquads.SyntaxError
		switch {
		case c.back && (err != nil || q != c.q || line != 1):
			t.Errorf("%s reads back as %v at line %d, %v", got, q, line, err)
		case !c.back && (!errors.As(err, &serr) || serr.Line != 1):
			t.Errorf("%s reads back as %v at line %d, %v; want a syntax error at line 1", got, q, line, err)
		}
		q, line, err = r.Next()
		if err != nil || q.Subject != quad.IRI("next") || line != 2 {
			t.Errorf("after %s: %v at line %d, %v; want <next> at line 2", got, q, line, err)
		}
	}
}
