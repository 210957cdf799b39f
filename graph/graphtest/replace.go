package graphtest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cayleygraph/quad"

	"github.com/parley/parley/graph"
	"github.com/parley/parley/schema"
)

// A source in two versions. The first names an entity of its own (<t-deal>) and the
// seed's; the second keeps one claim as it was, changes another and adds a third, and
// no longer names <t-deal>.
const (
	replaceV1 = `<src-t> <type> <Source> .
<src-t> <label> "Test wire" .
<src-t> <title> "Test wire" .
<t-deal> <type> <Position> .
<t-deal> <label> "A test deal" .
<src-t#c1> <type> <Claim> .
<src-t#c1> <source> <src-t> .
<src-t#c1> <evidence> "Kallas rejected the guarantees." .
<src-t#c1> <modality> "asserted" .
<kallas> <rejects> <ironclad-security-guarantees> <src-t#c1> .
<src-t#c2> <type> <Claim> .
<src-t#c2> <source> <src-t> .
<src-t#c2> <evidence> "Putin demanded a test deal." .
<src-t#c2> <modality> "asserted" .
<putin> <demands> <t-deal> <src-t#c2> .
`
	replaceV2 = `<src-t> <type> <Source> .
<src-t> <label> "Test wire, corrected" .
<src-t> <title> "Test wire, corrected" .
<src-t#c1> <type> <Claim> .
<src-t#c1> <source> <src-t> .
<src-t#c1> <evidence> "Kallas rejected the guarantees." .
<src-t#c1> <modality> "asserted" .
<kallas> <rejects> <ironclad-security-guarantees> <src-t#c1> .
<src-t#c2> <type> <Claim> .
<src-t#c2> <source> <src-t> .
<src-t#c2> <evidence> "Putin rejected the guarantees." .
<src-t#c2> <modality> "asserted" .
<putin> <rejects> <ironclad-security-guarantees> <src-t#c2> .
<src-t#c3> <type> <Claim> .
<src-t#c3> <source> <src-t> .
<src-t#c3> <evidence> "Zelensky said Ukraine would accept a ceasefire." .
<src-t#c3> <speaker> <zelensky> .
<src-t#c3> <modality> "attributed" .
<zelensky> <supports> <ironclad-security-guarantees> <src-t#c3> .
`
)

// statements reads N-Quads text into statements, failing the test on a syntax error.
func statements(t *testing.T, name, text string) *graph.Parsed {
	t.Helper()
	p, err := graph.Read([]graph.Input{Input(name, text)}, graph.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// replace replaces the sources text describes.
func replace(ctx context.Context, s *graph.Store, t *testing.T, name, text string, opt graph.LoadOptions) (graph.ReplaceResult, error) {
	t.Helper()
	p := statements(t, name, text)
	plan, err := s.PlanReplace(ctx, graph.SourcesOf(p.Statements))
	if err != nil {
		return graph.ReplaceResult{}, err
	}
	return s.Replace(ctx, plan, p.Statements, p.Syntax, p.Files, opt)
}

// union is a dump with text's quads added.
func union(t *testing.T, dump []string, text string) []string {
	out := slices.Clone(dump)
	for _, st := range statements(t, "union.nq", text).Statements {
		if q := st.Quad.NQuad(); !slices.Contains(out, q) {
			out = append(out, q)
		}
	}
	slices.Sort(out)
	return out
}

// testReplace: the store ends with exactly the new version; the claim given again is
// untouched, the entity only the old version named is gone; unloading the source then
// gives back the seed.
func testReplace(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	seed := Dump(t, s)
	load(t, s, replaceV1, graph.LoadOptions{})
	res, err := replace(ctx, s, t, "v2.nq", replaceV2, graph.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	SameDump(t, "after the replace", Dump(t, s), union(t, seed, replaceV2))
	// Gone: c2's evidence and fact, the old title and label, <t-deal>'s type and label.
	want := graph.Removed{Sources: []string{"src-t"}, Quads: 6, Claims: 0, Facts: 1, Entities: 1}
	if !equalRemoved(res.Removed, want) || res.Written != 10 || res.Present != 9 {
		t.Errorf("Replace = %+v, %+v; want %+v, 10 written and 9 present", res.LoadResult, res.Removed, want)
	}
	if _, err := s.ResolveEntity(ctx, "<t-deal>"); err == nil {
		t.Error("<t-deal> is still named after the replace")
	}
	if src, err := s.ResolveSource(ctx, "test wire, corrected"); err != nil || src != "src-t" {
		t.Errorf("ResolveSource(new title) = %v, %v", src, err)
	}

	// The same version again changes nothing.
	again, err := replace(ctx, s, t, "v2.nq", replaceV2, graph.LoadOptions{})
	if err != nil || again.Written != 0 || again.Removed.Quads != 0 {
		t.Errorf("Replace with the same version = %+v, %v; want nothing written or removed", again, err)
	}

	// A dry run of the unload counts, and removes nothing.
	dry, err := s.UnloadSource(ctx, "src-t", graph.LoadOptions{DryRun: true})
	if err != nil || dry.Quads != 19 || dry.Claims != 3 || dry.Facts != 3 {
		t.Errorf("UnloadSource dry run = %+v, %v; want 19 quads, 3 claims and 3 facts", dry, err)
	}
	SameDump(t, "after a dry run", Dump(t, s), union(t, seed, replaceV2))
	gone, err := s.UnloadSource(ctx, "src-t", graph.LoadOptions{})
	if err != nil || gone.Quads != 19 || gone.Entities != 0 {
		t.Errorf("UnloadSource = %+v, %v; want 19 quads, and no entity (the seed's are named elsewhere)", gone, err)
	}
	SameDump(t, "after unloading the source", Dump(t, s), seed)
}

func equalRemoved(a, b graph.Removed) bool {
	return slices.Equal(a.Sources, b.Sources) && a.Quads == b.Quads && a.Claims == b.Claims && a.Facts == b.Facts && a.Entities == b.Entities
}

// testReplaceInvalid: a new version with a problem is reported at its line, and the old
// version stays as it was.
func testReplaceInvalid(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	load(t, s, replaceV1, graph.LoadOptions{})
	before := Dump(t, s)
	bad := replaceV2 + "<putin> <praises> <kallas> <src-t#c3> .\n"
	_, err := replace(ctx, s, t, "v2.nq", bad, graph.LoadOptions{})
	var verr *schema.ValidationError
	if !errors.As(err, &verr) || !strings.Contains(err.Error(), "v2.nq:20:") {
		t.Fatalf("Replace = %v, want a problem at v2.nq:20", err)
	}
	SameDump(t, "after the rejected replace", Dump(t, s), before)

	// A new version that still names the entity only the old one named, without
	// declaring it, is rejected too: its names go with the old version.
	stale := replaceV2 + "<putin> <demands> <t-deal> <src-t#c3> .\n"
	_, err = replace(ctx, s, t, "v2.nq", stale, graph.LoadOptions{})
	if !errors.As(err, &verr) || !strings.Contains(err.Error(), "v2.nq:20:") || !strings.Contains(err.Error(), "t-deal") {
		t.Fatalf("Replace naming <t-deal> without its names = %v, want a problem at v2.nq:20", err)
	}
	SameDump(t, "after the rejected replace", Dump(t, s), before)
	// Declared again, it stays, corrected.
	declared := stale + "<t-deal> <type> <Position> .\n<t-deal> <label> \"A test deal, corrected\" .\n"
	if _, err := replace(ctx, s, t, "v2.nq", declared, graph.LoadOptions{}); err != nil {
		t.Fatalf("Replace declaring <t-deal> again = %v", err)
	}
	if got, err := s.Objects(ctx, quad.IRI("t-deal"), schema.PredLabel); err != nil || len(got) != 1 || schema.Text(got[0]) != "A test deal, corrected" {
		t.Errorf("<t-deal> is labelled %v (%v) after the replace, want the new version's label alone", got, err)
	}
}

// testReplaceInterrupted: a replace that fails once the old version is out (here: its
// context cancelled as the removal is reported) leaves the store as it was.
func testReplaceInterrupted(t *testing.T, s *graph.Store) {
	load(t, s, replaceV1, graph.LoadOptions{})
	before := Dump(t, s)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	removed := false
	_, err := replace(ctx, s, t, "v2.nq", replaceV2, graph.LoadOptions{Progress: func(p graph.Progress) {
		if p.Phase == graph.PhaseRemove {
			removed = true
			cancel()
		}
	}})
	// The error is the cancellation, or what the backend made of it (a query cut short).
	if !removed || err == nil || !strings.Contains(err.Error(), context.Canceled.Error()) {
		t.Fatalf("Replace = %v (removal reported: %v), want the cancellation after the removal", err, removed)
	}
	SameDump(t, "after the interrupted replace", Dump(t, s), before)
	if _, err := s.ResolveEntity(context.Background(), "<t-deal>"); err != nil {
		t.Errorf("<t-deal> lost its names in the rollback: %v", err)
	}
}

// testUnloadSourceShared: a claim of two sources loses only its link to the one
// unloaded; an entity another source names keeps its names.
func testUnloadSourceShared(t *testing.T, s *graph.Store) {
	ctx := context.Background()
	load(t, s, replaceV1, graph.LoadOptions{})
	const other = `<src-u> <type> <Source> .
<src-u> <label> "Other wire" .
<src-u> <title> "Other wire" .
<src-t#c2> <source> <src-u> .
<src-u#c1> <type> <Claim> .
<src-u#c1> <source> <src-u> .
<src-u#c1> <evidence> "Kallas proposed a test deal." .
<src-u#c1> <modality> "asserted" .
<kallas> <proposes> <t-deal> <src-u#c1> .
`
	load(t, s, other, graph.LoadOptions{})
	src, err := s.ResolveSource(ctx, "Test wire")
	if err != nil || src != "src-t" {
		t.Fatalf("ResolveSource = %v, %v", src, err)
	}
	res, err := s.UnloadSource(ctx, src, graph.LoadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Claims != 1 || res.Facts != 1 || res.Entities != 0 {
		t.Errorf("UnloadSource = %+v; want c1 and its fact, c2 kept for src-u, <t-deal> kept", res)
	}
	has := func(text string) bool {
		q := statements(t, "q.nq", text).Statements[0].Quad
		ok, err := s.HasQuad(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	for text, want := range map[string]bool{
		"<src-t#c2> <source> <src-u> .\n":                                  true,
		"<src-t#c2> <source> <src-t> .\n":                                  false,
		"<putin> <demands> <t-deal> <src-t#c2> .\n":                        true,
		"<t-deal> <label> \"A test deal\" .\n":                             true,
		"<kallas> <rejects> <ironclad-security-guarantees> <src-t#c1> .\n": false,
		"<src-t> <title> \"Test wire\" .\n":                                false,
	} {
		if got := has(text); got != want {
			t.Errorf("after the unload, the store has %s: %v, want %v", strings.TrimSpace(text), got, want)
		}
	}
}
