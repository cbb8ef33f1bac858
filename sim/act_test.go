package sim

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestActTable checks that every act has one complete, consistent row.
func TestActTable(t *testing.T) {
	names := map[string]bool{}
	ranks := map[int]Act{}
	facts := map[FactKind]bool{}
	for _, a := range Acts() {
		info := a.Info()
		assert.NotEmpty(t, info.Name, "act %d has no name", a)
		assert.False(t, names[info.Name], "name %q used twice", info.Name)
		names[info.Name] = true
		back, err := ParseAct(info.Name)
		assert.NoError(t, err)
		assert.Equal(t, a, back)
		assert.Equal(t, info.Family == FamilyDiscovery, a.IsDiscovery(), "%s", a)
		assert.Equal(t, info.Family == FamilyQualifying, a.IsQualifying(), "%s", a)
		if a == Other {
			assert.Zero(t, info.Reply, "other never leads a reply")
			continue
		}
		assert.Positive(t, info.Reply, "%s has no reply rank", a)
		if prev, ok := ranks[info.Reply]; ok {
			t.Errorf("%s and %s share reply rank %d", prev, a, info.Reply)
		}
		ranks[info.Reply] = a
		// Questions that reveal facts are exactly discovery and qualifying acts.
		question := info.Family == FamilyDiscovery || info.Family == FamilyQualifying
		assert.Equal(t, question, info.Fact != "", "%s: fact kind %q", a, info.Fact)
		if info.Fact != "" {
			assert.False(t, facts[info.Fact], "fact kind %q used twice", info.Fact)
			facts[info.Fact] = true
			assert.Equal(t, a, info.Fact.Act())
		}
	}
	assert.Len(t, replyPriority, int(NumActs)-1)
	assert.Len(t, factKindOrder, len(facts))
}
