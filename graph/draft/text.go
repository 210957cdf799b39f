package draft

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Sentence is one sentence of an article, or one heading, with its byte offsets.
type Sentence struct {
	Text       string
	Start, End int  // [Start, End) in the article
	Heading    bool // a line without final punctuation: never evidence
}

// token is a word or a punctuation mark of a sentence.
type token struct {
	text       string // as written
	norm       string // lowercase, curly apostrophes straight
	start, end int    // byte offsets in the sentence
	word       bool
	quoted     bool // inside a quotation
}

// Sentences splits an article into sentences and headings. Lines are paragraphs; a line
// that does not end with final punctuation is a heading. A paragraph splits after ".",
// "!" or "?" (with any closing quote) before a capital, a digit or an opening quote,
// except inside a quotation, so that a quotation stays whole, and after an abbreviation
// such as "U.S." or "Dr.".
func Sentences(text string) []Sentence {
	var out []Sentence
	for lineStart := 0; lineStart < len(text); {
		lineEnd := strings.IndexByte(text[lineStart:], '\n')
		if lineEnd < 0 {
			lineEnd = len(text)
		} else {
			lineEnd += lineStart
		}
		start, end := trimSpan(text, lineStart, lineEnd)
		if start < end {
			line := text[start:end]
			if !endsSentence(line) {
				out = append(out, Sentence{Text: line, Start: start, End: end, Heading: true})
			} else {
				for _, sp := range splitParagraph(line) {
					s, e := trimSpan(text, start+sp[0], start+sp[1])
					if s < e {
						out = append(out, Sentence{Text: text[s:e], Start: s, End: e})
					}
				}
			}
		}
		lineStart = lineEnd + 1
	}
	return out
}

func trimSpan(text string, start, end int) (int, int) {
	for start < end {
		r, n := utf8.DecodeRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		start += n
	}
	for end > start {
		r, n := utf8.DecodeLastRuneInString(text[start:end])
		if !unicode.IsSpace(r) {
			break
		}
		end -= n
	}
	return start, end
}

const closingQuotes = "”\"’'»)"

// endsSentence reports whether a line ends with final punctuation, behind any closing quotes.
func endsSentence(line string) bool {
	s := strings.TrimRight(line, closingQuotes)
	r, _ := utf8.DecodeLastRuneInString(s)
	return strings.ContainsRune(".!?…", r)
}

// splitParagraph returns the [start, end) spans of the sentences of a paragraph.
func splitParagraph(p string) [][2]int {
	var spans [][2]int
	start, inQuote := 0, false
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == '“':
			inQuote = true
		case r == '”':
			inQuote = false
		case r == '"':
			inQuote = !inQuote
		}
		i += n
		if !strings.ContainsRune(".!?", r) || abbreviationBefore(p, i-n) {
			continue
		}
		// Take the closing quotes that belong to the sentence.
		j := i
		for j < len(p) {
			q, m := utf8.DecodeRuneInString(p[j:])
			if !strings.ContainsRune(closingQuotes, q) {
				break
			}
			if q == '”' || q == '"' {
				inQuote = false
			}
			j += m
		}
		if inQuote {
			continue
		}
		k := j
		for k < len(p) {
			q, m := utf8.DecodeRuneInString(p[k:])
			if !unicode.IsSpace(q) {
				break
			}
			k += m
		}
		if k == j || k == len(p) {
			continue // no space after it, or the paragraph's end
		}
		next, _ := utf8.DecodeRuneInString(p[k:])
		if unicode.IsUpper(next) || unicode.IsDigit(next) || strings.ContainsRune("“\"‘'", next) {
			spans = append(spans, [2]int{start, j})
			start, i = k, k
		}
	}
	return append(spans, [2]int{start, len(p)})
}

var abbreviations = map[string]bool{"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "gen": true,
	"col": true, "lt": true, "sen": true, "rep": true, "gov": true, "prof": true, "jr": true, "sr": true,
	"no": true, "vs": true, "e.g": true, "i.e": true, "etc": false}

// abbreviationBefore reports whether the period at i ends an abbreviation ("U.S.", "Dr.").
func abbreviationBefore(p string, i int) bool {
	if p[i] != '.' {
		return false
	}
	j := i
	for j > 0 {
		r, n := utf8.DecodeLastRuneInString(p[:j])
		if !unicode.IsLetter(r) && r != '.' {
			break
		}
		j -= n
	}
	w := p[j:i]
	if abbreviations[strings.ToLower(w)] {
		return true
	}
	// Initials: U.S, U.K, E.U (single letters between periods), or one capital letter.
	parts := strings.Split(w, ".")
	for _, part := range parts {
		if utf8.RuneCountInString(part) != 1 {
			return false
		}
	}
	return len(parts) > 1 || (w != "" && unicode.IsUpper([]rune(w)[0]))
}

// tokenize splits a sentence into words and punctuation marks. A word keeps inner
// hyphens, periods and apostrophes ("30-day", "U.S.-led", "can’t"); a possessive "’s"
// is a token of its own; quotation marks set the quoted flag of the tokens between them.
func tokenize(s string) []token {
	var out []token
	inQuote := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case isWordRune(r):
			j := i + n
			for j < len(s) {
				q, m := utf8.DecodeRuneInString(s[j:])
				if isWordRune(q) {
					j += m
					continue
				}
				if strings.ContainsRune("-.'’&", q) && j+m < len(s) {
					if nx, _ := utf8.DecodeRuneInString(s[j+m:]); isWordRune(nx) {
						j += m
						continue
					}
				}
				if q == '.' && isInitials(s[i:j]) {
					j += m // "U.S." keeps its final period
					continue
				}
				break
			}
			w := s[i:j]
			if base, ok := cutPossessive(w); ok {
				out = append(out, newToken(s, i, i+len(base), true, inQuote), newToken(s, i+len(base), j, true, inQuote))
			} else {
				out = append(out, newToken(s, i, j, true, inQuote))
			}
			i = j
		default:
			open := r == '“' || (r == '"' && !inQuote)
			if open {
				inQuote = true
			}
			out = append(out, newToken(s, i, i+n, false, inQuote))
			if r == '”' || (r == '"' && !open) {
				inQuote = false
			}
			i += n
		}
	}
	return out
}

func newToken(s string, start, end int, word, quoted bool) token {
	t := s[start:end]
	return token{text: t, norm: normalize(t), start: start, end: end, word: word, quoted: quoted}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// isInitials reports whether w is a run of single letters between periods: "U.S", "U.K".
func isInitials(w string) bool {
	parts := strings.Split(w, ".")
	if len(parts) < 2 {
		return false
	}
	for _, p := range parts {
		if utf8.RuneCountInString(p) != 1 || !unicode.IsUpper([]rune(p)[0]) {
			return false
		}
	}
	return true
}

func cutPossessive(w string) (string, bool) {
	for _, suf := range []string{"’s", "'s"} {
		if base, ok := strings.CutSuffix(w, suf); ok && base != "" {
			return base, true
		}
	}
	return "", false
}

// normalize lowercases a word and straightens its apostrophes.
func normalize(s string) string {
	return strings.ToLower(strings.NewReplacer("’", "'", "‘", "'").Replace(s))
}

// words tokenizes a name or a phrase into normalized words.
func words(s string) []string {
	var out []string
	for _, t := range tokenize(s) {
		if t.word {
			out = append(out, t.norm)
		}
	}
	return out
}
