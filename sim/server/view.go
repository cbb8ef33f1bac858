package server

import "github.com/roleplay-sim/roleplay/sim"

// What each mode shows: training shows how every turn was read, the state,
// meters and checklist (as far as the scenario's display allows);
// assessment shows only what the customer says until the report.

// startedFor is the started message for a new call and its token.
func startedFor(c *call, token string) startedMessage {
	return startedMessage{V: ProtocolVersion, Type: typeStarted, Call: c.id(), Token: token, callView: viewOf(c)}
}

// resumedFor is the resumed message for a call taken up again: the call
// as it stands, and every turn as its reply showed it.
func resumedFor(c *call) resumedMessage {
	turns := c.conv.Turns()
	out := resumedMessage{V: ProtocolVersion, Type: typeResumed, Call: c.id(), callView: viewOf(c), Turns: make([]pastTurn, len(turns))}
	for i, t := range turns {
		out.Turns[i] = pastTurn{Said: t.Said, turnView: turnViewOf(c, t)}
	}
	return out
}

// viewOf is the call as it stands: who the customer is, the opening and,
// in training mode, the state, meters and checklist.
func viewOf(c *call) callView {
	sc := c.scenario()
	out := callView{
		Mode: c.mode(),
		Scenario: scenarioSummary{
			ID: sc.ID, Title: sc.Title, Display: sc.Display,
			Customer: person{Name: sc.Customer.Name, Role: sc.Customer.Role, Company: sc.Customer.Company},
		},
		Opening:  c.conv.Opening(),
		MaxTurns: sc.MaxTurns,
	}
	if c.mode() != sim.Training {
		return out
	}
	out.State = c.conv.State()
	if sc.Display.Meters {
		out.Meters = c.conv.Meters()
		if turns := c.conv.Turns(); len(turns) > 0 { // as the last reply showed them, with its deltas
			out.Meters = turns[len(turns)-1].Meters
		}
	}
	if sc.Display.Checklist {
		out.Checklist = checklist(c.conv)
	}
	return out
}

// replyFor is the reply message for turn t: the turn, and in training mode
// the checklist as it stands.
func replyFor(c *call, t sim.Turn) replyMessage {
	out := replyMessage{V: ProtocolVersion, Type: typeReply, turnView: turnViewOf(c, t)}
	if c.mode() == sim.Training && c.scenario().Display.Checklist {
		out.Checklist = checklist(c.conv)
	}
	return out
}

// turnViewOf is turn t as the trainee sees it in c's mode, but for the
// checklist, which is the call's, not the turn's.
func turnViewOf(c *call, t sim.Turn) turnView {
	out := turnView{Turn: t.N, Text: t.Reply, Ended: t.Ended, Outcome: t.Outcome, Reason: t.Reason}
	if c.mode() != sim.Training {
		return out
	}
	sc := c.scenario()
	out.Acts, out.From, out.To = t.Acts, t.From, t.To
	out.Corrected, out.Read = t.Read != nil, t.Read
	out.Transitions, out.Effects = t.Transitions, t.Effects
	if sc.Display.Meters {
		out.Meters = t.Meters
	}
	for _, id := range t.Revealed {
		for _, f := range sc.Facts {
			if f.ID == id {
				out.Revealed = append(out.Revealed, factView{ID: f.ID, Kind: f.Kind, Label: f.Label})
			}
		}
	}
	return out
}

// checklist is every fact of the scenario and the turn it came out in. A
// fact still hidden goes out with its kind only: its id and label would
// tell the trainee what to ask.
func checklist(conv *sim.Conversation) []sim.FactStatus {
	facts := conv.Scenario().Facts
	out := make([]sim.FactStatus, len(facts))
	for i, f := range facts {
		out[i] = sim.FactStatus{Kind: f.Kind, Turn: conv.RevealedAt(i)}
		if out[i].Turn > 0 {
			out[i].ID, out[i].Label = f.ID, f.Label
		}
	}
	return out
}
