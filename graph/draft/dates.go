package draft

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/parley/parley/schema"
)

// published is a source's publication date with its precision.
type published struct {
	t         time.Time
	precision int // 0 unknown, 1 year, 2 month, 3 day
}

func parsePublished(s string) (published, error) {
	if s == "" {
		return published{}, nil
	}
	if _, err := schema.ParseDate(s); err != nil {
		return published{}, err
	}
	parts := strings.Count(s, "-") + 1
	t, err := time.Parse([]string{"2006", "2006-01", "2006-01-02"}[parts-1], s)
	return published{t: t, precision: parts}, err
}

var weekdays = map[string]time.Weekday{"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday,
	"wednesday": time.Wednesday, "thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday}

var months = map[string]time.Month{"january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
	"july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12}

// dateFound is a date expression of a sentence, resolved.
type dateFound struct {
	date       string // ISO 8601, "" when the publication date is too coarse to resolve it
	start, end int    // tokens
	text       string
}

// findDate finds the first date expression of a sentence ("on Tuesday", "last month",
// "yesterday", "on March 18", "in March") and resolves it against the publication date;
// future tells a weekday to look forward ("will speak on Tuesday") rather than back.
func findDate(toks []token, pub published, future bool) (dateFound, bool) {
	for i, t := range toks {
		if !t.word {
			continue
		}
		d, n := resolveAt(toks, i, pub, future)
		if n == 0 {
			continue
		}
		start := i
		if i > 0 && (toks[i-1].norm == "on" || toks[i-1].norm == "in") {
			start = i - 1
		}
		var parts []string
		for _, x := range toks[start : i+n] {
			parts = append(parts, x.text)
		}
		return dateFound{date: d, start: start, end: i + n, text: strings.Join(parts, " ")}, true
	}
	return dateFound{}, false
}

// resolveAt resolves a date expression starting at token i: the date and the number of
// tokens it spans, 0 when there is none.
func resolveAt(toks []token, i int, pub published, future bool) (string, int) {
	w := toks[i].norm
	next := ""
	if i+1 < len(toks) {
		next = toks[i+1].norm
	}
	day := func(t time.Time) string {
		if pub.precision < 3 {
			return ""
		}
		return t.Format("2006-01-02")
	}
	month := func(t time.Time) string {
		if pub.precision < 2 {
			return ""
		}
		return t.Format("2006-01")
	}
	switch {
	case w == "yesterday":
		return day(pub.t.AddDate(0, 0, -1)), 1
	case w == "today":
		return day(pub.t), 1
	case w == "tomorrow":
		return day(pub.t.AddDate(0, 0, 1)), 1
	case (w == "last" || w == "this" || w == "next") && (next == "month" || next == "year"):
		step := map[string]int{"last": -1, "this": 0, "next": 1}[w]
		if next == "year" {
			if pub.precision < 1 {
				return "", 2
			}
			return strconv.Itoa(pub.t.Year() + step), 2
		}
		return month(time.Date(pub.t.Year(), pub.t.Month()+time.Month(step), 1, 0, 0, 0, 0, time.UTC)), 2
	}
	if wd, ok := weekdays[w]; ok && capitalized(toks[i].text) {
		if pub.precision < 3 {
			return "", 1
		}
		delta := int(wd - pub.t.Weekday())
		if future && delta < 0 {
			delta += 7
		}
		if !future && delta > 0 {
			delta -= 7
		}
		return day(pub.t.AddDate(0, 0, delta)), 1
	}
	if m, ok := months[w]; ok && capitalized(toks[i].text) && (w != "may" || i > 0 && (toks[i-1].norm == "in" || toks[i-1].norm == "on")) {
		year := pub.t.Year()
		if pub.precision < 1 {
			return "", 1
		}
		if d, err := strconv.Atoi(next); err == nil && d >= 1 && d <= 31 {
			s := fmt.Sprintf("%04d-%02d-%02d", year, m, d)
			if _, err := schema.ParseDate(s); err == nil {
				return s, 2
			}
		}
		return fmt.Sprintf("%04d-%02d", year, m), 1
	}
	return "", 0
}
