package scenario

import (
	"fmt"

	"github.com/roleplay-sim/roleplay/sim"
)

// The shapes of a scenario file as TOML, before validation. Every field has
// an explicit tag, and the loader rejects any key that no field takes.

type scenarioFile struct {
	ID          string           `toml:"id"`
	Title       string           `toml:"title"`
	Difficulty  string           `toml:"difficulty"`
	Skills      []string         `toml:"skills"`
	Brief       string           `toml:"brief"`
	MaxTurns    int              `toml:"max_turns"`
	Start       string           `toml:"start"`
	TimeUp      stringList       `toml:"time_up"`
	NothingMore stringList       `toml:"nothing_more"`
	Synonyms    [][]string       `toml:"synonyms"`
	Customer    sim.Customer     `toml:"customer"`
	Product     sim.Product      `toml:"product"`
	Display     *sim.Display     `toml:"display"`
	Defaults    defaultsSwitches `toml:"defaults"`
	Grading     *sim.Grading     `toml:"grading"`
	Price       *priceFile       `toml:"price"`
	Facts       []factFile       `toml:"fact"`
	Meters      []meterFile      `toml:"meter"`
	Effects     []effectFile     `toml:"effect"`
	States      []stateFile      `toml:"state"`
	Transitions []transitionFile `toml:"transition"`
	Replies     []replyFile      `toml:"reply"`
}

// defaultsSwitches turns parts of the built-in defaults off; each is on unless set to false.
type defaultsSwitches struct {
	Meters  *bool `toml:"meters"`
	Effects *bool `toml:"effects"`
	Machine *bool `toml:"machine"`
	Replies *bool `toml:"replies"`
}

type factFile struct {
	ID       string     `toml:"id"`
	Kind     string     `toml:"kind"`
	Label    string     `toml:"label"`
	Reply    stringList `toml:"reply"`
	Pain     string     `toml:"pain"`
	Keywords []string   `toml:"keywords"`
	When     string     `toml:"when"`
	Question string     `toml:"question"`
	Deflect  stringList `toml:"deflect"`
	Reveal   string     `toml:"reveal"`
}

type meterFile struct {
	Name  string `toml:"name"`
	Start *int   `toml:"start"`
	Min   *int   `toml:"min"`
	Max   *int   `toml:"max"`
}

type effectFile struct {
	// ID names an effect; a scenario effect with a default effect's id
	// replaces it, and with off = true removes it.
	ID     string         `toml:"id"`
	Off    bool           `toml:"off"`
	On     stringList     `toml:"on"`
	When   string         `toml:"when"`
	Change map[string]int `toml:"change"`
	Reason string         `toml:"reason"`
}

type stateFile struct {
	Name        string     `toml:"name"`
	Description string     `toml:"description"`
	End         string     `toml:"end"`
	Reveals     stringList `toml:"reveals"`
}

type transitionFile struct {
	From   stringList `toml:"from"`
	On     stringList `toml:"on"`
	To     string     `toml:"to"`
	When   string     `toml:"when"`
	Reason string     `toml:"reason"`
}

type replyFile struct {
	State string     `toml:"state"`
	On    stringList `toml:"on"`
	Enter bool       `toml:"enter"`
	When  string     `toml:"when"`
	Text  stringList `toml:"text"`
}

type priceFile struct {
	Objection     stringList `toml:"objection"`
	ObjectionWhen string     `toml:"objection_when"`
	Unconditional stringList `toml:"unconditional"`
	Conditional   stringList `toml:"conditional"`
	Trade         string     `toml:"trade"`
	AnsweredBy    stringList `toml:"answered_by"`
	AnsweredWhen  string     `toml:"answered_when"`
	ObjectionJoin string     `toml:"objection_join"`
	CannotPromise []string   `toml:"cannot_promise"`
}

// stringList accepts either one string or a list of strings, so an author
// can write text = "Hello." or text = ["Hello.", "Hi there."].
type stringList []string

// UnmarshalTOML implements toml.Unmarshaler.
func (l *stringList) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		*l = stringList{v}
	case []any:
		out := make(stringList, 0, len(v))
		for _, e := range v {
			s, ok := e.(string)
			if !ok {
				return fmt.Errorf("expected a string or a list of strings, found a %T in the list", e)
			}
			out = append(out, s)
		}
		*l = out
	default:
		return fmt.Errorf("expected a string or a list of strings, found %T", v)
	}
	return nil
}
