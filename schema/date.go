package schema

import (
	"fmt"
	"strings"
	"time"

	"github.com/cayleygraph/quad"
)

// XSD is the namespace of the XML Schema datatypes dates are typed with.
const XSD = "http://www.w3.org/2001/XMLSchema#"

// The ISO 8601 forms a date may take, by the XML Schema datatype that types each.
const (
	DateYear      = XSD + "gYear"      // 2025
	DateYearMonth = XSD + "gYearMonth" // 2025-03
	DateDay       = XSD + "date"       // 2025-03-18
)

// ParseDate reads a date written YYYY, YYYY-MM or YYYY-MM-DD (ISO 8601, as xsd:gYear,
// xsd:gYearMonth or xsd:date) and returns it typed accordingly. Months run 01-12 and days
// exist in their month. Anything else ("next week", "18 March") is an error: a relative
// date is resolved against the source's publication date before it is written.
func ParseDate(d string) (quad.Value, error) {
	bad := fmt.Errorf("date %q is not YYYY, YYYY-MM or YYYY-MM-DD", d)
	parts := strings.Split(d, "-")
	if len(parts) > 3 || len(parts[0]) != 4 || !digits(parts[0]) {
		return nil, bad
	}
	for _, p := range parts[1:] {
		if len(p) != 2 || !digits(p) {
			return nil, bad
		}
	}
	layout := []string{"2006", "2006-01", "2006-01-02"}[len(parts)-1]
	if _, err := time.Parse(layout, d); err != nil {
		return nil, fmt.Errorf("date %q is not a day of the calendar", d)
	}
	typ := []string{DateYear, DateYearMonth, DateDay}[len(parts)-1]
	return quad.TypedString{Value: quad.String(d), Type: quad.IRI(typ)}, nil
}

// CheckDate checks a literal that a <date> or <published> quad holds: its text must be
// a date ParseDate reads, and a literal typed with an XML Schema date type must have
// the type its text has ("2025-03" is a gYearMonth, not a date).
func CheckDate(x quad.Value) error {
	text := Text(x)
	want, err := ParseDate(text)
	if err != nil {
		return err
	}
	if ts, ok := x.(quad.TypedString); ok && strings.HasPrefix(string(ts.Type), XSD) {
		if wt := want.(quad.TypedString).Type; ts.Type != wt {
			return fmt.Errorf("date %q is typed %s, but its form is %s", text, xsdName(ts.Type), xsdName(wt))
		}
	}
	return nil
}

// IsDatePredicate reports whether a predicate's object is a date CheckDate checks.
func IsDatePredicate(pred string) bool { return pred == PredDate || pred == PredPublished }

func xsdName(t quad.IRI) string { return "xsd:" + strings.TrimPrefix(string(t), XSD) }

func digits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
