package sheet

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/parley/parley/schema"
)

// The keys of each part of a sheet, in the order Write writes them.
var (
	sheetKeys  = []string{"source", "entities", "claims"}
	sourceKeys = []string{"id", "title", "published", "url", "text"}
	entityKeys = []string{"id", "name", "type", "aliases"}
	claimKeys  = []string{"id", "evidence", "offset", "speaker", "modality", "date", "condition", "facts"}
	factKeys   = []string{"subject", "predicate", "object"}
)

// SkippedHeader starts the comment block that lists the sentences a draft proposed
// nothing for.
const SkippedHeader = "# sentences with no proposal:"

// Parse reads the sheets of a file: one per YAML document ("---" between them). Every
// problem (an unknown key, a missing title or evidence, a fact that does not read, a bad
// date or modality, a path to another file) is reported at name:LINE, all of them at once,
// in a *schema.ValidationError. With problems, Parse returns the sheets as far as they
// read too (without the facts that did not read), so that a caller can look for more
// problems in them. Parse opens nothing but r: a sheet that names a file is refused, not
// followed.
func Parse(name string, r io.Reader) ([]Sheet, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	p := &parser{file: name, lines: strings.Split(string(data), "\n"), verr: &schema.ValidationError{}}
	if bytes.HasPrefix(data, []byte{0xff, 0xfe}) || bytes.HasPrefix(data, []byte{0xfe, 0xff}) {
		// YAML would read it, at lines parley cannot count in bytes.
		p.problem(1, "the sheet is in UTF-16 (it starts with a UTF-16 byte order mark): save it as UTF-8")
	} else {
		p.lineBreaks()
	}
	if p.verr.Err() != nil {
		return nil, p.verr.Err() // YAML's lines would not be the file's
	}
	var out []Sheet
	for _, seg := range segments(p.lines) {
		if sh, ok := p.document(seg); ok {
			out = append(out, sh)
		}
	}
	if len(out) == 0 && p.verr.Err() == nil {
		p.problem(1, "no sheet: a sheet is a YAML mapping with source:, entities: and claims:")
	}
	if err := p.verr.Err(); err != nil {
		p.verr.Sort([]string{name})
		return out, err
	}
	return out, nil
}

// lineBreaks refuses the line breaks YAML counts and editors, grep and sed do not: a
// carriage return not followed by a line feed (old Mac line ends), NEL, LS and PS.
// Problems are at lines counted by line feeds, as everything else in parley counts
// them; CRLF line ends are fine.
func (p *parser) lineBreaks() {
	for i, l := range p.lines {
		if i < len(p.lines)-1 { // a CRLF line end; the last line has none
			l = strings.TrimSuffix(l, "\r")
		}
		if j := strings.IndexAny(l, "\r\u0085\u2028\u2029"); j >= 0 {
			what := "a carriage return not followed by a line feed"
			if l[j] != '\r' {
				what = fmt.Sprintf("the line break %U", []rune(l[j:])[0])
			}
			p.problem(i+1, "%s: YAML counts it as a line end where editors and grep do not; end lines with LF or CRLF", what)
		}
	}
}

// segment is one YAML document of a file: lines [start, end), 0-based.
type segment struct{ start, end int }

var separator = regexp.MustCompile(`^---(\s|$)`)

// segments splits a file's lines at "---" separators, keeping the documents that hold
// more than blank lines and comments.
func segments(lines []string) []segment {
	var out []segment
	start := 0
	flush := func(end int) {
		for _, l := range lines[start:end] {
			if t := strings.TrimSpace(l); t != "" && !strings.HasPrefix(t, "#") {
				out = append(out, segment{start, end})
				return
			}
		}
	}
	for i, l := range lines {
		if separator.MatchString(l) {
			flush(i)
			start = i + 1
		}
	}
	flush(len(lines))
	return out
}

type parser struct {
	file  string
	lines []string
	verr  *schema.ValidationError
	off   int // the current document's first line, 0-based
}

func (p *parser) problem(line int, format string, args ...any) {
	p.verr.Add(0, schema.Problem{File: p.file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

// line is a node's line in the file.
func (p *parser) line(n *yaml.Node) int { return n.Line + p.off }

var (
	yamlLine    = regexp.MustCompile(`^yaml: line (\d+): `)
	quotedFirst = regexp.MustCompile(`^(\s*-\s+)("(?:[^"\\]|\\.)*"\s+[^\s#].*)$`) // an item that starts with a quoted name and goes on
)

// quoteFact makes a list item that starts with a quoted name and goes on, such as
// - "Kaja Kallas" rejects NATO  # a comment
// (which YAML cannot read: a quoted string ends at its quote) the string YAML reads as
// - '"Kaja Kallas" rejects NATO'  # a comment
// so that a fact is written in a sheet as it is said. Other lines are left as they are.
func quoteFact(line string) string {
	m := quotedFirst.FindStringSubmatch(line)
	if m == nil {
		return line
	}
	body, comment := m[2], ""
	in := false
	for i := 0; i < len(body); i++ {
		switch c := body[i]; {
		case c == '\\' && in:
			i++
		case c == '"':
			in = !in
		case c == '#' && !in && i > 0 && (body[i-1] == ' ' || body[i-1] == '\t'):
			body, comment = body[:i], body[i:]
		}
	}
	body = strings.TrimRight(body, " \t")
	out := m[1] + "'" + strings.ReplaceAll(body, "'", "''") + "'"
	if comment != "" {
		out += " " + comment
	}
	return out
}

func (p *parser) document(seg segment) (Sheet, bool) {
	p.off = seg.start
	var doc yaml.Node
	lines := slices.Clone(p.lines[seg.start:seg.end])
	for i, l := range lines {
		lines[i] = quoteFact(l)
	}
	text := strings.Join(lines, "\n")
	if err := yaml.Unmarshal([]byte(text), &doc); err != nil {
		msg := err.Error()
		line := seg.start + 1
		if m := yamlLine.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line, msg = seg.start+n, msg[len(m[0]):]
		}
		p.problem(line, "not YAML: %s", strings.TrimPrefix(msg, "yaml: "))
		return Sheet{}, false
	}
	if len(doc.Content) == 0 {
		return Sheet{}, false
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		p.problem(p.line(root), "a sheet is a mapping with source:, entities: and claims:")
		return Sheet{}, false
	}
	var sh Sheet
	var source *yaml.Node
	p.mapping(root, "a sheet", sheetKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "source":
			source = v
			sh.Source = p.source(k, v)
		case "entities":
			for _, it := range p.items(v, "entities") {
				sh.Entities = append(sh.Entities, p.entity(it))
			}
		case "claims":
			for _, it := range p.items(v, "claims") {
				sh.Claims = append(sh.Claims, p.claim(it, &sh.Source))
			}
		}
	})
	if source == nil {
		p.problem(p.line(root), "the sheet has no source: give one with a title")
	}
	sh.Skipped = p.skipped(seg)
	return sh, true
}

// mapping calls fn for each key of a mapping, in order, reporting keys not in keys.
func (p *parser) mapping(n *yaml.Node, what string, keys []string, fn func(key string, k, v *yaml.Node)) bool {
	if n.Kind != yaml.MappingNode {
		p.problem(p.line(n), "%s is a mapping of %s", what, strings.Join(keys, ", "))
		return false
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		switch key := k.Value; {
		case seen[key]:
			p.problem(p.line(k), "%s: %s is given twice", what, key)
		case slices.Contains(keys, key):
			seen[key] = true
			fn(key, k, v)
		case strings.Contains(strings.ToLower(key), "file") || strings.Contains(strings.ToLower(key), "path"):
			p.problem(p.line(k), "%s: %s: a sheet names no other file, and parley opens nothing a data file names; put the source's text inline under text:", what, key)
		default:
			p.problem(p.line(k), "%s: unknown key %q (keys: %s)", what, key, strings.Join(keys, ", "))
		}
	}
	return true
}

// items returns a sequence's items; null is no item.
func (p *parser) items(n *yaml.Node, what string) []*yaml.Node {
	switch {
	case n.Kind == yaml.SequenceNode:
		return n.Content
	case isNull(n):
		return nil
	}
	p.problem(p.line(n), "%s is a list, each item starting with \"- \"", what)
	return nil
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// text returns a scalar's text; null is "".
func (p *parser) text(n *yaml.Node, what string) string {
	switch {
	case isNull(n):
		return ""
	case n.Kind == yaml.ScalarNode:
		return n.Value
	}
	p.problem(p.line(n), "%s is text, not a %s", what, kindName(n))
	return ""
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "mapping"
	case yaml.SequenceNode:
		return "list"
	}
	return "value"
}

func (p *parser) id(n *yaml.Node, what string) string {
	id := p.text(n, what)
	if strings.ContainsFunc(id, func(r rune) bool { return r <= 0x20 || strings.ContainsRune("<>\"{}|^`\\", r) }) {
		p.problem(p.line(n), "%s %q is not an IRI: no spaces, quotes or <>{}|^`\\", what, id)
	}
	return id
}

func (p *parser) date(n *yaml.Node, what string) string {
	d := p.text(n, what)
	if d != "" {
		if _, err := schema.ParseDate(d); err != nil {
			p.problem(p.line(n), "%s: %v (ISO 8601: resolve a relative date against the source's publication date)", what, err)
		}
	}
	return d
}

func (p *parser) source(k, n *yaml.Node) Source {
	src := Source{Line: p.line(k)}
	if isNull(n) {
		p.problem(p.line(k), "the source has no title")
		return src
	}
	ok := p.mapping(n, "the source", sourceKeys, func(key string, _, v *yaml.Node) {
		switch key {
		case "id":
			src.ID = p.id(v, "the source's id")
		case "title":
			src.Title = p.text(v, "the title")
		case "published":
			src.Published = p.date(v, "published")
		case "url":
			src.URL = p.text(v, "the url")
		case "text":
			src.Text = p.text(v, "the text")
		}
	})
	if ok && strings.TrimSpace(src.Title) == "" {
		p.problem(p.line(k), "the source has no title")
	}
	return src
}

func (p *parser) entity(n *yaml.Node) Entity {
	e := Entity{Line: p.line(n)}
	ok := p.mapping(n, "an entity", entityKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "id":
			e.ID = p.id(v, "the entity's id")
		case "name":
			e.Name = p.text(v, "the name")
		case "type":
			e.Type = p.text(v, "the type")
		case "aliases":
			for _, a := range p.items(v, "aliases") {
				e.Aliases = append(e.Aliases, p.text(a, "an alias"))
			}
		}
		for _, x := range []*yaml.Node{k, v} {
			if x.Line == n.Line && x.LineComment == "# new" {
				e.New = true
			}
		}
	})
	if !ok {
		return e
	}
	switch {
	case strings.TrimSpace(e.Name) == "":
		p.problem(e.Line, "an entity has no name")
	case e.Type == "":
		p.problem(e.Line, "entity %q has no type; a new entity needs one: %s", e.Name, typeNames())
	case schema.Default().Type(e.Type) == nil:
		p.problem(e.Line, "entity %q: unknown type %q (types: %s)", e.Name, e.Type, typeNames())
	}
	return e
}

func typeNames() string {
	var out []string
	for _, t := range schema.Default().Types() {
		if t.Name != schema.TypeClaim && t.Name != schema.TypeSource {
			out = append(out, t.Name)
		}
	}
	return strings.Join(out, ", ")
}

func (p *parser) claim(n *yaml.Node, src *Source) Claim {
	c := Claim{Line: p.line(n)}
	var facts *yaml.Node
	var offset *yaml.Node
	ok := p.mapping(n, "a claim", claimKeys, func(key string, k, v *yaml.Node) {
		switch key {
		case "id":
			c.ID = p.id(v, "the claim's id")
		case "evidence":
			c.Evidence = p.text(v, "the evidence")
		case "offset":
			offset = v
			c.Offset = p.offset(v)
		case "speaker":
			c.Speaker = p.text(v, "the speaker")
		case "modality":
			c.Modality = p.text(v, "the modality")
			if c.Modality != "" && !slices.Contains(schema.Modalities(), c.Modality) {
				p.problem(p.line(v), "modality %q is not one of %s", c.Modality, strings.Join(schema.Modalities(), ", "))
			}
		case "date":
			c.Date = p.date(v, "the date")
		case "condition":
			c.Condition = p.text(v, "the condition")
		case "facts":
			facts = k
			for _, it := range p.items(v, "facts") {
				if f, ok := p.fact(it); ok {
					c.Facts = append(c.Facts, f)
				}
			}
		}
	})
	if !ok {
		return c
	}
	if strings.TrimSpace(c.Evidence) == "" {
		p.problem(c.Line, "the claim has no evidence: give the sentence it rests on, verbatim")
	}
	if offset != nil && len(c.Offset) == 2 {
		p.checkOffset(offset, c, src)
	}
	if facts != nil {
		c.Facts = append(c.Facts, p.disabled(facts)...)
		slices.SortStableFunc(c.Facts, func(a, b Fact) int { return a.Line - b.Line })
	}
	return c
}

func (p *parser) offset(n *yaml.Node) []int {
	if n.Kind != yaml.SequenceNode || len(n.Content) != 2 {
		p.problem(p.line(n), "the offset is [start, end]: the evidence's byte offsets in the source's text")
		return nil
	}
	var out []int
	for _, x := range n.Content {
		v, err := strconv.Atoi(x.Value)
		if err != nil || v < 0 {
			p.problem(p.line(x), "offset %q is not a byte offset", x.Value)
			return nil
		}
		out = append(out, v)
	}
	return out
}

func (p *parser) checkOffset(n *yaml.Node, c Claim, src *Source) {
	start, end := c.Offset[0], c.Offset[1]
	switch {
	case src.Text == "":
		p.problem(p.line(n), "the offset points into the source's text, and the source has none")
	case start > end || end > len(src.Text):
		p.problem(p.line(n), "offset [%d, %d] is outside the source's text (%d bytes)", start, end, len(src.Text))
	case src.Text[start:end] != c.Evidence:
		p.problem(p.line(n), "offset [%d, %d] holds %q in the source's text, not the evidence", start, end, src.Text[start:end])
	}
}

// fact reads a fact: a string, or a mapping of subject, predicate and object.
func (p *parser) fact(n *yaml.Node) (Fact, bool) {
	f := Fact{Line: p.line(n)}
	switch n.Kind {
	case yaml.ScalarNode:
		parsed, err := ParseFact(n.Value)
		if err != nil {
			p.problem(f.Line, "%v", err)
			return f, false
		}
		f.Subject, f.Predicate, f.Object = parsed.Subject, parsed.Predicate, parsed.Object
	case yaml.MappingNode:
		p.mapping(n, "a fact", factKeys, func(key string, _, v *yaml.Node) {
			switch key {
			case "subject":
				f.Subject = p.text(v, "the subject")
			case "predicate":
				f.Predicate = p.text(v, "the predicate")
			case "object":
				f.Object = p.text(v, "the object")
			}
		})
		if f.Subject == "" || f.Predicate == "" || f.Object == "" {
			p.problem(f.Line, "a fact needs a subject, a predicate and an object")
			return f, false
		}
		if err := checkPredicate(f.Predicate); err != nil {
			p.problem(f.Line, "%v", err)
			return f, false
		}
	default:
		p.problem(f.Line, "a fact is `Subject predicate Object` or a mapping of subject, predicate and object")
		return f, false
	}
	f.Comment, f.Confidence = readComment(n.LineComment)
	return f, true
}

var confidenceComment = regexp.MustCompile(`^confidence ([0-9]*\.?[0-9]+)(?:: (.*))?$`)

// readComment reads a fact's line comment: "# confidence 0.8: rule" or "# rule".
func readComment(c string) (string, float64) {
	c = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(c), "#"))
	if m := confidenceComment.FindStringSubmatch(c); m != nil {
		v, _ := strconv.ParseFloat(m[1], 64)
		return m[2], v
	}
	return c, 0
}

// disabled finds the facts commented out ("# - Subject predicate Object") in the facts
// block that starts at key: the lines after it, up to the first line indented no more
// than key that is not an item of the block. A comment that does not read as a fact is
// a comment.
func (p *parser) disabled(key *yaml.Node) []Fact {
	var out []Fact
	col := key.Column - 1 // the key's indentation
	for i := p.line(key); i < len(p.lines); i++ {
		l := p.lines[i]
		t := strings.TrimLeft(l, " ")
		ind := len(l) - len(t)
		if t == "" {
			continue
		}
		if !strings.HasPrefix(t, "#") {
			if ind < col || ind == col && !strings.HasPrefix(t, "- ") && t != "-" {
				break
			}
			continue
		}
		if ind < col {
			break
		}
		body := strings.TrimPrefix(strings.TrimPrefix(t, "#"), " ")
		if !strings.HasPrefix(body, "- ") {
			continue
		}
		var item yaml.Node
		if yaml.Unmarshal([]byte(quoteFact(body)), &item) != nil || len(item.Content) != 1 {
			continue
		}
		seq := item.Content[0]
		if seq.Kind != yaml.SequenceNode || len(seq.Content) != 1 || seq.Content[0].Kind != yaml.ScalarNode {
			continue
		}
		f, err := ParseFact(seq.Content[0].Value)
		if err != nil {
			continue
		}
		f.Line, f.Disabled = i+1, true
		f.Comment, f.Confidence = readComment(seq.Content[0].LineComment)
		out = append(out, f)
	}
	return out
}

// skipped reads the trailing comment block of sentences with no proposal.
func (p *parser) skipped(seg segment) []string {
	var out []string
	in := false
	for _, l := range p.lines[seg.start:seg.end] {
		if strings.TrimSpace(l) == SkippedHeader {
			in = true
			continue
		}
		if !in {
			continue
		}
		body, ok := strings.CutPrefix(l, "#   - ")
		if !ok {
			if strings.TrimSpace(l) == "" || strings.TrimSpace(l) == "#" {
				continue
			}
			break
		}
		var s string
		if err := yaml.NewDecoder(bytes.NewReader([]byte(body))).Decode(&s); err != nil {
			s = body
		}
		out = append(out, s)
	}
	return out
}
