// Package gizmotrace rewrites a Gizmo query so that every traversal step is tagged: run
// on Cayley, each result then records the path it took, node by node and predicate by
// predicate. It parses queries with goja's parser (the one Gizmo runs them with) and knows
// nothing of stores.
package gizmotrace

import (
	"cmp"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/cayleygraph/quad"
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/parser"
)

// Kind says how a step moves along the graph.
type Kind int

// The kinds of step.
const (
	Start Kind = iota // g.V(...) or g.M(): a path begins
	Out               // subject to object
	In                // object to subject
	Both              // either way
)

// Step is one tagged step of a query.
type Step struct {
	Kind    Kind
	Tag     string       // the tag on the node the step arrives at
	PredTag string       // the tag on the predicate it used; "" when it could not be tagged
	Prev    []int        // the steps the path may have come from
	Labels  []quad.Value // the labels a literal LabelContext allows; nil: any
}

// Tracer holds a query rewritten so that every step is tagged.
type Tracer struct {
	Text    string // the tagged query
	Prefix  string // the tags' names start with it
	Steps   []Step // in the order of the tags' numbers
	Problem error  // why the query could not be tagged, if it could not
}

// traceEdit replaces the bytes pos to end of the query with text.
type traceEdit struct {
	pos, end int
	order    int // at one position: tags of inner calls first (by start), then arguments
	start    int
	text     string
}

// rewriter finds the steps of a parsed query and how they chain.
type rewriter struct {
	src       string
	prefix    string
	calls     []*ast.CallExpression     // by where they start, then where they end
	vars      map[string]ast.Expression // variables bound once; nil for those bound again
	stepOf    map[*ast.CallExpression]int
	recursive map[*ast.CallExpression]int // FollowRecursive("<p>") calls: the step each becomes
	steps     []Step
	edits     []traceEdit
}

// New parses src and tags every step of its paths with tags whose names start with
// tagPrefix (lengthened until the query does not contain it).
func New(src, tagPrefix string) (*Tracer, error) {
	prog, err := parser.ParseFile(nil, "", src, 0)
	if err != nil {
		return nil, err
	}
	prefix := tagPrefix
	for strings.Contains(src, prefix) {
		prefix += "x_"
	}
	r := newRewriter(src, prefix, prog)
	if inlined, err := r.inlineShared(); err == nil && inlined != src {
		if prog, err := parser.ParseFile(nil, "", inlined, 0); err == nil {
			r = newRewriter(inlined, prefix, prog)
		}
	}
	for _, c := range r.calls {
		r.addStep(c)
	}
	for _, c := range r.calls {
		r.addRecursive(c)
	}
	for _, c := range r.calls {
		if i, ok := r.stepOf[c]; ok && r.steps[i].Kind != Start {
			_, recv := method(c)
			r.steps[i].Prev = r.arrival(recv, 0)
			r.steps[i].Labels = r.labelContext(recv)
		}
	}
	tr := &Tracer{Prefix: prefix, Steps: r.steps}
	tr.Text, tr.Problem = r.apply()
	if tr.Problem == nil {
		if _, err := parser.ParseFile(nil, "", tr.Text, 0); err != nil {
			tr.Problem = fmt.Errorf("tagging it made it invalid: %w", err)
		}
	}
	return tr, nil
}

// newRewriter collects the calls and variables of prog, the parsed src.
func newRewriter(src, prefix string, prog *ast.Program) *rewriter {
	r := &rewriter{src: src, prefix: prefix, vars: make(map[string]ast.Expression),
		stepOf: make(map[*ast.CallExpression]int), recursive: make(map[*ast.CallExpression]int)}
	inspect(prog, func(n any) {
		switch n := n.(type) {
		case *ast.CallExpression:
			r.calls = append(r.calls, n)
		case *ast.Binding:
			if id, ok := n.Target.(*ast.Identifier); ok {
				r.bind(id.Name.String(), n.Initializer)
			}
		case *ast.AssignExpression:
			if id, ok := n.Left.(*ast.Identifier); ok {
				r.bind(id.Name.String(), nil)
			}
		}
	})
	slices.SortFunc(r.calls, func(a, b *ast.CallExpression) int {
		return cmp.Or(cmp.Compare(a.Idx0(), b.Idx0()), cmp.Compare(a.Idx1(), b.Idx1()))
	})
	return r
}

// inlineShared returns the query with each morphism variable that several Follow calls use
// replaced, at each of them, by its definition, so that each use gets tags of its own.
func (r *rewriter) inlineShared() (string, error) {
	uses := make(map[string][]*ast.Identifier)
	for _, c := range r.calls {
		if name, _ := method(c); strings.HasPrefix(name, "follow") && len(c.ArgumentList) > 0 {
			if id, ok := c.ArgumentList[0].(*ast.Identifier); ok {
				uses[id.Name.String()] = append(uses[id.Name.String()], id)
			}
		}
	}
	for name, ids := range uses {
		def := r.vars[name]
		if len(ids) < 2 || def == nil || !pureMorphism(def) {
			continue
		}
		from, to := int(def.Idx0())-1, int(end(def))-1
		if from < 0 || to > len(r.src) || from > to {
			continue
		}
		text := "(" + r.src[from:to] + ")"
		for _, id := range ids {
			if pos := int(id.Idx) - 1; pos >= 0 && pos <= len(r.src) && strings.HasPrefix(r.src[pos:], name) {
				r.edits = append(r.edits, traceEdit{pos: pos, end: pos + len(name), text: text})
			}
		}
	}
	out, err := r.apply()
	r.edits = nil
	return out, err
}

// pureMorphism reports whether e is a chain from g.M() built of literals alone, which
// means the same wherever it is written.
func pureMorphism(e ast.Expression) bool {
	pure := true
	inspect(e, func(n any) {
		switch n := n.(type) {
		case *ast.CallExpression, *ast.DotExpression, *ast.StringLiteral, *ast.NumberLiteral,
			*ast.NullLiteral, *ast.BooleanLiteral, *ast.ArrayLiteral:
		case *ast.Identifier:
			pure = pure && (n.Name.String() == "g" || n.Name.String() == "graph")
		default:
			pure = false
		}
	})
	for pure {
		c, ok := e.(*ast.CallExpression)
		if !ok {
			return false
		}
		if name, recv := method(c); isStart(c) {
			return name == "m" || name == "morphism"
		} else if e = recv; e == nil {
			return false
		}
	}
	return false
}

// isStart reports whether c is g.V(...), g.Vertex(...), g.M() or g.Morphism().
func isStart(c *ast.CallExpression) bool {
	dot, ok := c.Callee.(*ast.DotExpression)
	if !ok {
		return false
	}
	g, ok := dot.Left.(*ast.Identifier)
	if !ok || (g.Name.String() != "g" && g.Name.String() != "graph") {
		return false
	}
	switch dot.Identifier.Name.String() { // Gizmo knows them capitalised only
	case "V", "Vertex", "M", "Morphism":
		return true
	}
	return false
}

// bind records a variable's value, or that it has more than one.
func (r *rewriter) bind(name string, init ast.Expression) {
	if _, again := r.vars[name]; again || init == nil {
		r.vars[name] = nil
		return
	}
	r.vars[name] = init
}

// method returns the lower-cased name of the method c calls, and its receiver.
func method(c *ast.CallExpression) (string, ast.Expression) {
	dot, ok := c.Callee.(*ast.DotExpression)
	if !ok {
		return "", nil
	}
	name := dot.Identifier.Name.String()
	if name == "" {
		return "", nil
	}
	return strings.ToLower(name[:1]) + name[1:], dot.Left
}

// addStep makes c a step when it starts or moves a path.
func (r *rewriter) addStep(c *ast.CallExpression) {
	name, _ := method(c)
	var kind Kind
	switch {
	case isStart(c):
		kind = Start
	case name == "out":
		kind = Out
	case name == "in":
		kind = In
	case name == "both":
		kind = Both
	default:
		return
	}
	i := r.newStep(kind)
	r.stepOf[c] = i
	r.edit(c.Idx1(), 0, c.Idx0(), fmt.Sprintf(".Tag(%q)", r.steps[i].Tag))
	if kind == Start {
		return
	}
	args := c.ArgumentList
	for _, a := range args {
		if _, spread := a.(*ast.SpreadElement); spread {
			return // the predicate stays untagged: any predicate
		}
	}
	r.steps[i].PredTag = r.prefix + "p" + strconv.Itoa(i)
	if len(args) == 0 {
		r.edit(c.RightParenthesis, 1, 0, "null, "+strconv.Quote(r.steps[i].PredTag))
	} else {
		r.edit(end(args[len(args)-1]), 1, 0, ", "+strconv.Quote(r.steps[i].PredTag))
	}
}

// addRecursive turns FollowRecursive("<p>", ...) into FollowRecursive(g.M().Out("<p>"), ...)
// so that its steps carry tags.
func (r *rewriter) addRecursive(c *ast.CallExpression) {
	if name, _ := method(c); name != "followRecursive" || len(c.ArgumentList) == 0 {
		return
	}
	pred, ok := c.ArgumentList[0].(*ast.StringLiteral)
	if !ok {
		return
	}
	start := r.newStep(Start)
	out := r.newStep(Out)
	r.steps[out].Prev = []int{start}
	r.steps[out].PredTag = r.prefix + "p" + strconv.Itoa(out)
	r.edit(pred.Idx0(), 0, 0, fmt.Sprintf("g.M().Tag(%q).Out(", r.steps[start].Tag))
	r.edit(pred.Idx1(), 1, 0, fmt.Sprintf(", %q).Tag(%q)", r.steps[out].PredTag, r.steps[out].Tag))
	r.recursive[c] = out
}

// newStep adds a step and returns its number.
func (r *rewriter) newStep(kind Kind) int {
	r.steps = append(r.steps, Step{Kind: kind, Tag: r.prefix + strconv.Itoa(len(r.steps))})
	return len(r.steps) - 1
}

// edit inserts text at idx, a position in the query.
func (r *rewriter) edit(idx file.Idx, order int, start file.Idx, text string) {
	pos := int(idx) - 1
	r.edits = append(r.edits, traceEdit{pos: pos, end: pos, order: order, start: int(start), text: text})
}

// end returns the position just after e. (goja measures identifiers in UTF-16 units.)
func end(e ast.Expression) file.Idx {
	switch x := e.(type) {
	case *ast.Identifier:
		return x.Idx + file.Idx(len(x.Name.String()))
	case *ast.DotExpression:
		return end(&x.Identifier)
	}
	return e.Idx1()
}

// apply returns the query with the edits made.
func (r *rewriter) apply() (string, error) {
	slices.SortStableFunc(r.edits, func(a, b traceEdit) int {
		return cmp.Or(cmp.Compare(a.pos, b.pos), cmp.Compare(a.order, b.order), cmp.Compare(b.start, a.start))
	})
	var b strings.Builder
	last := 0
	for _, e := range r.edits {
		if e.pos < last || e.end < e.pos || e.end > len(r.src) {
			return "", fmt.Errorf("tagging it went wrong at byte %d", e.pos)
		}
		b.WriteString(r.src[last:e.pos])
		b.WriteString(e.text)
		last = e.end
	}
	b.WriteString(r.src[last:])
	return b.String(), nil
}

// maxChain bounds how far arrival and its kin follow chains and variables.
const maxChain = 1000

// arrival returns the steps whose node the path e is on: the last step of its chain,
// seen through filters, variables, Follow, Or and Back.
func (r *rewriter) arrival(e ast.Expression, depth int) []int {
	if depth > maxChain {
		return nil
	}
	switch e := e.(type) {
	case *ast.Identifier:
		if init := r.vars[e.Name.String()]; init != nil {
			return r.arrival(init, depth+1)
		}
	case *ast.CallExpression:
		if i, ok := r.stepOf[e]; ok {
			return []int{i}
		}
		if i, ok := r.recursive[e]; ok {
			return []int{i}
		}
		name, recv := method(e)
		var arg ast.Expression
		if len(e.ArgumentList) > 0 {
			arg = e.ArgumentList[0]
		}
		switch {
		case keepsNode(name):
			return r.arrival(recv, depth+1)
		case name == "or" || name == "union":
			return append(r.arrival(recv, depth+1), r.arrival(arg, depth+1)...)
		case name == "follow" || name == "followRecursive":
			return r.arrival(arg, depth+1)
		case name == "followR":
			return r.origin(arg)
		case name == "back":
			if tag, ok := arg.(*ast.StringLiteral); ok {
				return r.back(recv, tag.Value.String(), depth+1)
			}
		}
	}
	return nil
}

// keepsNode reports whether a path method leaves the path on the node it was on.
func keepsNode(name string) bool {
	switch name {
	case "is", "has", "hasR", "tag", "as", "save", "saveR", "saveOpt", "saveOptR",
		"filter", "limit", "skip", "unique", "order", "labelContext", "except", "difference",
		"and", "intersect", "saveInPredicates", "saveOutPredicates":
		return true
	}
	return false
}

// below returns the calls of the chain e, from e down to where the chain starts, seen
// through variables.
func (r *rewriter) below(e ast.Expression) []*ast.CallExpression {
	var calls []*ast.CallExpression
	for hops := 0; hops < maxChain; hops++ {
		switch x := e.(type) {
		case *ast.Identifier:
			e = r.vars[x.Name.String()]
		case *ast.CallExpression:
			calls = append(calls, x)
			_, e = method(x)
		default:
			return calls
		}
	}
	return calls
}

// origin returns the g.M() step a morphism starts with: where FollowR leaves a path.
func (r *rewriter) origin(e ast.Expression) []int {
	calls := r.below(e)
	if len(calls) == 0 {
		return nil
	}
	if i, ok := r.stepOf[calls[len(calls)-1]]; ok && r.steps[i].Kind == Start {
		return []int{i}
	}
	return nil
}

// back returns the steps a path was on where its chain below e tagged it name.
func (r *rewriter) back(e ast.Expression, name string, depth int) []int {
	for _, c := range r.below(e) {
		if m, recv := method(c); m == "tag" || m == "as" {
			for _, a := range c.ArgumentList {
				if lit, ok := a.(*ast.StringLiteral); ok && lit.Value.String() == name {
					return r.arrival(recv, depth+1)
				}
			}
		}
	}
	return nil
}

// labelContext returns the labels the nearest LabelContext below e restricts steps to,
// when it names them literally; nil means any label.
func (r *rewriter) labelContext(e ast.Expression) []quad.Value {
	for _, c := range r.below(e) {
		if m, _ := method(c); m == "labelContext" {
			return literalValues(c.ArgumentList)
		}
	}
	return nil
}

// literalValues returns the values of a LabelContext's first argument when it is a string
// or an array of strings; nil otherwise (and for null: any label).
func literalValues(args []ast.Expression) []quad.Value {
	if len(args) == 0 {
		return nil
	}
	var lits []ast.Expression
	switch a := args[0].(type) {
	case *ast.StringLiteral:
		lits = []ast.Expression{a}
	case *ast.ArrayLiteral:
		lits = a.Value
	default:
		return nil
	}
	vals := []quad.Value{}
	for _, l := range lits {
		s, ok := l.(*ast.StringLiteral)
		if !ok {
			return nil
		}
		vals = append(vals, quad.StringToValue(s.Value.String()))
	}
	return vals
}

// inspect calls fn for every node of the syntax tree below n, once each.
func inspect(n any, fn func(any)) {
	seen := make(map[uintptr]bool)
	astPkg := reflect.TypeOf(ast.Program{}).PkgPath()
	var walk func(v reflect.Value)
	walk = func(v reflect.Value) {
		switch v.Kind() {
		case reflect.Interface:
			if !v.IsNil() {
				walk(v.Elem())
			}
		case reflect.Pointer:
			if v.IsNil() || v.Elem().Kind() != reflect.Struct || v.Elem().Type().PkgPath() != astPkg || seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
			fn(v.Interface())
			walk(v.Elem())
		case reflect.Struct:
			if v.Type().PkgPath() != astPkg {
				return
			}
			for i := 0; i < v.NumField(); i++ {
				if v.Type().Field(i).IsExported() {
					walk(v.Field(i))
				}
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				walk(v.Index(i))
			}
		}
	}
	walk(reflect.ValueOf(n))
}
