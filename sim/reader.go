package sim

// A Reader reads a trainee turn as sales acts: the classifier, or in tests
// anything that returns detections. A Conversation is given one; sim has
// no classifier of its own (see sim/classify).
type Reader interface {
	// Read returns the acts found in text, sentence by sentence.
	Read(text string, v *Vocabulary) []Detection
	// Version names the reader's behaviour: two readers with the same
	// version read every text the same. Turn records keep it.
	Version() string
}
