package schema

import (
	"testing"

	"github.com/cayleygraph/quad"
)

func TestParseDate(t *testing.T) {
	for _, tc := range []struct {
		in       string
		wantType string // "" when the date is rejected
	}{
		{"2025", DateYear},
		{"2025-03", DateYearMonth},
		{"2025-03-18", DateDay},
		{"2024-02-29", DateDay},
		{"2025-02-29", ""},
		{"2025-13", ""},
		{"2025-3-18", ""},
		{"25-03-18", ""},
		{"next week", ""},
		{"", ""},
		{"2025-03-18-01", ""},
		{"18 March 2025", ""},
	} {
		got, err := ParseDate(tc.in)
		switch {
		case tc.wantType == "" && err == nil:
			t.Errorf("ParseDate(%q) = %v, want an error", tc.in, got)
		case tc.wantType != "" && err != nil:
			t.Errorf("ParseDate(%q): %v", tc.in, err)
		case tc.wantType != "" && got.(quad.TypedString).Type != quad.IRI(tc.wantType):
			t.Errorf("ParseDate(%q) = %v, want type %s", tc.in, got, tc.wantType)
		}
	}
}

func TestCheckDate(t *testing.T) {
	for _, tc := range []struct {
		in quad.Value
		ok bool
	}{
		{quad.String("2025-03"), true},
		{quad.TypedString{Value: "2025-03", Type: DateYearMonth}, true},
		{quad.TypedString{Value: "2025-03", Type: DateDay}, false},
		{quad.TypedString{Value: "2025", Type: "http://example.org/year"}, true}, // a foreign type: the text decides
		{quad.String("next week"), false},
		{quad.LangString{Value: "March", Lang: "en"}, false},
	} {
		if err := CheckDate(tc.in); (err == nil) != tc.ok {
			t.Errorf("CheckDate(%v) = %v, want ok %v", tc.in, err, tc.ok)
		}
	}
}
