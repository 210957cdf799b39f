package graph

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
	"github.com/piprate/json-gold/ld"

	"github.com/parley/parley/graph/nquads"
	"github.com/parley/parley/schema"
)

// ContextURL names parley's own JSON-LD context: a document whose @context is this address
// is read with parley's prefixes (parley:, rdf:, rdfs:, skos:, xsd:), served by parley
// itself, offline.
const ContextURL = schema.Namespace + "context.jsonld"

// MaxJSONLDBytes bounds a JSON-LD document, which is read into memory whole and expanded
// there by json-gold at some 25 times its size (20 MB took 550 MB): beyond it, N-Quads.
const MaxJSONLDBytes = 64 << 20

// maxContextBytes bounds a context loaded from an address the user allowed.
const maxContextBytes = 1 << 20

// contextFetchTimeout bounds the fetch of a context the user allowed.
const contextFetchTimeout = 10 * time.Second

// ParleyContext returns the document served at ContextURL.
func ParleyContext() map[string]any {
	return map[string]any{"@context": map[string]any{
		"parley": schema.Namespace,
		"rdf":    "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
		"rdfs":   "http://www.w3.org/2000/01/rdf-schema#",
		"skos":   "http://www.w3.org/2004/02/skos/core#",
		"xsd":    "http://www.w3.org/2001/XMLSchema#",
	}}
}

// errContextRefused is a context the data names and the user did not allow.
var errContextRefused = errors.New("refused")

// contextLoader is json-gold's DocumentLoader for parley: it serves parley's own context
// and loads only the contexts the user named (LoadOptions.Contexts); it opens nothing
// else, on the network or on disk.
type contextLoader struct {
	allowed []string
	refused []string // addresses asked for and refused, in order
	failed  error    // the first allowed context that could not be loaded
	failedU string   // its address
}

// LoadDocument implements ld.DocumentLoader.
func (l *contextLoader) LoadDocument(u string) (*ld.RemoteDocument, error) {
	if u == ContextURL {
		return &ld.RemoteDocument{DocumentURL: u, Document: ParleyContext()}, nil
	}
	if !slices.Contains(l.allowed, u) {
		l.refused = append(l.refused, u)
		return nil, fmt.Errorf("context %q: %w", u, errContextRefused)
	}
	data, err := fetchContext(u)
	var doc any
	if err == nil {
		err = json.Unmarshal(data, &doc)
	}
	if err != nil {
		err = fmt.Errorf("@context %q: %w", u, err)
		if l.failed == nil {
			l.failed, l.failedU = err, u
		}
		return nil, err
	}
	return &ld.RemoteDocument{DocumentURL: u, Document: doc}, nil
}

// fetchContext reads a context the user allowed: over HTTP(S) with a timeout, or from a
// regular file; at most maxContextBytes either way.
func fetchContext(u string) ([]byte, error) {
	var r io.Reader
	if strings.HasPrefix(u, "http://") || strings.HasPrefix(u, "https://") {
		client := &http.Client{Timeout: contextFetchTimeout}
		resp, err := client.Get(u)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("HTTP %s", resp.Status)
		}
		r = resp.Body
	} else {
		path := strings.TrimPrefix(u, "file://")
		fi, err := os.Stat(path)
		if err != nil {
			return nil, err
		}
		if !fi.Mode().IsRegular() {
			return nil, errors.New("not a regular file")
		}
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	data, err := io.ReadAll(io.LimitReader(r, maxContextBytes+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxContextBytes {
		return nil, fmt.Errorf("larger than %d KiB", maxContextBytes>>10)
	}
	return data, nil
}

// jsonld reads one JSON-LD document: whole, into memory (up to MaxJSONLDBytes). Contexts
// other than parley's and those allowed are refused; node IRIs, properties, datatypes and
// language tags that RDF cannot hold (and json-gold would drop) are problems at their line.
func (rd *reading) jsonld(in Input, r io.Reader) (err error) {
	defer func() {
		if p := recover(); p != nil { // json-gold is third-party code: a crash in it is a bad document
			rd.syntax(schema.Problem{File: in.Name, Msg: fmt.Sprintf("invalid JSON-LD: the JSON-LD processor failed on it (%v)", p)})
			err = nil
		}
	}()
	data, err := io.ReadAll(io.LimitReader(r, MaxJSONLDBytes+1))
	if err != nil {
		return fmt.Errorf("read %s: %w", in.Name, err)
	}
	if len(data) > MaxJSONLDBytes {
		return fmt.Errorf("read %s: a JSON-LD document larger than %d MiB (split it, or convert it to N-Quads)", in.Name, MaxJSONLDBytes>>20)
	}
	problem := func(line int, format string, args ...any) {
		rd.syntax(schema.Problem{File: in.Name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		problem(jsonErrLine(data, err, dec), "invalid JSON-LD: %v", err)
		return nil
	}
	if _, err := dec.Token(); err != io.EOF {
		problem(lineAt(data, dec.InputOffset()), "invalid JSON-LD: data after the document")
		return nil
	}
	switch doc.(type) {
	case map[string]any, []any:
	default:
		problem(1, "invalid JSON-LD: the document is not an object or an array")
		return nil
	}
	loader := &contextLoader{allowed: rd.opt.Contexts}
	opts := ld.NewJsonLdOptions("")
	opts.DocumentLoader = loader
	opts.SafeMode = true // a property that expands to no IRI is an error, not dropped
	expanded, err := expand(doc, opts)
	if err != nil {
		if len(loader.refused) > 0 {
			u := loader.refused[0]
			problem(stringLine(data, u), "@context %q is not loaded: parley opens no address or file a document names (allow it with --allow-context %s)", u, u)
			return nil
		}
		if loader.failed != nil {
			problem(stringLine(data, loader.failedU), "%v", loader.failed)
			return nil
		}
		problem(0, "invalid JSON-LD: %v", err)
		return nil
	}
	bad := false
	checkTerms(expanded, func(s, msg string) {
		bad = true
		problem(stringLine(data, s), "%s", msg)
	})
	if bad {
		return nil // json-gold would drop them: the rest is not read, so nothing passes half
	}
	dataset, err := ld.NewJsonLdApi().ToRDF(expanded, opts)
	if err != nil {
		problem(0, "invalid JSON-LD: %v", err)
		return nil
	}
	names := make([]string, 0, len(dataset.Graphs))
	for name := range dataset.Graphs {
		names = append(names, name)
	}
	slices.SortFunc(names, func(a, b string) int {
		return cmp.Or(compareBool(a != "@default", b != "@default"), cmp.Compare(a, b))
	})
	for _, name := range names {
		var label quad.Value
		if name != "@default" {
			label = ldValue(ld.NewIRI(name))
			if strings.HasPrefix(name, "_:") {
				label = ldValue(ld.NewBlankNode(name))
			}
		}
		for _, lq := range dataset.Graphs[name] {
			q := quad.Quad{Subject: ldValue(lq.Subject), Predicate: ldValue(lq.Predicate), Object: ldValue(lq.Object), Label: label}
			if !q.IsValid() {
				problem(0, "incomplete quad: %s", q)
				continue
			}
			if err := rd.each(schema.Statement{Quad: compactQuad(q), File: in.Name}); err != nil {
				return err
			}
		}
	}
	return nil
}

// expand is json-gold's JsonLdProcessor.Expand for a document already decoded, with the
// options as given: the processor's copy of them loses SafeMode.
func expand(doc any, opts *ld.JsonLdOptions) ([]any, error) {
	expanded, err := ld.NewJsonLdApi().Expand(ld.NewContext(nil, opts), "", doc, opts, false, nil)
	if err != nil {
		return nil, err
	}
	if m, ok := expanded.(map[string]any); ok {
		if g, ok := m["@graph"]; ok && len(m) == 1 {
			expanded = g
		} else if len(m) == 0 {
			expanded = nil
		}
	}
	switch e := expanded.(type) {
	case nil:
		return []any{}, nil
	case []any:
		return e, nil
	}
	return []any{expanded}, nil
}

// checkTerms walks an expanded JSON-LD document and calls bad for every node IRI, property,
// type or datatype that is not an absolute IRI (or a blank node where RDF allows one) and
// every invalid language tag: s is the offending string, as the document may spell it.
func checkTerms(v any, bad func(s, msg string)) {
	iri := func(s string, bnodeOK bool, what string) {
		if strings.HasPrefix(s, "_:") {
			if !bnodeOK {
				bad(s, fmt.Sprintf("blank node %s as %s (RDF allows only an IRI there)", s, what))
			}
			return
		}
		if err := nquads.CheckIRI(s, true); err != nil {
			bad(s, fmt.Sprintf("%s: %v", what, err))
		}
	}
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			checkTerms(e, bad)
		}
	case map[string]any:
		_, isValue := v["@value"]
		for k, e := range v {
			switch k {
			case "@id":
				if s, ok := e.(string); ok {
					iri(s, true, "node")
				}
			case "@type":
				if s, ok := e.(string); ok && isValue {
					if s != "@json" {
						iri(s, false, "datatype")
					}
				} else {
					for _, t := range asSlice(e) {
						if s, ok := t.(string); ok {
							iri(s, true, "type")
						}
					}
				}
			case "@language":
				if s, ok := e.(string); ok {
					if err := nquads.CheckLangTag(s); err != nil {
						bad(s, err.Error())
					}
				}
			case "@value", "@context", "@index", "@direction":
			case "@reverse":
				if m, ok := e.(map[string]any); ok {
					for p, objs := range m {
						iri(p, false, "property")
						checkTerms(objs, bad)
					}
				}
			default:
				if !strings.HasPrefix(k, "@") {
					iri(k, false, "property")
				}
				checkTerms(e, bad)
			}
		}
	}
}

func asSlice(v any) []any {
	if s, ok := v.([]any); ok {
		return s
	}
	return []any{v}
}

// ldValue converts a json-gold RDF term as Cayley's own JSON-LD reader does.
func ldValue(n ld.Node) quad.Value {
	switch n := n.(type) {
	case *ld.IRI:
		return quad.IRI(n.Value)
	case *ld.BlankNode:
		return quad.BNode(strings.TrimPrefix(n.Attribute, "_:"))
	case *ld.Literal:
		if n.Language != "" {
			return quad.LangString{Value: quad.String(n.Value), Lang: n.Language}
		}
		if n.Datatype != "" && n.Datatype != xsdString {
			ts := quad.TypedString{Value: quad.String(n.Value), Type: quad.IRI(n.Datatype)}
			if v, err := ts.ParseValue(); err == nil {
				return v
			}
			return ts
		}
		return quad.String(n.Value)
	}
	return nil
}

const xsdString = "http://www.w3.org/2001/XMLSchema#string"

// stringLine returns the line of the first JSON string (key or value) in data that spells
// s: s itself, else the same but for case (a language tag), else a compact IRI "p:rest" or
// a term "rest" that s ends with (an IRI that expansion changed). 0 when none does.
func stringLine(data []byte, s string) int {
	if line := findString(data, func(t string) bool { return t == s }); line > 0 {
		return line
	}
	if line := findString(data, func(t string) bool { return strings.EqualFold(t, s) }); line > 0 {
		return line
	}
	return findString(data, func(t string) bool {
		_, rest, _ := strings.Cut(t, ":")
		if rest == "" {
			rest = t
		}
		return rest != "" && strings.HasSuffix(s, rest)
	})
}

// findString returns the line of the first JSON string in data that match accepts, or 0.
func findString(data []byte, match func(string) bool) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err != nil {
			return 0
		}
		if t, ok := tok.(string); ok && match(t) {
			return lineAt(data, dec.InputOffset())
		}
	}
}

// jsonErrLine returns the line of a JSON decoding error.
func jsonErrLine(data []byte, err error, dec *json.Decoder) int {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return lineAt(data, se.Offset)
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return lineAt(data, te.Offset)
	}
	return lineAt(data, dec.InputOffset())
}

// lineAt returns the 1-based line of byte offset off.
func lineAt(data []byte, off int64) int {
	off = min(max(off, 0), int64(len(data)))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}
