package draft

import (
	"fmt"
	"slices"
	"strings"

	"github.com/parley/parley/graph/sheet"
)

// Answer is a reviewer's decision on one proposed fact.
type Answer int

// The answers, each with its key.
const (
	Accept Answer = iota // a: keep the fact, enabled
	Reject               // r: drop it
	Edit                 // e: replace it by a fact line of the reviewer's, enabled
	Skip                 // s: keep it as proposed, commented out if it was
	Quit                 // q: stop; the facts not reviewed stay, commented out
)

// AnswerKeys is the prompt's legend: the key of each answer.
const AnswerKeys = "(a)ccept (r)eject (e)dit (s)kip (q)uit"

// ParseAnswer reads an answer from its key (any case); ok is false for any other.
func ParseAnswer(key string) (a Answer, ok bool) {
	switch strings.ToLower(strings.TrimSpace(key)) {
	case "a", "accept":
		return Accept, true
	case "r", "reject":
		return Reject, true
	case "e", "edit":
		return Edit, true
	case "s", "skip":
		return Skip, true
	case "q", "quit":
		return Quit, true
	}
	return 0, false
}

// Review walks a reviewer through a drafted sheet's proposed facts, in the sheet's
// order, one at a time: each is accepted, rejected, edited or skipped, until the last or
// a quit. Sheet then gives the reviewed sheet.
type Review struct {
	sh       sheet.Sheet
	queue    []factRef // every fact, in order
	next     int
	quit     bool
	rejected map[factRef]bool
	Counts   ReviewCounts
}

type factRef struct{ claim, fact int }

// ReviewCounts say what a review decided.
type ReviewCounts struct {
	Accepted, Rejected, Edited, Skipped, Unreviewed int
}

// Proposal is one fact up for review, with what a reviewer needs to judge it.
type Proposal struct {
	N, Of int         // its place in the review, from 1
	Claim sheet.Claim // the claim it belongs to: evidence, speaker, modality, date
	Fact  sheet.Fact  // the fact, with its rule (Comment) and Confidence
}

// NewReview starts the review of sh, which it copies.
func NewReview(sh sheet.Sheet) *Review {
	r := &Review{sh: sh, rejected: map[factRef]bool{}}
	r.sh.Claims = slices.Clone(sh.Claims)
	r.sh.Entities = slices.Clone(sh.Entities)
	r.sh.Skipped = slices.Clone(sh.Skipped)
	for i := range r.sh.Claims {
		r.sh.Claims[i].Facts = slices.Clone(r.sh.Claims[i].Facts)
		for j := range r.sh.Claims[i].Facts {
			r.queue = append(r.queue, factRef{i, j})
		}
	}
	return r
}

// Current returns the fact up for review; ok is false once the review is over.
func (r *Review) Current() (p Proposal, ok bool) {
	if r.quit || r.next >= len(r.queue) {
		return Proposal{}, false
	}
	ref := r.queue[r.next]
	c := r.sh.Claims[ref.claim]
	return Proposal{N: r.next + 1, Of: len(r.queue), Claim: c, Fact: c.Facts[ref.fact]}, true
}

// Answer decides the current fact and moves to the next. An edit gives the new fact as
// a sheet's fact line (sheet.ParseFact's grammar); if it does not parse, Answer returns
// the error and the fact is still the current one.
func (r *Review) Answer(a Answer, edited string) error {
	if _, ok := r.Current(); !ok {
		return fmt.Errorf("the review is over")
	}
	ref := r.queue[r.next]
	f := &r.sh.Claims[ref.claim].Facts[ref.fact]
	switch a {
	case Accept:
		f.Disabled = false
		r.Counts.Accepted++
	case Reject:
		r.rejected[ref] = true
		r.Counts.Rejected++
	case Edit:
		nf, err := sheet.ParseFact(edited)
		if err != nil {
			return err
		}
		if nf.String() != f.String() {
			f.Comment = "edited in review; proposed: " + f.String()
			f.Confidence = 0
			f.Subject, f.Predicate, f.Object = nf.Subject, nf.Predicate, nf.Object
		}
		f.Disabled = false
		r.Counts.Edited++
	case Skip:
		r.Counts.Skipped++
	case Quit:
		r.quit = true
		return nil
	default:
		return fmt.Errorf("unknown answer %d", a)
	}
	r.next++
	return nil
}

// Sheet returns the reviewed sheet: rejected facts dropped; the facts not reviewed (after
// a quit) commented out, so that loading the sheet loads only what was decided; claims
// with no fact left dropped, their sentences listed with those the draft skipped; and the
// new entities that no fact to be loaded (not commented out) or speaker names dropped,
// so that the sheet loads no entity in no fact.
func (r *Review) Sheet() sheet.Sheet {
	out := r.sh
	r.Counts.Unreviewed = 0
	for _, ref := range r.queue[r.next:] {
		f := &out.Claims[ref.claim].Facts[ref.fact]
		if !f.Disabled {
			f.Disabled = true
			f.Comment = strings.TrimSpace("not reviewed; " + f.Comment)
		}
		r.Counts.Unreviewed++
	}
	var claims []sheet.Claim
	for i, c := range out.Claims {
		var facts []sheet.Fact
		for j, f := range c.Facts {
			if !r.rejected[factRef{i, j}] {
				facts = append(facts, f)
			}
		}
		if len(facts) == 0 && len(c.Facts) > 0 {
			if !slices.Contains(out.Skipped, c.Evidence) {
				out.Skipped = append(out.Skipped, c.Evidence)
			}
			continue
		}
		c.Facts = facts
		claims = append(claims, c)
	}
	out.Claims = claims
	out.Entities = slices.DeleteFunc(slices.Clone(out.Entities), func(e sheet.Entity) bool {
		return e.New && !named(claims, e)
	})
	return out
}

// named reports whether a fact not commented out or a speaker of claims names e.
func named(claims []sheet.Claim, e sheet.Entity) bool {
	names := append([]string{e.Name, e.ID}, e.Aliases...)
	is := func(s string) bool {
		s = strings.TrimSpace(s)
		return s != "" && slices.ContainsFunc(names, func(n string) bool { return n != "" && strings.EqualFold(n, s) })
	}
	for _, c := range claims {
		if is(c.Speaker) {
			return true
		}
		for _, f := range c.Facts {
			if !f.Disabled && (is(f.Subject) || is(f.Object)) {
				return true
			}
		}
	}
	return false
}
