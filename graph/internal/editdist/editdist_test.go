package editdist

import "testing"

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b  string
		limit int
		want  int
	}{
		{"putin", "putin", 3, 0},
		{"putn", "putin", 3, 1},
		{"kallas", "kalas", 3, 1},
		{"zelensky", "zelenskyy", 3, 1},
		{"kitten", "sitting", 5, 3},
		{"kitten", "sitting", 2, 3}, // past the limit: limit+1
		{"a", "abcdef", 2, 3},       // lengths alone exceed it
		{"", "", 0, 0},
		{"moscow", "москва", 10, 6}, // runes, not bytes
	} {
		if got := Distance(tc.a, tc.b, tc.limit); got != tc.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", tc.a, tc.b, tc.limit, got, tc.want)
		}
	}
}
