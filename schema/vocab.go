package schema

// Entity types.
const (
	TypePerson       = "Person"       // a named individual
	TypeState        = "State"        // a country
	TypeOrganization = "Organization" // an alliance, union, government or government body
	TypePlace        = "Place"        // a city or region
	TypeAsset        = "Asset"        // a plant, a facility, a resource
	TypePosition     = "Position"     // the content of a demand, proposal, red line or view
	TypeEvent        = "Event"        // a call, a meeting, talks, a strike, a war
	TypeRole         = "Role"         // an office, such as President of the United States
	TypeSource       = "Source"       // a document facts are drawn from
	TypeClaim        = "Claim"        // one statement of a source: the label of the quads it supports
)

// Descriptive predicates: they name and type entities.
const (
	PredType  = "type"  // the entity's type: <putin> <type> <Person>
	PredLabel = "label" // the entity's human name
	PredAlias = "alias" // another name the sources use for the entity
)

// ForeignName is the predicate foreign data commonly names things with (Cayley's sample
// data, schema.org's name): parley shows it, and resolves names by it, where an entity
// has no <label>.
const ForeignName = "name"

// Provenance predicates: they describe claims and sources.
const (
	PredSource    = "source"    // the claim's source document
	PredEvidence  = "evidence"  // the sentence the claim rests on, verbatim
	PredSpeaker   = "speaker"   // who is quoted or paraphrased
	PredModality  = "modality"  // how the source states it: see the Modality constants
	PredDate      = "date"      // when the fact holds or happens (xsd:date, gYearMonth or gYear)
	PredTitle     = "title"     // a source's title
	PredPublished = "published" // when a source was published
	PredURL       = "url"       // where a source can be read
	PredCondition = "condition" // the condition the source attaches to the claim ("until the war is fully resolved")
)

// Relation predicates: facts drawn from a source, each labelled by a claim.
const (
	PredDemands           = "demands"           // the actor demands a position
	PredInsistsOn         = "insistsOn"         // the actor holds a position as a red line
	PredSeeks             = "seeks"             // the actor seeks an outcome
	PredProposes          = "proposes"          // the actor proposes a position
	PredAccepts           = "accepts"           // the actor accepts a proposal
	PredAgreesTo          = "agreesTo"          // the actor agrees to an event or arrangement
	PredSupports          = "supports"          // the actor backs a position
	PredConsiders         = "considers"         // the actor considers a course of action
	PredRejects           = "rejects"           // the actor rejects a position
	PredOpposes           = "opposes"           // the actor opposes a position or actor
	PredDismisses         = "dismisses"         // the actor dismisses a position as not serious
	PredWarns             = "warns"             // the actor warns that a danger or obstacle exists: the actor's own view
	PredWarnsAgainst      = "warnsAgainst"      // the actor warns against a course of action: opposition
	PredDenies            = "denies"            // the actor denies a report or an allegation
	PredAsserts           = "asserts"           // the actor maintains a view
	PredAnnounces         = "announces"         // the actor announces an event or plan
	PredConfirms          = "confirms"          // the actor confirms an event or plan
	PredDeclinesToComment = "declinesToComment" // the actor stays silent on a subject
	PredOptimisticAbout   = "optimisticAbout"   // the actor voices optimism about something
	PredDiscusses         = "discusses"         // the actor discusses a subject
	PredYetToAnswer       = "yetToAnswer"       // the actor has not yet answered a proposal or request put to it
	PredParticipatesIn    = "participatesIn"    // the actor takes part in an event
	PredInitiatedBy       = "initiatedBy"       // the event was started or sent by the actor
	PredAddressedTo       = "addressedTo"       // the event is directed at the actor
	PredDelivers          = "delivers"          // the actor carries a message or event to its addressee
	PredClashesWith       = "clashesWith"       // two actors clash openly
	PredLeavesEarly       = "leavesEarly"       // the actor leaves an event before its end
	PredAttacks           = "attacks"           // the actor strikes a target
	PredTargets           = "targets"           // the event strikes a target
	PredOccupies          = "occupies"          // the actor holds territory or an asset by force
	PredGainsGroundIn     = "gainsGroundIn"     // the actor advances militarily in a place
	PredCasualties        = "casualties"        // what an event did to people, as the source says it
	PredCharacterizedAs   = "characterizedAs"   // how the source characterizes an event, in its own words ("promising")
	PredComesAfter        = "comesAfter"        // the event comes after another, as the source links them
	PredHoldsRole         = "holdsRole"         // the person holds an office
	PredRoleOf            = "roleOf"            // the office belongs to a state or organization
	PredMemberOf          = "memberOf"          // the actor is a member of an organization
	PredGovernmentOf      = "governmentOf"      // the organization is the government of a state
	PredLocatedIn         = "locatedIn"         // the thing is in a place or state
	PredPartOf            = "partOf"            // the thing is part of a larger one
	PredAbout             = "about"             // the event, position or message concerns the thing
	PredContradicts       = "contradicts"       // two positions cannot both hold
)

// Modality values of a claim (PredModality).
const (
	ModalityAsserted   = "asserted"   // stated by the source as fact
	ModalityAttributed = "attributed" // reported as someone's words ("told reporters")
	ModalityHedged     = "hedged"     // a hint or inference ("likely referred to")
	ModalityPlanned    = "planned"    // announced for the future ("will speak on Tuesday")
	ModalityConsidered = "considered" // under consideration ("considering sending")
	ModalityRefused    = "refused"    // an actor declined to state or confirm it
	ModalityInferred   = "inferred"   // the coder's inference: the source implies it but does not say it
)

// Modalities lists the allowed modality values.
func Modalities() []string {
	return []string{ModalityAsserted, ModalityAttributed, ModalityHedged, ModalityPlanned, ModalityConsidered, ModalityRefused, ModalityInferred}
}

var (
	actors    = []string{TypePerson, TypeState, TypeOrganization}
	entities  = []string{TypePerson, TypeState, TypeOrganization, TypePlace, TypeAsset, TypePosition, TypeEvent, TypeRole}
	stanceOn  = []string{TypePosition, TypeEvent, TypeAsset, TypePlace}
	targets   = []string{TypePlace, TypeAsset, TypeState, TypeOrganization, TypePerson}
	locations = []string{TypePlace, TypeState}
)

func defaultTypes() []Type {
	return []Type{
		{TypePerson, "a named individual"},
		{TypeState, "a country"},
		{TypeOrganization, "an alliance, union, government or government body"},
		{TypePlace, "a city or region"},
		{TypeAsset, "a plant, a facility, a resource"},
		{TypePosition, "the content of a demand, proposal, red line or view"},
		{TypeEvent, "a call, a meeting, talks, a strike, a war"},
		{TypeRole, "an office, such as President of the United States"},
		{TypeSource, "a document facts are drawn from"},
		{TypeClaim, "one statement of a source; the label of the quads it supports"},
	}
}

// stance builds a relation predicate from an actor toward a position.
func stance(name, inverse string, pol Polarity, plover, cameo, cameoName, doc string) Predicate {
	return Predicate{Name: name, Reading: readingOf(name), Inverse: inverse, Domain: actors, Range: stanceOn,
		Kind: Relation, Polarity: pol, PLOVER: plover, CAMEO: cameo, CAMEOName: cameoName, Doc: doc}
}

// relation builds a relation predicate with explicit domain and range.
func relation(name, inverse string, domain, rng []string, pol Polarity, plover, cameo, cameoName, doc string) Predicate {
	return Predicate{Name: name, Reading: readingOf(name), Inverse: inverse, Domain: domain, Range: rng,
		Kind: Relation, Polarity: pol, PLOVER: plover, CAMEO: cameo, CAMEOName: cameoName, Doc: doc}
}

// literal builds a predicate whose object is a literal.
func literal(name, inverse string, kind Kind, domain []string, doc string) Predicate {
	return Predicate{Name: name, Reading: readingOf(name), Inverse: inverse, Domain: domain, Literal: true,
		Kind: kind, Polarity: Neutral, Doc: doc}
}

// background marks a relation that describes rather than reports.
func background(p Predicate) Predicate {
	p.Background = true
	return p
}

// tentative marks a stance that leans toward its object without committing to it.
func tentative(p Predicate) Predicate {
	p.Tentative = true
	return p
}

// withReading overrides the reading derived from the IRI.
func withReading(p Predicate, reading string) Predicate {
	p.Reading = reading
	return p
}

// readingOf turns a camel-case IRI into words: "insistsOn" reads "insists on".
func readingOf(name string) string {
	var b []byte
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c >= 'A' && c <= 'Z' {
			b = append(b, ' ', c+'a'-'A')
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

func defaultPredicates() []Predicate {
	const statement, statementName = "01", "Make public statement"
	preds := []Predicate{
		{Name: PredType, Reading: "type", Inverse: "type of", Kind: Descriptive, Polarity: Neutral, Doc: "the entity's type"},
		literal(PredLabel, "label of", Descriptive, nil, "the entity's human name"),
		literal(PredAlias, "alias of", Descriptive, nil, "another name the sources use for the entity"),

		{Name: PredSource, Reading: "source", Inverse: "source of", Domain: []string{TypeClaim}, Range: []string{TypeSource}, Kind: Provenance, Polarity: Neutral, Doc: "the claim's source document"},
		literal(PredEvidence, "evidence for", Provenance, []string{TypeClaim}, "the sentence the claim rests on, verbatim"),
		{Name: PredSpeaker, Reading: "speaker", Inverse: "speaker of", Domain: []string{TypeClaim}, Range: actors, Kind: Provenance, Polarity: Neutral, Doc: "who is quoted or paraphrased"},
		literal(PredModality, "modality of", Provenance, []string{TypeClaim}, "how the source states it: asserted, attributed, hedged, planned, considered, refused or inferred"),
		literal(PredDate, "date of", Provenance, []string{TypeClaim, TypeEvent}, "when the fact holds or the event happens"),
		literal(PredTitle, "title of", Provenance, []string{TypeSource}, "a source's title"),
		literal(PredPublished, "published on", Provenance, []string{TypeSource}, "when a source was published"),
		literal(PredURL, "url of", Provenance, []string{TypeSource}, "where a source can be read"),
		literal(PredCondition, "condition of", Provenance, []string{TypeClaim}, "the condition the source attaches to the claim"),

		stance(PredDemands, "demanded by", Pro, "REQUEST", "10", "Demand", "the actor demands a position"),
		stance(PredInsistsOn, "insisted on by", Pro, "REQUEST", "10", "Demand", "the actor holds a position as a red line"),
		stance(PredSeeks, "sought by", Pro, "REQUEST", "02", "Appeal", "the actor seeks an outcome"),
		stance(PredProposes, "proposed by", Pro, "AGREE", "03", "Express intent to cooperate", "the actor proposes a position"),
		stance(PredAccepts, "accepted by", Pro, "CONCEDE", "08", "Yield", "the actor accepts a proposal"),
		stance(PredAgreesTo, "agreed to by", Pro, "AGREE", "03", "Express intent to cooperate", "the actor agrees to an event or arrangement"),
		stance(PredSupports, "supported by", Pro, "SUPPORT", "05", "Engage in diplomatic cooperation", "the actor backs a position"),
		tentative(stance(PredConsiders, "considered by", Pro, "", statement, statementName, "the actor considers a course of action, not yet backing it (CAMEO 014)")),
		stance(PredRejects, "rejected by", Con, "REJECT", "12", "Reject", "the actor rejects a position"),
		relation(PredOpposes, "opposed by", actors, append(append([]string{}, stanceOn...), actors...), Con, "ACCUSE", "11", "Disapprove", "the actor opposes a position or actor"),
		stance(PredDismisses, "dismissed by", Con, "ACCUSE", "11", "Disapprove", "the actor dismisses a position as not serious"),
		stance(PredWarns, "warned of by", Pro, "", statement, statementName, "the actor warns that a danger or obstacle exists: a view the actor holds (CAMEO 012)"),
		withReading(stance(PredWarnsAgainst, "warned against by", Con, "ACCUSE", "11", "Disapprove", "the actor warns against a course of action"), "warns against"),
		stance(PredDenies, "denied by", Con, "", statement, statementName, "the actor denies a report or an allegation (CAMEO 016)"),
		stance(PredAsserts, "asserted by", Pro, "", statement, statementName, "the actor maintains a view (CAMEO 010)"),
		stance(PredAnnounces, "announced by", Neutral, "", statement, statementName, "the actor announces an event or plan (CAMEO 010)"),
		stance(PredConfirms, "confirmed by", Neutral, "", statement, statementName, "the actor confirms an event or plan (CAMEO 010)"),
		withReading(stance(PredDeclinesToComment, "not commented on by", Neutral, "", statement, statementName, "the actor stays silent on a subject (CAMEO 011)"), "declines to comment on"),
		withReading(tentative(stance(PredOptimisticAbout, "viewed with optimism by", Pro, "", statement, statementName, "the actor voices optimism about something, not support for it (CAMEO 013)")), "is optimistic about"),
		stance(PredDiscusses, "discussed by", Neutral, "CONSULT", "04", "Consult", "the actor discusses a subject"),
		withReading(stance(PredYetToAnswer, "awaiting an answer from", Neutral, "", "", "", "the actor has not yet answered a proposal or request put to it: no stance yet"), "has yet to answer"),

		relation(PredParticipatesIn, "has participant", actors, []string{TypeEvent}, Neutral, "CONSULT", "04", "Consult", "the actor takes part in an event"),
		relation(PredInitiatedBy, "initiates", []string{TypeEvent}, actors, Neutral, "", "", "", "the event was started or sent by the actor"),
		relation(PredAddressedTo, "receives", []string{TypeEvent}, actors, Neutral, "", "", "", "the event is directed at the actor"),
		relation(PredDelivers, "delivered by", actors, []string{TypeEvent}, Neutral, "CONSULT", "04", "Consult", "the actor carries a message to its addressee"),
		func() Predicate {
			p := relation(PredClashesWith, "clashes with", actors, actors, Con, "ACCUSE", "11", "Disapprove", "two actors clash openly")
			p.Symmetric = true
			return p
		}(),
		relation(PredLeavesEarly, "left early by", actors, []string{TypeEvent}, Con, "PROTEST", "14", "Protest", "the actor leaves an event before its end"),
		relation(PredAttacks, "attacked by", actors, targets, Con, "ASSAULT", "19", "Fight", "the actor strikes a target (CAMEO 195: aerial weapons)"),
		relation(PredTargets, "targeted by", []string{TypeEvent}, targets, Con, "ASSAULT", "19", "Fight", "the event strikes a target"),
		relation(PredOccupies, "occupied by", actors, []string{TypePlace, TypeAsset, TypeState}, Con, "ASSAULT", "19", "Fight", "the actor holds territory or an asset by force (CAMEO 192)"),
		relation(PredGainsGroundIn, "ground gained in by", actors, locations, Con, "ASSAULT", "19", "Fight", "the actor advances militarily in a place"),
		literal(PredCasualties, "casualties of", Relation, []string{TypeEvent}, "what an event did to people, as the source says it"),
		withReading(literal(PredCharacterizedAs, "characterization of", Relation, []string{TypeEvent}, "how the source characterizes an event, in its own words"), "characterized as"),
		withReading(background(relation(PredComesAfter, "comes before", []string{TypeEvent}, []string{TypeEvent}, Neutral, "", "", "", "the event comes after another, as the source links them")), "comes after"),

		background(relation(PredHoldsRole, "held by", []string{TypePerson}, []string{TypeRole}, Neutral, "", "", "", "the person holds an office")),
		background(relation(PredRoleOf, "has role", []string{TypeRole}, []string{TypeState, TypeOrganization}, Neutral, "", "", "", "the office belongs to a state or organization")),
		background(relation(PredMemberOf, "has member", actors, []string{TypeOrganization}, Neutral, "", "", "", "the actor is a member of an organization")),
		background(relation(PredGovernmentOf, "governed by", []string{TypeOrganization}, []string{TypeState}, Neutral, "", "", "", "the organization is the government of a state")),
		background(relation(PredLocatedIn, "location of", []string{TypePlace, TypeAsset, TypeEvent, TypeOrganization}, locations, Neutral, "", "", "", "the thing is in a place or state")),
		background(relation(PredPartOf, "has part", []string{TypePosition, TypePlace, TypeAsset, TypeEvent}, []string{TypePosition, TypePlace, TypeAsset, TypeEvent, TypeState}, Neutral, "", "", "", "the thing is part of a larger one")),
		background(relation(PredAbout, "subject of", []string{TypeEvent, TypePosition}, entities, Neutral, "", "", "", "the event or position concerns the thing")),
		func() Predicate {
			p := relation(PredContradicts, "contradicts", []string{TypePosition}, []string{TypePosition}, Con, "", "", "", "two positions cannot both hold")
			p.Symmetric = true
			return p
		}(),
	}
	return preds
}
