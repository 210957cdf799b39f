package sheet

import (
	"errors"
	"fmt"
	"strings"
	"unicode"
)

// The grammar of a fact written as one string:
//
//	fact      = term predicate term
//	term      = word | quoted | id
//	word      = a run of characters with no space and no double quote
//	quoted    = '"' { any character but '"' and '\' | '\"' | '\\' } '"'
//	id        = '<' an entity's ID '>'
//	predicate = word { word }
//
// The first term is the subject and the last the object; the words between them are the
// predicate, by its name or either reading ("rejects", "demanded by", "is optimistic
// about"). A name with a space is quoted; "<kallas>" names an entity by its ID.

// ParseFact reads a fact written `Subject predicate Object`:
// `Kallas rejects "Ironclad security guarantees"`.
func ParseFact(s string) (Fact, error) {
	toks, err := tokens(s)
	if err != nil {
		return Fact{}, err
	}
	if len(toks) < 3 {
		return Fact{}, fmt.Errorf("fact %q is not Subject predicate Object (quote a name with spaces: Kallas rejects \"Ironclad security guarantees\")", s)
	}
	var pred []string
	for _, t := range toks[1 : len(toks)-1] {
		if t.quoted || t.id {
			return Fact{}, fmt.Errorf("fact %q: %s is between the subject and the object, where the predicate goes; a fact has two names, the first and the last", s, t.text)
		}
		pred = append(pred, t.text)
	}
	return Fact{Subject: toks[0].value(), Predicate: strings.Join(pred, " "), Object: toks[len(toks)-1].value()}, nil
}

type token struct {
	text   string // as written
	name   string // unquoted
	quoted bool
	id     bool
}

func (t token) value() string { return t.name }

// tokens splits a fact into words, quoted names and IDs.
func tokens(s string) ([]token, error) {
	var out []token
	rs := []rune(s)
	for i := 0; i < len(rs); {
		switch r := rs[i]; {
		case unicode.IsSpace(r):
			i++
		case r == '"':
			var b strings.Builder
			j := i + 1
			for ; j < len(rs) && rs[j] != '"'; j++ {
				if rs[j] == '\\' && j+1 < len(rs) && (rs[j+1] == '"' || rs[j+1] == '\\') {
					j++
				}
				b.WriteRune(rs[j])
			}
			if j == len(rs) {
				return nil, fmt.Errorf("fact %q: a quote is not closed", s)
			}
			if j+1 < len(rs) && !unicode.IsSpace(rs[j+1]) {
				return nil, fmt.Errorf("fact %q: a space must follow the closing quote of %s", s, string(rs[i:j+1]))
			}
			if strings.TrimSpace(b.String()) == "" {
				return nil, fmt.Errorf("fact %q: an empty name", s)
			}
			out = append(out, token{text: string(rs[i : j+1]), name: b.String(), quoted: true})
			i = j + 1
		default:
			j := i
			for j < len(rs) && !unicode.IsSpace(rs[j]) {
				if rs[j] == '"' {
					return nil, fmt.Errorf("fact %q: a quote inside the word %s; quote whole names only", s, wordAt(rs, i))
				}
				j++
			}
			w := string(rs[i:j])
			id := strings.HasPrefix(w, "<") && strings.HasSuffix(w, ">") && len(w) > 2
			out = append(out, token{text: w, name: w, id: id})
			i = j
		}
	}
	return out, nil
}

func wordAt(rs []rune, i int) string {
	j := i
	for j < len(rs) && !unicode.IsSpace(rs[j]) {
		j++
	}
	return string(rs[i:j])
}

// String writes the fact as ParseFact reads it, quoting names that need it.
func (f Fact) String() string {
	return QuoteName(f.Subject) + " " + f.Predicate + " " + QuoteName(f.Object)
}

// QuoteName writes a name as a term of a fact: as it is when it is one word, else quoted.
func QuoteName(name string) string {
	if name != "" && !strings.ContainsFunc(name, func(r rune) bool { return unicode.IsSpace(r) || r == '"' || r == '\\' }) {
		return name
	}
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(name) + `"`
}

// checkPredicate checks that a predicate written in a mapping is words ParseFact reads back.
func checkPredicate(p string) error {
	if strings.TrimSpace(p) == "" {
		return errors.New("a fact needs a predicate")
	}
	if strings.ContainsAny(p, "\"\n") {
		return fmt.Errorf("predicate %q: a predicate is words, not quoted", p)
	}
	return nil
}
