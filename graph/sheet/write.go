package sheet

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Write writes sheets as YAML that Parse reads back to the same values (lines aside): one
// document per sheet. A fact is written as one string, its Comment (and a draft's
// Confidence) after it as a comment; a Disabled fact is written commented out; an entity
// marked New carries the comment "# new"; Skipped sentences close the document in a
// comment block.
func Write(w io.Writer, sheets []Sheet) error {
	bw := bufio.NewWriter(w)
	for i, sh := range sheets {
		if i > 0 {
			bw.WriteString("---\n")
		}
		if err := writeSheet(bw, sh); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// emitter writes a sheet's keys, each value encoded by the YAML library.
type emitter struct {
	w   *bufio.Writer
	err error
}

// encode returns n in YAML, without the final newline.
func encode(n *yaml.Node) (string, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(n); err != nil {
		return "", err
	}
	if err := enc.Close(); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// raw writes text, each line indented.
func (e *emitter) raw(indent, text string) {
	for _, l := range strings.Split(text, "\n") {
		if l == "" {
			e.w.WriteString("\n")
			continue
		}
		e.w.WriteString(indent + l + "\n")
	}
}

// node writes n indented, prefix before its first line ("- " for an item).
func (e *emitter) node(indent string, n *yaml.Node) {
	if e.err != nil {
		return
	}
	s, err := encode(n)
	if err != nil {
		e.err = err
		return
	}
	e.raw(indent, s)
}

func scalar(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: v} }

func str(v string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v} }

// field writes "key: value" unless value is empty.
func (e *emitter) field(indent, key, value string) {
	if value == "" {
		return
	}
	e.node(indent, &yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar(key), str(value)}})
}

func writeSheet(w *bufio.Writer, sh Sheet) error {
	e := &emitter{w: w}
	w.WriteString("source:\n")
	s := sh.Source
	for _, kv := range [][2]string{{"id", s.ID}, {"title", s.Title}, {"published", s.Published}, {"url", s.URL}, {"text", s.Text}} {
		e.field("  ", kv[0], kv[1])
	}
	if len(sh.Entities) > 0 {
		w.WriteString("entities:\n")
	}
	for _, ent := range sh.Entities {
		m := &yaml.Node{Kind: yaml.MappingNode}
		add := func(k string, v *yaml.Node) { m.Content = append(m.Content, scalar(k), v) }
		if ent.ID != "" {
			add("id", str(ent.ID))
		}
		name := str(ent.Name)
		add("name", name)
		add("type", str(ent.Type))
		if len(ent.Aliases) > 0 {
			seq := &yaml.Node{Kind: yaml.SequenceNode, Style: yaml.FlowStyle}
			for _, a := range ent.Aliases {
				seq.Content = append(seq.Content, str(a))
			}
			add("aliases", seq)
		}
		if ent.New {
			m.Content[1].LineComment = "# new"
		}
		e.node("  ", &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{m}})
	}
	w.WriteString("claims:")
	if len(sh.Claims) == 0 {
		w.WriteString(" []")
	}
	w.WriteString("\n")
	for _, c := range sh.Claims {
		e.claim(c)
	}
	if len(sh.Skipped) > 0 {
		w.WriteString(SkippedHeader + "\n")
		for _, s := range sh.Skipped {
			n := str(s)
			n.Style = yaml.DoubleQuotedStyle
			out, err := encode(n)
			if err != nil {
				return err
			}
			w.WriteString("#   - " + out + "\n")
		}
	}
	return e.err
}

func (e *emitter) claim(c Claim) {
	first := true
	item := func(key, value string) {
		if value == "" {
			return
		}
		if first {
			e.w.WriteString("  - ")
			first = false
			s, err := encode(&yaml.Node{Kind: yaml.MappingNode, Content: []*yaml.Node{scalar(key), str(value)}})
			if err != nil {
				e.err = err
				return
			}
			lines := strings.Split(s, "\n")
			e.w.WriteString(lines[0] + "\n")
			if len(lines) > 1 {
				e.raw("    ", strings.Join(lines[1:], "\n"))
			}
			return
		}
		e.field("    ", key, value)
	}
	item("id", c.ID)
	item("evidence", c.Evidence)
	if len(c.Offset) > 0 {
		var parts []string
		for _, o := range c.Offset {
			parts = append(parts, strconv.Itoa(o))
		}
		if first {
			e.w.WriteString("  - ")
			first = false
		} else {
			e.w.WriteString("    ")
		}
		e.w.WriteString("offset: [" + strings.Join(parts, ", ") + "]\n")
	}
	item("speaker", c.Speaker)
	item("modality", c.Modality)
	item("date", c.Date)
	item("condition", c.Condition)
	if first {
		e.w.WriteString("  - ")
	} else {
		e.w.WriteString("    ")
	}
	enabled := 0
	for _, f := range c.Facts {
		if !f.Disabled {
			enabled++
		}
	}
	switch {
	case len(c.Facts) == 0:
		e.w.WriteString("facts: []\n")
		return
	case enabled == 0:
		e.w.WriteString("facts: # none but commented out\n")
	default:
		e.w.WriteString("facts:\n")
	}
	for _, f := range c.Facts {
		e.fact(f)
	}
}

// fact writes one item of a facts list, commented out when disabled.
func (e *emitter) fact(f Fact) {
	n := str(f.String())
	if c := writeComment(f); c != "" {
		n.LineComment = "# " + c
	}
	seq := &yaml.Node{Kind: yaml.SequenceNode, Content: []*yaml.Node{n}}
	s, err := encode(seq)
	if err == nil && strings.Contains(s, "\n") {
		n.Style = yaml.DoubleQuotedStyle // one line, so that it can be commented out
		s, err = encode(seq)
	}
	if err != nil {
		e.err = fmt.Errorf("write fact %s: %w", f, err)
		return
	}
	if f.Disabled {
		s = "# " + s
	}
	e.raw("      ", s)
}

// writeComment is a fact's line comment: its confidence, if any, then its comment.
func writeComment(f Fact) string {
	c := strings.Join(strings.Fields(f.Comment), " ")
	if f.Confidence != 0 {
		conf := "confidence " + strconv.FormatFloat(f.Confidence, 'g', -1, 64)
		if c == "" {
			return conf
		}
		return conf + ": " + c
	}
	return c
}
